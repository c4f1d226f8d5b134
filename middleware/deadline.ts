/**
 * Running a view against its request's cancellation and deadline.
 *
 * @module
 */

import { RequestTimedOut } from "./errors.ts";
import type { Context } from "./handler.ts";

/**
 * Await a view's work, but no longer than the request lives: settle with its
 * result, or reject with `context.signal`'s reason as soon as the request is
 * cancelled (the client left), or when `timeoutMs` passes (0 for no deadline),
 * aborting `context.signal` with a {@linkcode RequestTimedOut} so the view's
 * own awaits stop too. A late result is dropped, a late rejection swallowed.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { withDeadline } from "./deadline.ts";
 * import { RequestTimedOut } from "./errors.ts";
 * import { Context } from "./handler.ts";
 *
 * const context = new Context(new Request("http://x/"));
 * const slow = delay(1000, { signal: context.signal }).then(() => "late");
 * await assertRejects(() => withDeadline(slow, context, 10), RequestTimedOut);
 * ```
 */
export function withDeadline<T>(work: Promise<T>, context: Context, timeoutMs: number): Promise<T> {
  const signal = context.signal;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const timer = timeoutMs > 0
      ? setTimeout(() => context.abort(new RequestTimedOut()), timeoutMs)
      : undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
