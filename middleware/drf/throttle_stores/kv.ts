/**
 * Throttle history in Deno KV: one history a key, changed only by an atomic
 * commit that checks the versionstamps it read, so the processes and
 * `deno serve --parallel` workers that open one KV file count together.
 *
 * @module
 */

import { delay } from "@std/async/delay";
import type { ThrottleHit, ThrottleStore } from "./store.ts";

/**
 * The most requests a window of the KV store holds: a history is one KV value
 * (8 bytes an entry), and a value is at most 64 KiB.
 */
export const KV_MAX_REQUESTS = 8_000;

// Deno KV's limits on one atomic commit: 100 checks, 800 KiB of values.
const MAX_KEYS = 100;
const MAX_BYTES = 700 * 1024;
// Commits lost in a row (another process committed one of the keys first, or
// held SQLite's lock) before the hits fail: a busy store loses a few, a
// hundred means it is unusable.
const MAX_ATTEMPTS = 100;

/** Options of {@linkcode KvThrottleStore}. */
export interface KvThrottleStoreOptions {
  /** The KV key the histories are kept under; `["throttle"]` by default. */
  readonly prefix?: Deno.KvKey;
}

interface Pending {
  readonly key: string;
  readonly limit: number;
  readonly durationMs: number;
  readonly now: number;
  readonly resolve: (hit: ThrottleHit) => void;
  readonly reject: (error: unknown) => void;
  result?: ThrottleHit;
}

/**
 * The Deno KV store. Hits wait in one line per store; each turn takes the
 * hits waiting (up to 100 keys), reads their histories, decides every hit in
 * order, and commits the new histories in one `kv.atomic()` that checks each
 * versionstamp it read; if another process changed one since, the turn starts
 * over. One commit, one disk sync, serves every hit that arrived while the
 * previous one was under way. A history expires (`expireIn`) a window after
 * its last admitted request.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { KvThrottleStore } from "./kv.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const store = new KvThrottleStore(kv);
 * assertEquals((await store.hit("k", 1, 60_000, 0)).allowed, true);
 * assertEquals(await store.hit("k", 1, 60_000, 1_000), { allowed: false, count: 1, oldest: 0 });
 * ```
 */
export class KvThrottleStore implements ThrottleStore {
  readonly #kv: Deno.Kv;
  readonly #prefix: Deno.KvKey;
  #waiting: Pending[] = [];
  #running = false;
  /** {@linkcode KV_MAX_REQUESTS}: a throttle with a higher rate is refused when made. */
  readonly maxRequests = KV_MAX_REQUESTS;

  /** Keep histories in `kv`, which the caller opened and closes. */
  constructor(kv: Deno.Kv, options: KvThrottleStoreOptions = {}) {
    this.#kv = kv;
    this.#prefix = options.prefix ?? ["throttle"];
  }

  /** DRF's `allow_request` on one key: see {@linkcode ThrottleStore.hit}. */
  hit(key: string, limit: number, durationMs: number, now: number): Promise<ThrottleHit> {
    if (limit > KV_MAX_REQUESTS) {
      return Promise.reject(
        new RangeError(`The kv throttle store holds at most ${KV_MAX_REQUESTS} requests a window`),
      );
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ key, limit, durationMs, now, resolve, reject });
      if (!this.#running) this.#run();
    });
  }

  /** Nothing of its own: the KV belongs to whoever opened it. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  // Take turns until nobody waits.
  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        let turn = this.#take();
        try {
          turn = await this.#decide(turn);
          for (const hit of turn) hit.resolve(hit.result!);
        } catch (error) {
          for (const hit of turn) hit.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  // The waiting hits on the first MAX_KEYS keys, in order; the rest wait on.
  #take(): Pending[] {
    const keys = new Set<string>();
    const turn: Pending[] = [];
    const rest: Pending[] = [];
    for (const hit of this.#waiting) {
      if (keys.size < MAX_KEYS) keys.add(hit.key);
      (keys.has(hit.key) ? turn : rest).push(hit);
    }
    this.#waiting = rest;
    return turn;
  }

  // Decide the turn's hits and commit, again from a fresh read when a commit
  // loses to another process's. Answers the hits decided; those of keys that
  // did not fit in one commit wait for the next turn, first in line.
  async #decide(turn: Pending[]): Promise<Pending[]> {
    for (let attempt = 1;; attempt++) {
      try {
        const decided = await this.#attempt(turn);
        if (decided) {
          this.#waiting.unshift(...turn.filter((hit) => !decided.includes(hit)));
          return decided;
        }
      } catch (error) {
        // Another process holds SQLite's lock (Deno KV does not wait for it).
        if (!String(error).includes("database is locked")) throw error;
      }
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(`The kv throttle store lost ${MAX_ATTEMPTS} commits in a row`);
      }
      await delay(Math.random() * Math.min(2 ** attempt, 50));
    }
  }

  // One read of the turn's keys, the decisions, one checked commit: the hits
  // decided, or `undefined` when another commit won.
  async #attempt(turn: Pending[]): Promise<Pending[] | undefined> {
    const histories = new Map<string, History>();
    for (const hit of turn) {
      if (!histories.has(hit.key)) histories.set(hit.key, { hits: [], live: [], changed: false });
      histories.get(hit.key)!.hits.push(hit);
    }
    const keys = [...histories.keys()];
    // getMany reads ten keys at a time, several times faster than ten gets.
    const reads = [];
    for (let i = 0; i < keys.length; i += 10) {
      reads.push(
        this.#kv.getMany<Float64Array[]>(
          keys.slice(i, i + 10).map((key) => [...this.#prefix, key]),
        ),
      );
    }
    const entries = (await Promise.all(reads)).flat();
    const atomic = this.#kv.atomic();
    const decided: Pending[] = [];
    let bytes = 0;
    let writes = 0;
    for (const [i, key] of keys.entries()) {
      const history = histories.get(key)!;
      const stored = entries[i].value;
      decideAll(history, stored instanceof Float64Array ? stored : []);
      if (history.changed) {
        bytes += history.live.length * 8;
        // Past one commit's size: this key and the rest go in the next turn.
        if (bytes > MAX_BYTES && decided.length > 0) break;
        const expireIn = Math.max(...history.hits.map((hit) => hit.durationMs));
        atomic.check(entries[i]).set(entries[i].key, Float64Array.from(history.live), { expireIn });
        writes++;
      }
      decided.push(...history.hits);
    }
    // Refusals only: nothing to write, nothing to sync.
    return writes === 0 || (await atomic.commit()).ok ? decided : undefined;
  }
}

interface History {
  readonly hits: Pending[];
  live: number[];
  changed: boolean;
}

// DRF's allow_request for each hit on one key in turn, from its stored
// entries. A filter rather than DRF's pops from the old end: other processes'
// clocks may stand a little apart.
function decideAll(history: History, stored: ArrayLike<number>): void {
  let live = Array.from(stored);
  for (const hit of history.hits) {
    live = live.filter((time) => time > hit.now - hit.durationMs);
    const count = live.length;
    hit.result = { allowed: count < hit.limit, count, oldest: count > 0 ? live[0] : null };
    if (hit.result.allowed) live.push(hit.now);
  }
  history.live = live;
  history.changed = history.hits.some((hit) => hit.result!.allowed);
}
