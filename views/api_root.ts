/**
 * The API root at `/`, after DRF's `DefaultRouter` root view: a link to every
 * route without path parameters, keyed by its path (`/openapi.json`, the API's
 * schema, among them). Links are relative, so the
 * `Host` header a client sends is never reflected.
 *
 * @module
 */

import { apiView, type Handler, type Route } from "../middleware/drf/mod.ts";

/**
 * Make the root view over a route table, read on the first request so that
 * the table may list the root itself.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "../middleware/drf/mod.ts";
 * import { apiRoot } from "./api_root.ts";
 * const ok = () => Promise.resolve(new Response());
 * const root = apiRoot(() => [{ pattern: "/a", handler: ok }, { pattern: "/b/<id>", handler: ok }]);
 * const request = new Request("http://x/");
 * assertEquals(await (await root(request, new ApiContext(request))).json(), { a: "/a" });
 * ```
 */
export function apiRoot(routes: () => readonly Route[]): Handler {
  let links: Record<string, string> | undefined;
  return apiView(["GET"], async function apiRoot() {
    return links ??= Object.fromEntries(
      routes()
        .filter(({ pattern }) => pattern !== "/" && !pattern.includes("<"))
        .map(({ pattern }) => [pattern.slice(1), pattern]),
    );
  }, {
    description: "The API's routes; those with path parameters are not listed.",
    // As DRF's APIRootView: a map of the API, not an operation of it.
    openapi: { exclude: true },
  });
}
