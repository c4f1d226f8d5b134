/**
 * `apiView`, DRF's `@api_view([...])`: a function view made into a view that
 * runs through the one dispatch, as DRF's decorator builds an `APIView`.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { viewName } from "./metadata.ts";
import type { ApiContext, Params } from "./request.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { dispatch, type Policies, type SchemaHints, type View } from "./views.ts";

/** Options of {@linkcode apiView}. */
export interface ApiViewOptions<B = unknown> extends Policies {
  /**
   * The body the view takes: `await context.data()` is validated with it
   * (any Standard Schema; a 400 in DRF's shape when it fails) and typed.
   */
  body?: StandardSchemaV1<unknown, B>;
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
  /** What the API's schema says of the view: `{ exclude: true }`, `{ status: 201 }`... */
  openapi?: SchemaHints;
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
export function apiView<B = unknown>(
  methods: readonly string[],
  view: (request: Request, context: ApiContext<Params, B>) => unknown,
  options: ApiViewOptions<B> = {},
): Handler {
  return dispatch({
    ...options,
    // The context's body type is what `options.body` makes `data()` give.
    handlers: Object.fromEntries(methods.map((method) => [method, view as View])),
    name: options.name ?? viewName(view.name),
  });
}
