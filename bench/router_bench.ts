/**
 * The router alone: the cost of finding a route for a static path and for a
 * path with a parameter, with 10, 100 and 1000 routes in the table. It should
 * stay flat as the table grows (static paths are a `Map` lookup, parameter
 * paths a walk down a tree of segments).
 *
 * Run: `deno bench bench/router_bench.ts`
 *
 * @module
 */

import { Context, type Handler } from "../middleware/http/context.ts";
import { type Route, router } from "../middleware/http/router.ts";

const answer = Promise.resolve(new Response(null));
const handler: Handler = () => answer;

function table(size: number): Route[] {
  const routes: Route[] = [];
  for (let i = 0; i < size / 2; i++) {
    routes.push({ pattern: `/static${i}/list`, handler });
    routes.push({ pattern: `/things${i}/<int:id>/detail`, handler });
  }
  return routes;
}

for (const size of [10, 100, 1000]) {
  const app = router(table(size));
  const last = size / 2 - 1;
  const staticRequest = new Request(`http://localhost/static${last}/list`);
  const paramRequest = new Request(`http://localhost/things${last}/42/detail`);
  Deno.bench({
    name: `static route, ${size} routes`,
    group: "static",
    baseline: size === 10,
    fn: () => {
      app(staticRequest, new Context(staticRequest));
    },
  });
  Deno.bench({
    name: `parameter route, ${size} routes`,
    group: "parameter",
    baseline: size === 10,
    fn: () => {
      app(paramRequest, new Context(paramRequest));
    },
  });
}
