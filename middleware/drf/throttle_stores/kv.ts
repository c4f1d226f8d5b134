/**
 * Throttle history in Deno KV: one history a key, changed only by an atomic
 * commit that checks the versionstamp it read, so the processes and
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

// Commits that lost to another process's, then the hit fails. Losing takes
// another process committing on the same key in between, so a loser is rare
// and a hundred in a row means the store is unusable, not busy.
const MAX_ATTEMPTS = 100;

/** Options of {@linkcode KvThrottleStore}. */
export interface KvThrottleStoreOptions {
  /** The KV key the histories are kept under; `["throttle"]` by default. */
  readonly prefix?: Deno.KvKey;
}

/**
 * The Deno KV store. A hit reads the key's history, and commits the history
 * with the request added only if nobody changed it since (`kv.atomic()` with
 * a versionstamp check); otherwise it reads again. Hits on one key from this
 * process wait in line, so commits conflict only between processes. A history
 * expires (`expireIn`) a window after its last admitted request.
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
  // Per key, the end of the line of this process's hits on it.
  readonly #lines = new Map<string, Promise<void>>();

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
    const before = this.#lines.get(key);
    const result = before
      ? before.then(() => this.#hit(key, limit, durationMs, now))
      : this.#hit(key, limit, durationMs, now);
    const line: Promise<void> = result.then(() => {}, () => {}).then(() => {
      if (this.#lines.get(key) === line) this.#lines.delete(key);
    });
    this.#lines.set(key, line);
    return result;
  }

  /** Nothing of its own: the KV belongs to whoever opened it. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #hit(key: string, limit: number, durationMs: number, now: number): Promise<ThrottleHit> {
    const entryKey = [...this.#prefix, key];
    for (let attempt = 1;; attempt++) {
      try {
        const hit = await this.#try(entryKey, limit, durationMs, now);
        if (hit) return hit;
      } catch (error) {
        // Another process holds SQLite's lock (Deno KV does not wait for it).
        if (!String(error).includes("database is locked")) throw error;
      }
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(`Throttle key ${key} lost ${MAX_ATTEMPTS} commits in a row`);
      }
      // Another process committed first: read again after a short random pause.
      await delay(Math.random() * Math.min(2 ** attempt, 50));
    }
  }

  // One read and one checked commit; `undefined` when another commit won.
  async #try(
    entryKey: Deno.KvKey,
    limit: number,
    durationMs: number,
    now: number,
  ): Promise<ThrottleHit | undefined> {
    const entry = await this.#kv.get<Float64Array>(entryKey);
    // The live entries, oldest first. A filter rather than DRF's pops from
    // the old end: other processes' clocks may stand a little apart.
    const live: number[] = [];
    if (entry.value instanceof Float64Array) {
      for (const time of entry.value) if (time > now - durationMs) live.push(time);
    }
    const count = live.length;
    const oldest = count > 0 ? live[0] : null;
    if (count >= limit) return { allowed: false, count, oldest };
    live.push(now);
    const committed = await this.#kv.atomic()
      .check(entry)
      .set(entryKey, Float64Array.from(live), { expireIn: durationMs })
      .commit();
    return committed.ok ? { allowed: true, count, oldest } : undefined;
  }
}
