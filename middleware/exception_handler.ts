/**
 * The one place errors become responses, after DRF's
 * `rest_framework.views.exception_handler`, and the boundary middleware that
 * applies it to anything the router or a middleware throws.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";
import { ApiError } from "./errors.ts";
import type { Handler } from "./handler.ts";
import { negotiateFallback } from "./negotiation.ts";
import { ApiResponse, finalizeResponse, type HeaderPairs } from "./response.ts";

const SERVER_ERROR = { detail: "A server error occurred." };
const VARY: HeaderPairs = [["vary", "Accept"]];

/**
 * Turn a thrown value into the response data to answer with: an
 * {@linkcode ApiError} into its status and detail; anything else into a
 * generic 500, logged here once with its stack and never shown to the client.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NotFound } from "./errors.ts";
 * import { handleException } from "./exception_handler.ts";
 * const response = handleException(new NotFound());
 * assertEquals([response.status, response.data], [404, { detail: "Not found." }]);
 * ```
 */
export function handleException(error: unknown): ApiResponse {
  if (error instanceof ApiError) {
    return new ApiResponse(error.data, { status: error.status, headers: error.headers });
  }
  console.error("Internal server error:", error);
  return new ApiResponse(SERVER_ERROR, { status: STATUS_CODE.InternalServerError });
}

/**
 * Middleware that answers whatever the handler throws as a JSON error, so no
 * error escapes to `Deno.serve` (whose own 500 is plain text).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { errorBoundary } from "./exception_handler.ts";
 * import { Context } from "./handler.ts";
 * import { NotFound } from "./errors.ts";
 * const handler = errorBoundary(() => Promise.reject(new NotFound()));
 * const request = new Request("http://x/nope");
 * const response = await handler(request, new Context(request));
 * assertEquals(response.status, 404);
 * ```
 */
export function errorBoundary(next: Handler): Handler {
  // Not an async function: this wraps every request, and a plain call with a
  // catch on the promise costs less than an awaiting frame.
  return function errorBoundary(request, context) {
    const answer = (error: unknown) => {
      const negotiated = negotiateFallback(request.headers.get("accept"));
      // The body is JSON or the browsable API's page, by the Accept header.
      return finalizeResponse(request, handleException(error), negotiated, VARY);
    };
    try {
      return next(request, context).catch(answer);
    } catch (error) {
      return Promise.resolve(answer(error));
    }
  };
}
