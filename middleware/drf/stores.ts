/**
 * Where the service's views keep their data: Deno KV (users, tokens, notes)
 * and the throttle store, opened once per process from the settings.
 *
 * @module
 */

import type { Settings } from "../http/settings.ts";
import { openThrottleStore, type ThrottleStore } from "./throttle_stores/mod.ts";

/** Where the service's views keep their data, opened once per process. */
export interface Stores {
  /** Deno KV: a file under `data/` for the service, `:memory:` in tests. */
  readonly kv: Deno.Kv;
  /** Where throttles keep their history (`THROTTLE_STORE`): memory, the KV above, or Redis. */
  readonly throttle: ThrottleStore;
}

/**
 * Open the stores the settings name: Deno KV at `KV_PATH` (its folder made
 * when missing) and the throttle store of `THROTTLE_STORE`. Close them with
 * `await using` or `[Symbol.asyncDispose]()`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "../http/settings.ts";
 * import { openStores } from "./stores.ts";
 * await using stores = await openStores(loadSettings({ KV_PATH: ":memory:" }));
 * assertEquals((await stores.kv.get(["nothing"])).value, null);
 * ```
 */
export async function openStores(settings: Settings): Promise<Stores & AsyncDisposable> {
  const path = settings.kvPath;
  if (path !== ":memory:" && path.includes("/")) {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  }
  const kv = await Deno.openKv(path);
  let throttle: ThrottleStore;
  try {
    throttle = await openThrottleStore(settings.throttleStore, kv);
  } catch (error) {
    kv.close();
    throw error;
  }
  return {
    kv,
    throttle,
    [Symbol.asyncDispose]: async () => {
      await throttle.close();
      kv.close();
    },
  };
}
