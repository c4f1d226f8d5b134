/**
 * Where throttle history lives, chosen by the `THROTTLE_STORE` setting:
 * `memory` (one process), `kv` (the processes of one machine, through the
 * service's Deno KV file) or `redis://host:port` (many machines).
 *
 * @module
 */

import { KvThrottleStore } from "./kv.ts";
import { MemoryThrottleStore } from "./memory.ts";
import type { ThrottleStore } from "./store.ts";

export { KV_MAX_REQUESTS, KvThrottleStore, type KvThrottleStoreOptions } from "./kv.ts";
export { MemoryThrottleStore, type MemoryThrottleStoreOptions } from "./memory.ts";
export type { RedisConnection, RedisThrottleStoreOptions } from "./redis.ts";
export type { ThrottleHit, ThrottleStore } from "./store.ts";

/**
 * Open the store a `THROTTLE_STORE` value names: `memory`, `kv` (histories in
 * `kv`, which stays the caller's to close) or a `redis://` URL (the Redis
 * client is loaded only then). Close the store it returns with `close()`.
 *
 * @example
 * ```ts
 * import { assertInstanceOf } from "@std/assert";
 * import { KvThrottleStore, MemoryThrottleStore, openThrottleStore } from "./mod.ts";
 * await using kv = await Deno.openKv(":memory:");
 * assertInstanceOf(await openThrottleStore("memory", kv), MemoryThrottleStore);
 * assertInstanceOf(await openThrottleStore("kv", kv), KvThrottleStore);
 * ```
 */
export async function openThrottleStore(setting: string, kv: Deno.Kv): Promise<ThrottleStore> {
  if (setting === "memory") return new MemoryThrottleStore();
  if (setting === "kv") return new KvThrottleStore(kv);
  if (setting.startsWith("redis://")) {
    const { RedisThrottleStore } = await import("./redis.ts");
    return await RedisThrottleStore.connect(setting);
  }
  // The value itself is not repeated: a Redis URL may hold a password.
  throw new TypeError("THROTTLE_STORE must be memory, kv or redis://host:port");
}
