/**
 * Throttle history in Redis: one sorted set a key (score and member the
 * request's time), changed only by a Lua script, which Redis runs atomically,
 * so every machine that points at one Redis counts together.
 *
 * The client, npm's `redis`, is loaded by {@linkcode RedisThrottleStore.connect}
 * alone: a service on another store never loads it.
 *
 * @module
 */

import type { ThrottleHit, ThrottleStore } from "./store.ts";

// DRF's allow_request on one key, in one step: drop the entries at or before
// now - duration; refuse when `limit` remain; else record now, and let the key
// lapse a window after it. Answers {admitted, count before, oldest score}.
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - duration)
local count = redis.call('ZCARD', KEYS[1])
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or ''
if count >= tonumber(ARGV[3]) then return {0, count, oldest} end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], duration)
return {1, count, oldest}
`;

/** The part of a Redis client the store uses: raw commands, and closing. */
export interface RedisConnection {
  /** Send one command and resolve to its reply. */
  sendCommand(args: string[]): Promise<unknown>;
  /** Close the connection once pending commands are answered. */
  close(): Promise<void>;
}

/** Options of {@linkcode RedisThrottleStore.connect}. */
export interface RedisThrottleStoreOptions {
  /** Put before every key, e.g. to share one Redis between services; `""` by default. */
  readonly prefix?: string;
}

/**
 * The Redis store. Each hit is one `EVALSHA` round trip; members are unique
 * (time, process and counter), so two requests in one millisecond are two
 * entries. The times are the throttles' clocks: keep the machines' clocks in
 * sync (NTP) when many share one Redis.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RedisThrottleStore } from "./redis.ts";
 * // `RedisThrottleStore.connect("redis://127.0.0.1:6379")` in a service; here
 * // a stand-in connection, answering as Redis would for an empty key.
 * const sent: string[][] = [];
 * const redis = {
 *   sendCommand: async (args: string[]) => (sent.push(args), [1, 0, ""]),
 *   close: async () => {},
 * };
 * const store = new RedisThrottleStore(redis, "sha1-of-the-script", { prefix: "api:" });
 * assertEquals(await store.hit("throttle_anon_10.0.0.1", 3, 60_000, 5), { allowed: true, count: 0, oldest: null });
 * assertEquals(sent[0].slice(0, 7), ["EVALSHA", "sha1-of-the-script", "1", "api:throttle_anon_10.0.0.1", "5", "60000", "3"]);
 * ```
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #sha: string;
  readonly #process = crypto.randomUUID();
  #counter = 0;

  /** A store over an open connection whose Redis has the hit script loaded as `sha`. */
  constructor(redis: RedisConnection, sha: string, options: RedisThrottleStoreOptions = {}) {
    this.#redis = redis;
    this.#sha = sha;
    this.#prefix = options.prefix ?? "";
  }

  /**
   * Connect to the Redis at `url` (`redis://host:port`, optionally with a
   * user, password and database number) and load the hit script. Fails
   * at once when Redis cannot be reached; later outages are retried in the
   * background, while hits fail (and their requests get a 500) until Redis is back.
   */
  static async connect(
    url: string,
    options: RedisThrottleStoreOptions = {},
  ): Promise<RedisThrottleStore> {
    const { createClient } = await import("redis");
    let ready = false;
    let reported = false;
    const client = createClient({
      url,
      // Its default would ask Redis for cluster maintenance notices, which
      // reads environment variables this service may not read.
      maintNotifications: "disabled",
      // Fail a hit at once while disconnected, instead of queueing it.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 5_000,
        reconnectStrategy: (retries: number, cause: Error) =>
          ready ? Math.min(50 * 2 ** retries, 2_000) : cause,
      },
    });
    client.on("error", (error: Error) => {
      // Once an outage, not once a retry; before the first connection, the
      // error is connect()'s to throw.
      if (ready && !reported) console.error(`Redis throttle store: ${error.message}`);
      reported = true;
    });
    client.on("ready", () => reported = false);
    try {
      await client.connect();
    } catch (error) {
      // Not the URL: it may hold a password.
      throw new Error(`Redis throttle store: ${(error as Error).message}`, { cause: error });
    }
    ready = true;
    const connection: RedisConnection = {
      sendCommand: (args) => client.sendCommand(args),
      close: () => client.close(),
    };
    const sha = await connection.sendCommand(["SCRIPT", "LOAD", HIT_SCRIPT]);
    return new RedisThrottleStore(connection, String(sha), options);
  }

  /** DRF's `allow_request` on one key: see {@linkcode ThrottleStore.hit}. */
  async hit(key: string, limit: number, durationMs: number, now: number): Promise<ThrottleHit> {
    const member = `${now}:${this.#process}:${this.#counter++}`;
    const args = ["1", this.#prefix + key, String(now), String(durationMs), String(limit), member];
    let reply: unknown;
    try {
      reply = await this.#redis.sendCommand(["EVALSHA", this.#sha, ...args]);
    } catch (error) {
      // A restarted Redis has forgotten the script: send it whole (it is cached again).
      if (!String(error).includes("NOSCRIPT")) throw error;
      reply = await this.#redis.sendCommand(["EVAL", HIT_SCRIPT, ...args]);
    }
    const [allowed, count, oldest] = reply as [number, number, string];
    return { allowed: allowed === 1, count, oldest: oldest === "" ? null : Number(oldest) };
  }

  /** Close the connection once pending hits are answered. */
  close(): Promise<void> {
    return this.#redis.close();
  }
}
