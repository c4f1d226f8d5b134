/**
 * Deadlines without a timer per request.
 *
 * Every request a view serves has the same timeout, so their deadlines come in
 * the order the requests started: a queue holds them, one timer waits for the
 * earliest, and a request that finishes leaves the queue in O(1). Arming and
 * clearing a timer for each request would cost more than the rest of a fast
 * view's work.
 *
 * @module
 */

/** A request's place in a {@linkcode DeadlineQueue}. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
  previous: Deadline | undefined;
  next: Deadline | undefined;
}

/**
 * Deadlines of one timeout, in the order they were added.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { DeadlineQueue } from "./deadline.ts";
 *
 * const queue = new DeadlineQueue(20);
 * const expired: string[] = [];
 * queue.add(() => expired.push("slow"));
 * queue.remove(queue.add(() => expired.push("finished in time")));
 * await delay(60);
 * assertEquals(expired, ["slow"]);
 * ```
 */
export class DeadlineQueue {
  /** Milliseconds from `add` to expiry. */
  readonly timeoutMs: number;
  #head: Deadline | undefined;
  #tail: Deadline | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Make a queue whose deadlines fall `timeoutMs` after they are added. */
  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  /** Call `expire` in `timeoutMs` unless the deadline is removed first. */
  add(expire: () => void): Deadline {
    const deadline: Deadline = {
      at: performance.now() + this.timeoutMs,
      expire,
      previous: this.#tail,
      next: undefined,
    };
    if (this.#tail) this.#tail.next = deadline;
    else this.#head = deadline;
    this.#tail = deadline;
    if (this.#timer === undefined) this.#arm(this.timeoutMs);
    return deadline;
  }

  /** Forget a deadline: its request finished in time. */
  remove(deadline: Deadline): void {
    const { previous, next } = deadline;
    if (previous) previous.next = next;
    else if (this.#head === deadline) this.#head = next;
    else return; // already expired or removed
    if (next) next.previous = previous;
    else this.#tail = previous;
    deadline.previous = deadline.next = undefined;
  }

  #arm(ms: number): void {
    const timer = setTimeout(() => this.#expire(), Math.max(0, ms));
    // A pending deadline never keeps the process alive by itself.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#head;
    while (head && head.at <= now) {
      this.remove(head);
      head.expire();
      head = this.#head;
    }
    if (head) this.#arm(head.at - now);
  }
}

const queues = new Map<number, DeadlineQueue>();

/**
 * The queue shared by every view with this timeout; `undefined` for 0 (no
 * deadline).
 */
export function deadlineQueue(timeoutMs: number): DeadlineQueue | undefined {
  if (!(timeoutMs > 0)) return undefined;
  let queue = queues.get(timeoutMs);
  if (!queue) queues.set(timeoutMs, queue = new DeadlineQueue(timeoutMs));
  return queue;
}
