/**
 * Idle limits without a timer per body.
 *
 * Every body read waits for its next piece with the same idle limit, so one
 * watch holds them all: a read notes the time its last piece came (a clock
 * read, no timer), and one timer sweeps the reads that have waited too long.
 * Arming and clearing a timer for every body, and racing every read against
 * it, cost more than reading a small body itself.
 *
 * @module
 */

/** One watched wait: note progress with `touch()`, end the watch with `stop()`. */
export interface Watch {
  /** Data arrived: the idle time starts again. */
  touch(): void;
  /** No more waiting (done or failed): forget it. */
  stop(): void;
}

/**
 * Watches waits that must not go quiet for longer than `idleMs`.
 *
 * A wait that passes the limit is told once, at most an eighth of the limit
 * late: the sweep runs when the earliest wait is due, but no more often than
 * every eighth of the limit, so thousands of waits cost a few passes over
 * them per idle period.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { delay } from "@std/async/delay";
 * import { IdleWatch } from "./idle_watch.ts";
 *
 * const watch = new IdleWatch(40);
 * const quiet: string[] = [];
 * watch.watch(() => quiet.push("stalled"));
 * const busy = watch.watch(() => quiet.push("busy"));
 * for (let i = 0; i < 4; i++) {
 *   await delay(20);
 *   busy.touch();
 * }
 * busy.stop();
 * await delay(60);
 * assertEquals(quiet, ["stalled"]);
 * ```
 */
export class IdleWatch {
  /** How long a wait may go without data. */
  readonly idleMs: number;
  readonly #waits = new Set<Wait>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Make a watch for waits of `idleMs` at most. */
  constructor(idleMs: number) {
    this.idleMs = idleMs;
  }

  /** Start watching a wait; `onIdle` is called once if it goes quiet for `idleMs`. */
  watch(onIdle: () => void): Watch {
    const wait = new Wait(this.#waits, onIdle);
    this.#waits.add(wait);
    // A wait added now is due after every other: only an idle watch arms.
    if (this.#timer === undefined) this.#arm(this.idleMs);
    return wait;
  }

  /** How many waits are being watched. */
  get size(): number {
    return this.#waits.size;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#sweep, ms);
    // A watch never keeps the process alive by itself: the reads it watches do.
    Deno.unrefTimer(this.#timer);
  }

  #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let next = Infinity;
    for (const wait of this.#waits) {
      const due = wait.last + this.idleMs;
      if (due <= now) {
        this.#waits.delete(wait);
        wait.onIdle();
      } else if (due < next) next = due;
    }
    if (next !== Infinity) this.#arm(Math.max(next - now, this.idleMs / 8));
  };
}

class Wait implements Watch {
  last = performance.now();
  readonly onIdle: () => void;
  readonly #waits: Set<Wait>;

  constructor(waits: Set<Wait>, onIdle: () => void) {
    this.#waits = waits;
    this.onIdle = onIdle;
  }

  touch(): void {
    this.last = performance.now();
  }

  stop(): void {
    this.#waits.delete(this);
  }
}

const watches = new Map<number, IdleWatch>();

/**
 * The watch shared by every body read with this idle limit; `undefined` for
 * 0 (no limit).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { idleWatch } from "./idle_watch.ts";
 * assertEquals(idleWatch(1000) === idleWatch(1000), true);
 * assertEquals(idleWatch(0), undefined);
 * ```
 */
export function idleWatch(idleMs: number): IdleWatch | undefined {
  if (!(idleMs > 0)) return undefined;
  let watch = watches.get(idleMs);
  if (!watch) watches.set(idleMs, watch = new IdleWatch(idleMs));
  return watch;
}
