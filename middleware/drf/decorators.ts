/**
 * `apiView`, DRF's `@api_view([...])`: a function view made into a view that
 * runs through the one dispatch, as DRF's decorator builds an `APIView`.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { viewName } from "./metadata.ts";
import { dispatch, type Policies, type View } from "./views.ts";

/** Options of {@linkcode apiView}. */
export interface ApiViewOptions extends Policies {
  /** The name OPTIONS gives; by default made from the view function's name. */
  name?: string;
  /** The description OPTIONS gives; `""` by default. */
  description?: string;
  /**
   * Milliseconds the view may take before it is aborted and the client gets
   * `503 {"detail":"Request timed out."}`; 0 for no deadline. By default the
   * service's `REQUEST_TIMEOUT_MS` (30 s).
   */
  timeout?: number;
}

/**
 * Wrap a view so it answers only the given methods, as DRF's
 * `@api_view(methods)`.
 *
 * `Allow` lists the methods, then `HEAD` when `GET` is among them, then
 * `OPTIONS`. Checks run in DRF's order: content negotiation (406, or 404 for an
 * unknown `?format=`), then authentication, permissions and throttles, then
 * the method (405), then the view, which runs until its deadline
 * (`options.timeout`) or until its client goes away, whichever comes first;
 * `context.signal` tells the view when to stop.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView } from "./decorators.ts";
 * import { ApiContext } from "./request.ts";
 *
 * const hello = apiView(["GET"], async function hello() {
 *   return { hello: "world" };
 * });
 * const request = new Request("http://x/hello", { method: "POST" });
 * const response = await hello(request, new ApiContext(request));
 * assertEquals(response.status, 405);
 * assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
 * ```
 */
export function apiView(
  methods: readonly string[],
  view: View,
  options: ApiViewOptions = {},
): Handler {
  return dispatch({
    ...options,
    handlers: Object.fromEntries(methods.map((method) => [method, view])),
    name: options.name ?? viewName(view.name),
  });
}
