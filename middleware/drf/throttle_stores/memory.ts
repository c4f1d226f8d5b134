/**
 * Throttle history in this process's memory, as DRF's default local-memory
 * cache: the fastest store, but each process (and each `deno serve
 * --parallel` worker) counts on its own.
 *
 * @module
 */

import type { ThrottleHit, ThrottleStore } from "./store.ts";

/** Options of {@linkcode MemoryThrottleStore}. */
export interface MemoryThrottleStoreOptions {
  /**
   * The most keys (clients × scopes) kept at once; past it the key admitted
   * longest ago is forgotten. 100,000 by default.
   */
  readonly maxKeys?: number;
  /** How often (ms, on the throttles' clock) expired keys are swept. 60 s by default. */
  readonly sweepIntervalMs?: number;
}

// One key's history, oldest first: `times[head..]` are the live entries.
interface History {
  times: number[];
  head: number;
  // When the whole key lapses: a window after its last admitted request.
  expires: number;
}

/**
 * The in-memory store. Its memory is bounded: a key lapses a window after its
 * last admitted request (as DRF's `cache.set(key, history, duration)`), lapsed
 * keys are swept now and then, and past `maxKeys` the key admitted longest ago
 * goes. JavaScript runs one step at a time, so `hit` is atomic as it is.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryThrottleStore } from "./memory.ts";
 * const store = new MemoryThrottleStore();
 * assertEquals((await store.hit("k", 1, 60_000, 0)).allowed, true);
 * assertEquals(await store.hit("k", 1, 60_000, 1_000), { allowed: false, count: 1, oldest: 0 });
 * assertEquals((await store.hit("k", 1, 60_000, 60_000)).allowed, true);
 * ```
 */
export class MemoryThrottleStore implements ThrottleStore {
  // In order of last admission, so the first key is the one to evict.
  readonly #keys = new Map<string, History>();
  readonly #maxKeys: number;
  readonly #sweepIntervalMs: number;
  #nextSweep = -Infinity;

  /** Make an empty store. */
  constructor(options: MemoryThrottleStoreOptions = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? 100_000);
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  /** How many keys the store holds now. */
  get size(): number {
    return this.#keys.size;
  }

  /** DRF's `allow_request` on one key: see {@linkcode ThrottleStore.hit}. */
  hit(key: string, limit: number, durationMs: number, now: number): Promise<ThrottleHit> {
    if (now >= this.#nextSweep) this.#sweep(now);
    let history = this.#keys.get(key);
    if (history && history.expires <= now) {
      this.#keys.delete(key);
      history = undefined;
    }
    const times = history?.times ?? [];
    let head = history?.head ?? 0;
    // DRF drops from the old end while the oldest entry is out of the window.
    while (head < times.length && times[head] <= now - durationMs) head++;
    const count = times.length - head;
    const oldest = count > 0 ? times[head] : null;
    if (count >= limit) {
      if (history) history.head = head;
      return Promise.resolve({ allowed: false, count, oldest });
    }
    // Shift the array only once most of it is dead, so a hit costs O(1) on average.
    const live = head > 32 && head * 2 > times.length ? times.slice(head) : times;
    live.push(now);
    const entry = { times: live, head: live === times ? head : 0, expires: now + durationMs };
    this.#keys.delete(key);
    // Full of live keys: forget the one admitted longest ago.
    if (this.#keys.size >= this.#maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(key, entry);
    return Promise.resolve({ allowed: true, count, oldest });
  }

  /** Nothing to let go of. */
  close(): Promise<void> {
    this.#keys.clear();
    return Promise.resolve();
  }

  // Forget every lapsed key; at most once a sweep interval, so O(1) a hit on average.
  #sweep(now: number): void {
    this.#nextSweep = now + this.#sweepIntervalMs;
    for (const [key, history] of this.#keys) {
      if (history.expires <= now) this.#keys.delete(key);
    }
  }
}
