/**
 * Cancellation: a view's work stops when its client goes away or its deadline
 * passes, and the request is answered at once either way.
 *
 * `Deno.serve` aborts `request.signal` when the client disconnects, but by
 * default (its "legacy abort") also after every successful response. The
 * mechanism here listens to `request.signal` only while the view runs, and
 * stops listening as soon as the view settles, before the response goes back
 * to Deno: so only a disconnect before the response cancels the view, and the
 * abort that follows a delivered response is never seen. This holds whether or
 * not Deno runs with `--unstable-no-legacy-abort`.
 *
 * @module
 */

import type { DeadlineQueue } from "./deadline.ts";
import { ClientClosedRequest, RequestTimedOut } from "./errors.ts";
import type { Context } from "./handler.ts";

/**
 * Await a view's work, but no longer than its request lives: settle with its
 * result, or reject with the reason as soon as the request is cancelled, by
 * its client leaving (a {@linkcode ClientClosedRequest}) or by its deadline in
 * `deadlines` passing (a {@linkcode RequestTimedOut}); either aborts
 * `context.signal` so the view's own awaits stop too. A late result is
 * dropped and a late rejection swallowed.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { runCancellable } from "./cancellation.ts";
 * import { DeadlineQueue } from "./deadline.ts";
 * import { RequestTimedOut } from "./errors.ts";
 * import { Context } from "./handler.ts";
 *
 * const request = new Request("http://x/");
 * const context = new Context(request);
 * const slow = delay(1000, { signal: context.signal }).then(() => "late");
 * const deadlines = new DeadlineQueue(10);
 * await assertRejects(() => runCancellable(slow, request, context, deadlines), RequestTimedOut);
 * ```
 */
export function runCancellable<T>(
  work: Promise<T>,
  request: Request,
  context: Context,
  deadlines: DeadlineQueue | undefined,
): Promise<T> {
  if (context.cancelled) {
    work.catch(() => {});
    return Promise.reject(context.cancelled);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let watching = false;
    const clientLeft = () => context.abort(new ClientClosedRequest());
    const deadline = deadlines?.add(() => context.abort(new RequestTimedOut()));
    const finish = () => {
      settled = true;
      if (deadline) deadlines!.remove(deadline);
      if (watching) request.signal.removeEventListener("abort", clientLeft);
      context.oncancel = undefined;
    };
    context.oncancel = (reason) => {
      finish();
      reject(reason);
    };
    work.then(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (error) => {
        if (settled) return;
        finish();
        reject(error);
      },
    );
    // A view that has already answered settles in the microtask queued just
    // above; only one still working gets a listener on its client.
    queueMicrotask(() => {
      if (settled) return;
      watching = true;
      if (request.signal.aborted) clientLeft();
      else request.signal.addEventListener("abort", clientLeft, { once: true });
    });
  });
}
