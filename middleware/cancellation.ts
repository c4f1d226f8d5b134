/**
 * Cancellation: a request's work stops when its client goes away.
 *
 * `Deno.serve` aborts `request.signal` when the client disconnects, but by
 * default (its "legacy abort") also after every successful response. This
 * middleware listens to `request.signal` only while the request is being
 * answered, so only a disconnect before the response cancels the view's
 * `context.signal`; the abort that follows a delivered response is never seen.
 * This holds whether or not Deno runs with `--unstable-no-legacy-abort`.
 *
 * @module
 */

import { ClientClosedRequest } from "./errors.ts";
import type { Handler } from "./handler.ts";

/**
 * Middleware that aborts `context.signal` with a {@linkcode ClientClosedRequest}
 * when the client goes away before the response.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { cancellation } from "./cancellation.ts";
 * import { Context } from "./handler.ts";
 *
 * const client = new AbortController();
 * const request = new Request("http://x/slow", { signal: client.signal });
 * const context = new Context(request);
 * const handler = cancellation(async (_request, context) => {
 *   client.abort(); // the client hangs up while the view works
 *   return new Response(String(context.signal.aborted));
 * });
 * assertEquals(await (await handler(request, context)).text(), "true");
 * ```
 */
export function cancellation(next: Handler): Handler {
  return async function cancellation(request, context) {
    const signal = request.signal;
    if (signal.aborted) context.abort(new ClientClosedRequest());
    const onAbort = () => context.abort(new ClientClosedRequest());
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await next(request, context);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  };
}
