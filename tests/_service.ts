// The service as the tests run it: the test settings and in-memory stores,
// so that no test reads or writes the developer's data/.

import { buildRoutes, createHandler, type Stores } from "../main.ts";
import { authStores } from "../middleware/drf/auth_stores.ts";
import { loadSettings } from "../middleware/http/settings.ts";
import { MemoryThrottleStore } from "../middleware/drf/throttle_stores/mod.ts";

/** The settings every test runs the service with. */
export const settings = loadSettings({ ACCESS_LOG: "0", KV_PATH: ":memory:" });

/** The stores of the service under test: in memory only. */
export const stores: Stores = {
  kv: await Deno.openKv(":memory:"),
  throttle: new MemoryThrottleStore(),
};

/**
 * The users and tokens of those stores, hashing with 1,000 PBKDF2 iterations
 * instead of 1,000,000 so that logins in tests are fast (set before the
 * service is built, which takes the same ones).
 */
export const auth = authStores(stores, { iterations: 1000 });

/** The service under test, called in-process. */
export const handler = createHandler(settings, stores);

/** Its HTTP routes. */
export const routes = buildRoutes(stores).http;
