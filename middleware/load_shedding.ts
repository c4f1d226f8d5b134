/**
 * Load shedding: past a number of requests in flight, new ones are answered
 * 503 at once instead of being queued, so a flood costs a bounded amount of
 * memory and the requests already taken still finish.
 *
 * The count is per process: under `deno serve --parallel` each worker sheds
 * on its own count.
 *
 * @module
 */

import { ServiceUnavailable } from "./http/errors.ts";
import type { Middleware } from "./mod.ts";

/** The detail of the 503, as DRF's documented `ServiceUnavailable` example. */
export const OVERLOADED = "Service temporarily unavailable, try again later.";

// Seconds a client should wait before trying again.
const RETRY_AFTER = 1;
// Made once: this is the path a flood takes.
const OVERLOADED_ERROR = new ServiceUnavailable(OVERLOADED, RETRY_AFTER);

/**
 * Make middleware that lets at most `maxInFlight` requests run at once (0: no
 * limit) and rejects any past that with a 503 and `Retry-After`.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { Context } from "./http/context.ts";
 * import { HttpError } from "./http/errors.ts";
 * import { shedLoad } from "./load_shedding.ts";
 *
 * const { promise, resolve } = Promise.withResolvers<Response>();
 * const handler = shedLoad(1)(() => promise);
 * const request = new Request("http://x/");
 * const first = handler(request, new Context(request));
 * const error = await assertRejects(() => handler(request, new Context(request)), HttpError);
 * assertEquals([error.status, error.headers?.["retry-after"]], [503, "1"]);
 * resolve(new Response("ok"));
 * assertEquals(await (await first).text(), "ok");
 * ```
 */
export function shedLoad(maxInFlight: number): Middleware {
  return (next) => {
    let inFlight = 0;
    // Shared, so that counting costs no allocation beyond one promise.
    const done = (response: Response) => {
      inFlight--;
      return response;
    };
    const failed = (error: unknown) => {
      inFlight--;
      throw error;
    };
    return function shedLoad(request, context) {
      if (maxInFlight > 0 && inFlight >= maxInFlight) return Promise.reject(OVERLOADED_ERROR);
      inFlight++;
      return next(request, context).then(done, failed);
    };
  };
}
