/**
 * The boundary: whatever the router or a middleware rejects with is answered
 * the way a view's errors are (DRF's exception handler, rendered by the
 * `Accept` header), so no error reaches `Deno.serve`, whose own 500 is plain
 * text.
 *
 * @module
 */

import { handleException } from "./drf/exception_handler.ts";
import { negotiateFallback, urlFormat } from "./drf/negotiation.ts";
import { finalizeResponse, type HeaderPairs } from "./drf/response.ts";
import type { Middleware } from "./mod.ts";

const VARY: HeaderPairs = [["vary", "Accept"]];

/**
 * Middleware that answers a rejection of the handler it wraps as an error
 * response.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { errorBoundary } from "./error_boundary.ts";
 * import { Context } from "./http/context.ts";
 * import { NotFound } from "./http/errors.ts";
 * const handler = errorBoundary(() => Promise.reject(new NotFound()));
 * const request = new Request("http://x/nope");
 * const response = await handler(request, new Context(request));
 * assertEquals(response.status, 404);
 * ```
 */
export const errorBoundary: Middleware = (next) =>
  // Not an async function: this wraps every request, and a plain call with a
  // catch on the promise costs less than an awaiting frame.
  function errorBoundary(request, context) {
    return next(request, context).catch((error: unknown) => {
      // The body is JSON or the browsable API's page, by `?format=` and the
      // Accept header, as a view's errors are.
      const negotiated = negotiateFallback(request.headers.get("accept"), urlFormat(context));
      return finalizeResponse(request, handleException(error), negotiated, VARY);
    });
  };
