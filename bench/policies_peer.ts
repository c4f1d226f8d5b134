/**
 * The service as `bench/policies.ts` loads it: `main.ts`'s routes and
 * middleware with this process's settings (`THROTTLE_STORE`, `KV_PATH`,
 * `NUM_PROXIES`, ...), plus `/throttled-admit`, the `/throttled` view with a
 * rate that admits what the benchmark sends (`BENCH_RATES`), so that the
 * admitting path can be measured beside the refusing one.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env --allow-read=DIR
 * --allow-write=DIR bench/policies_peer.ts` with `HOST`, `PORT` and the
 * store's variables set (DIR holding `KV_PATH`).
 *
 * @module
 */

import { buildRoutes, createHandler, openStores, settings } from "../main.ts";
import { listen } from "../middleware/http/server.ts";
import { throttledView } from "../views/throttled.ts";

/** Rates far above what one client of the benchmark sends in a minute. */
export const BENCH_RATES = { anon: "1000/min", user: "1000/min" } as const;

if (import.meta.main) {
  const stores = await openStores(settings);
  const routes = buildRoutes(stores);
  const admit = throttledView({ authentication: [], store: stores.throttle, rates: BENCH_RATES });
  const http = [...routes.http, { pattern: "/throttled-admit", handler: admit }];
  listen(createHandler(settings, stores, { ...routes, http }), {
    hostname: settings.host,
    port: settings.port,
    graceMs: 0,
  });
}
