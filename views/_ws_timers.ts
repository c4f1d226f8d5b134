/**
 * Timers for the WebSocket's pending messages, without a timer or an abort
 * listener each. Messages that wait the same number of milliseconds come due
 * in the order they arrived, so one {@linkcode DeadlineQueue} per duration,
 * shared by every socket of the process, holds them: starting and cancelling
 * one is O(1), whatever else is pending. (An abort listener a message on one
 * signal per socket costs time linear in the listeners already there: 60,000
 * pending messages took seconds to add and seconds to cancel.)
 *
 * @module
 */

import { type Deadline, DeadlineQueue } from "../middleware/http/deadline.ts";

// One queue per duration in ms; the WebSocket's are at most 10,001 (0..10 s).
const queues = new Map<number, DeadlineQueue>();

/**
 * A pending message's timer, made by {@linkcode startTimer}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { startTimer, type Timer } from "./_ws_timers.ts";
 *
 * let fired = false;
 * const timer: Timer = startTimer(5, () => fired = true);
 * timer.cancel();
 * await delay(30);
 * assertEquals(fired, false);
 * ```
 */
export class Timer {
  readonly #queue: DeadlineQueue;
  readonly #deadline: Deadline;

  /** The timer of `deadline` in `queue`. */
  constructor(queue: DeadlineQueue, deadline: Deadline) {
    this.#queue = queue;
    this.#deadline = deadline;
  }

  /** Stop it from firing; nothing if it fired already. */
  cancel(): void {
    this.#queue.remove(this.#deadline);
  }
}

/**
 * Call `fire` in `ms` milliseconds unless the returned timer is cancelled.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { startTimer } from "./_ws_timers.ts";
 *
 * const fired: string[] = [];
 * startTimer(10, () => fired.push("kept"));
 * startTimer(10, () => fired.push("cancelled")).cancel();
 * await delay(50);
 * assertEquals(fired, ["kept"]);
 * ```
 */
export function startTimer(ms: number, fire: () => void): Timer {
  let queue = queues.get(ms);
  if (!queue) queues.set(ms, queue = new DeadlineQueue(ms));
  return new Timer(queue, queue.add(fire));
}
