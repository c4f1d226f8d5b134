/**
 * Lines written in batches: one `write` call every few milliseconds, or at
 * once when a batch reaches a few tens of KiB, instead of one system call a
 * line. What is waiting is bounded: when the sink blocks (a full pipe, a
 * stalled terminal), lines past the bound are dropped and counted, and the
 * count is reported in a line of its own once the sink takes data again.
 *
 * @module
 */

/** Where a {@linkcode BatchedWriter} writes: `Deno.stdout`, a `Deno.FsFile`, a test's fake. */
export interface WriteSink {
  /** Write some of the bytes; resolves with how many were written. */
  write(bytes: Uint8Array): Promise<number>;
  /** Write some of the bytes now; returns how many were written. */
  writeSync(bytes: Uint8Array): number;
}

/** Options of a {@linkcode BatchedWriter}. */
export interface BatchedWriterOptions {
  /** Longest a line waits before its batch is written, in ms (default 5). */
  intervalMs?: number;
  /** A batch this large is written at once, in characters (default 32 KiB). */
  batchChars?: number;
  /** Most characters waiting; past it lines are dropped (default 1 MiB). */
  maxChars?: number;
  /** The line that reports `count` dropped lines (without its newline). */
  droppedLine?: (count: number) => string;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * Lines batched into few writes to a sink. Lines are ASCII in practice (the
 * access log's are), so the bounds count characters as bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BatchedWriter } from "./batched_writer.ts";
 *
 * const writes: string[] = [];
 * const sink = {
 *   write: async (bytes: Uint8Array) => writes.push(new TextDecoder().decode(bytes)) && bytes.length,
 *   writeSync: (bytes: Uint8Array) => writes.push(new TextDecoder().decode(bytes)) && bytes.length,
 * };
 * const writer = new BatchedWriter(sink);
 * writer.write("one");
 * writer.write("two");
 * await writer.flush();
 * assertEquals(writes, ["one\ntwo\n"]);
 * ```
 */
export class BatchedWriter {
  readonly #sink: WriteSink;
  readonly #intervalMs: number;
  readonly #batchChars: number;
  readonly #maxChars: number;
  readonly #droppedLine: (count: number) => string;
  // Joined when written: cheaper than growing one string line by line.
  #lines: string[] = [];
  #chars = 0;
  // Characters handed to the sink and not yet written: they count to the bound too.
  #inFlight = 0;
  #writing: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;

  /** Make a writer that batches lines into `sink`. */
  constructor(sink: WriteSink, options: BatchedWriterOptions = {}) {
    this.#sink = sink;
    this.#intervalMs = options.intervalMs ?? 5;
    this.#batchChars = options.batchChars ?? 32 * 1024;
    this.#maxChars = options.maxChars ?? 1024 * 1024;
    this.#droppedLine = options.droppedLine ?? ((count) => `${count} lines dropped`);
  }

  /** Lines dropped since the last report, because the sink was blocked or failed. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queue one line, without its newline; it is written within `intervalMs`. */
  write = (line: string): void => {
    const chars = this.#chars + line.length + 1;
    if (chars + this.#inFlight > this.#maxChars) {
      this.#dropped++;
      return;
    }
    this.#chars = chars;
    this.#lines.push(line);
    if (chars >= this.#batchChars) this.#start();
    else if (this.#timer === undefined && this.#writing === undefined) this.#arm();
  };

  /** Write everything queued, and wait until the sink took it. */
  async flush(): Promise<void> {
    while (this.#writing || this.#lines.length > 0) {
      this.#start();
      await this.#writing;
    }
    // Once: a sink that keeps failing would keep a count of its own to report.
    if (this.#dropped > 0) {
      this.#start();
      await this.#writing;
    }
  }

  /**
   * Write everything queued now, synchronously: for the process's `unload`
   * event, when no promise will settle any more. A batch already handed to
   * the sink is left to it.
   */
  flushSync(): void {
    this.#cancelTimer();
    const bytes = this.#take();
    try {
      for (let done = 0; done < bytes.length;) {
        done += this.#sink.writeSync(bytes.subarray(done));
      }
    } catch {
      // The sink is gone (a closed pipe): nothing is left to report to.
    }
  }

  #tick = (): void => {
    this.#timer = undefined;
    this.#start();
  };

  #arm(): void {
    const timer = this.#timer = setTimeout(this.#tick, this.#intervalMs);
    // Waiting lines never keep the process alive: its exit flushes them (flushSync).
    Deno.unrefTimer(timer);
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // Hand what is queued to the sink, unless a write is still in flight (its
  // end starts the next one).
  #start(): void {
    this.#cancelTimer();
    if (this.#writing) return;
    const lines = this.#lines.length + (this.#dropped > 0 ? 1 : 0);
    const bytes = this.#take();
    if (bytes.length === 0) return;
    this.#inFlight = bytes.length;
    this.#writing = this.#writeAll(bytes).then(() => {}, () => {
      this.#dropped += lines;
    }).finally(() => {
      this.#writing = undefined;
      this.#inFlight = 0;
      if (this.#chars >= this.#batchChars) this.#start();
      else if (this.#lines.length > 0 || this.#dropped > 0) this.#arm();
    });
  }

  #take(): Uint8Array {
    const lines = this.#lines;
    // After the lines kept: a full buffer drops the lines that come after it.
    if (this.#dropped > 0) lines.push(this.#droppedLine(this.#dropped));
    if (lines.length === 0) return EMPTY;
    lines.push("");
    const bytes = encoder.encode(lines.join("\n"));
    this.#lines = [];
    this.#chars = 0;
    this.#dropped = 0;
    return bytes;
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      done += await this.#sink.write(bytes.subarray(done));
    }
  }
}
