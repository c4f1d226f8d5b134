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

import type { Context } from "./context.ts";
import type { Deadline, DeadlineQueue } from "./deadline.ts";
import { ClientClosedRequest, DeadlineExceeded } from "./errors.ts";

/**
 * Await a view's work, but no longer than its request lives: settle with its
 * result, or reject with the reason as soon as the request is cancelled, by
 * its client leaving (a {@linkcode ClientClosedRequest}) or by its deadline in
 * `deadlines` passing (a {@linkcode DeadlineExceeded}); either aborts
 * `context.signal` so the view's own awaits stop too. A late result is
 * dropped and a late rejection swallowed.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { runCancellable } from "./cancellation.ts";
 * import { Context } from "./context.ts";
 * import { DeadlineQueue } from "./deadline.ts";
 * import { DeadlineExceeded } from "./errors.ts";
 *
 * const request = new Request("http://x/");
 * const context = new Context(request);
 * const slow = delay(1000, { signal: context.signal }).then(() => "late");
 * const deadlines = new DeadlineQueue(10);
 * await assertRejects(() => runCancellable(slow, request, context, deadlines), DeadlineExceeded);
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
    const run = new Run(request, context, deadlines, reject);
    work.then(
      (value) => run.finish() && resolve(value),
      (error) => run.finish() && reject(error),
    );
    // A view that has already answered settles in the microtask queued just
    // above, before this one: it never gets a deadline or a listener.
    queueMicrotask(run.start);
  });
}

// One view's run: its deadline and its listener on the client, both set up
// only once the view is seen to be still working. The listener is this object
// (handleEvent), not a closure: this is the path of every request.
class Run implements EventListenerObject {
  #settled = false;
  #deadline: Deadline | undefined;
  readonly #request: Request;
  readonly #context: Context;
  readonly #deadlines: DeadlineQueue | undefined;
  readonly #reject: (reason: Error) => void;

  constructor(
    request: Request,
    context: Context,
    deadlines: DeadlineQueue | undefined,
    reject: (reason: Error) => void,
  ) {
    this.#request = request;
    this.#context = context;
    this.#deadlines = deadlines;
    this.#reject = reject;
  }

  /** Settle once: true the first time, false after. */
  finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#deadline) this.#deadlines!.remove(this.#deadline);
    this.#context.oncancel = undefined;
    return true;
  }

  /** Arm the deadline and watch the client, unless the view has settled. */
  start = (): void => {
    if (this.#settled) return;
    const context = this.#context;
    context.oncancel = (reason) => this.finish() && this.#reject(reason);
    this.#deadline = this.#deadlines?.add(() => context.abort(new DeadlineExceeded()));
    const signal = this.#request.signal;
    if (signal.aborted) this.handleEvent();
    else signal.addEventListener("abort", this, { once: true });
  };

  /** The client signal's listener. */
  handleEvent(): void {
    // Once settled, an abort is the one Deno sends after a delivered response
    // (legacy mode): not a cancellation. The listener stays, cheaper than
    // removing it, and does nothing.
    if (!this.#settled) this.#context.abort(new ClientClosedRequest());
  }
}
