/**
 * `apiView`, DRF's `@api_view([...])`: it gates a view's methods, negotiates
 * the renderer, answers OPTIONS and HEAD, renders what the view returns and
 * turns what it throws into an error response, every one of them carrying
 * `Allow` and `Vary: Accept`.
 *
 * @module
 */

import { runCancellable } from "./cancellation.ts";
import { deadlineQueue } from "./deadline.ts";
import { MethodNotAllowed } from "./errors.ts";
import { handleException } from "./exception_handler.ts";
import type { Context, Handler } from "./handler.ts";
import { viewMetadata, viewName } from "./metadata.ts";
import { negotiate, type Negotiated, negotiateFallback } from "./negotiation.ts";
import { ApiResponse, finalizeResponse, type HeaderPairs } from "./response.ts";
import { settings } from "./settings.ts";

/**
 * A view: an async function of the request that returns data to render
 * (200), an {@linkcode ApiResponse} (data with a status and headers), or a web
 * `Response` that is sent as it is. It throws an `ApiError` to answer an error.
 */
export type View = (request: Request, context: Context) => unknown;

/** Options of {@linkcode apiView}. */
export interface ApiViewOptions {
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

// DRF lists allowed methods in Django's `http_method_names` order.
const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"];

/**
 * Wrap a view so it answers only the given methods, as DRF's
 * `@api_view(methods)`.
 *
 * `Allow` lists the methods, then `HEAD` when `GET` is among them, then
 * `OPTIONS`. Checks run in DRF's order: content negotiation (406, or 404 for an
 * unknown `?format=`), then the method (405), then the view, which runs until
 * its deadline (`options.timeout`) or until its client goes away, whichever
 * comes first; `context.signal` tells the view when to stop.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView } from "./api_view.ts";
 * import { Context } from "./handler.ts";
 *
 * const hello = apiView(["GET"], async function hello() {
 *   return { hello: "world" };
 * });
 * const request = new Request("http://x/hello", { method: "POST" });
 * const response = await hello(request, new Context(request));
 * assertEquals(response.status, 405);
 * assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
 * ```
 */
export function apiView(
  methods: readonly string[],
  view: View,
  options: ApiViewOptions = {},
): Handler {
  const listed = [...new Set(methods.map((m) => m.toUpperCase()))]
    .filter((m) => m !== "HEAD" && m !== "OPTIONS")
    .sort((a, b) => rank(a) - rank(b));
  const allowed = new Set([...listed, ...listed.includes("GET") ? ["HEAD"] : [], "OPTIONS"]);
  const headers: HeaderPairs = [["allow", [...allowed].join(", ")], ["vary", "Accept"]];
  const metadata = viewMetadata(options.name ?? viewName(view.name), options.description);
  const deadlines = deadlineQueue(options.timeout ?? settings.requestTimeoutMs);

  return async function apiView(request, context) {
    let negotiated: Negotiated | undefined;
    let result: unknown;
    try {
      negotiated = negotiate(request.headers.get("accept"), format(context));
      const method = request.method.toUpperCase();
      if (method === "OPTIONS") result = metadata;
      else if (!allowed.has(method)) throw methodNotAllowed(request.method);
      else {
        result = view(request, context);
        if (result instanceof Promise) {
          result = await runCancellable(result, request, context, deadlines);
        }
      }
      if (result instanceof Response) return result;
      return finalizeResponse(request, asResponse(result), negotiated, headers, metadata);
    } catch (error) {
      // Once the request is cancelled, the cancellation is the answer, whatever
      // the view made of its aborted awaits.
      const reason = context.cancelled ?? error;
      negotiated ??= negotiateFallback(request.headers.get("accept"));
      return finalizeResponse(request, handleException(reason), negotiated, headers, metadata);
    }
  };
}

// A 405 for a method of HTTP's own is made once: no stack to capture on a path
// that hostile or confused clients can make hot.
const METHOD_NOT_ALLOWED = new Map(
  ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"].map((
    method,
  ) => [method, new MethodNotAllowed(method)]),
);

function methodNotAllowed(method: string): MethodNotAllowed {
  return METHOD_NOT_ALLOWED.get(method) ?? new MethodNotAllowed(method);
}

function rank(method: string): number {
  const index = METHOD_ORDER.indexOf(method);
  return index === -1 ? METHOD_ORDER.length : index;
}

function asResponse(result: unknown): ApiResponse {
  return result instanceof ApiResponse ? result : new ApiResponse(result);
}

// DRF's URL_FORMAT_OVERRIDE: the last `format` in the query, if any.
function format(context: Context): string | undefined {
  if (!context.search.includes("format=")) return undefined;
  return context.query.getAll("format").at(-1) || undefined;
}
