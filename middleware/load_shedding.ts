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

import { STATUS_CODE } from "@std/http/status";
import { ApiError } from "./errors.ts";
import type { Handler } from "./handler.ts";
import { settings } from "./settings.ts";

/** The detail of the 503, as DRF's documented `ServiceUnavailable` example. */
export const OVERLOADED = "Service temporarily unavailable, try again later.";

// Seconds a client should wait before trying again.
const RETRY_AFTER = "1";

/**
 * Middleware that lets at most `maxInFlight` requests run in `next` at once
 * (0: no limit) and throws a 503 with `Retry-After` for any past that.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { ApiError } from "./errors.ts";
 * import { Context } from "./handler.ts";
 * import { shedLoad } from "./load_shedding.ts";
 *
 * const { promise, resolve } = Promise.withResolvers<Response>();
 * const handler = shedLoad(() => promise, 1);
 * const request = new Request("http://x/");
 * const first = handler(request, new Context(request));
 * const error = await assertRejects(() => handler(request, new Context(request)), ApiError);
 * assertEquals([error.status, error.headers?.["retry-after"]], [503, "1"]);
 * resolve(new Response("ok"));
 * assertEquals(await (await first).text(), "ok");
 * ```
 */
export function shedLoad(next: Handler, maxInFlight: number = settings.maxInFlight): Handler {
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
    if (maxInFlight > 0 && inFlight >= maxInFlight) {
      return Promise.reject(
        new ApiError(OVERLOADED, {
          status: STATUS_CODE.ServiceUnavailable,
          code: "service_unavailable",
          headers: { "retry-after": RETRY_AFTER },
        }),
      );
    }
    inFlight++;
    let answer: Promise<Response>;
    try {
      answer = next(request, context);
    } catch (error) {
      inFlight--;
      throw error;
    }
    return answer.then(done, failed);
  };
}
