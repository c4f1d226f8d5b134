/**
 * Service-wide policies, as DRF's `DEFAULT_AUTHENTICATION_CLASSES`,
 * `DEFAULT_PERMISSION_CLASSES` and `DEFAULT_THROTTLE_CLASSES`: applied once,
 * when the route table is built, so a request pays nothing for them beyond
 * the policies its view ends up with.
 *
 * @module
 */

import type { Route } from "../http/router.ts";
import { dispatch, type Policies, viewConfig } from "./views.ts";

/**
 * The routes with every view that leaves a policy out given the default.
 * As in DRF, a view's own list wins, an empty one included
 * (`permissions: []` is DRF's `permission_classes = ()`); handlers that are
 * not views (made without `dispatch`/`apiView`) are kept as they are.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { withDefaultPolicies } from "./default_policies.ts";
 * import { apiView } from "./decorators.ts";
 * import { IsAuthenticated } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 *
 * const routes = withDefaultPolicies([
 *   { pattern: "/private", handler: apiView(["GET"], async () => ({})) },
 *   { pattern: "/open", handler: apiView(["GET"], async () => ({}), { permissions: [] }) },
 * ], { permissions: [IsAuthenticated] });
 * const request = new Request("http://x/private");
 * assertEquals((await routes[0].handler(request, new ApiContext(request))).status, 403);
 * assertEquals((await routes[1].handler(request, new ApiContext(request))).status, 200);
 * ```
 */
export function withDefaultPolicies(routes: readonly Route[], defaults: Policies): Route[] {
  return routes.map((route) => {
    const config = viewConfig(route.handler);
    if (!config) return route;
    const merged = {
      ...config,
      authentication: config.authentication ?? defaults.authentication,
      permissions: config.permissions ?? defaults.permissions,
      throttles: config.throttles ?? defaults.throttles,
    };
    return { ...route, handler: dispatch(merged) };
  });
}
