/**
 * Lines written in batches: one `write` call every few milliseconds, or at
 * once when a batch reaches a few tens of KiB, instead of one system call a
 * line. Lines are encoded straight into a reused buffer, piece by piece, so
 * writing one allocates nothing. What is waiting is bounded: when the sink
 * blocks (a full pipe, a stalled terminal), lines past the bound are dropped
 * and counted, and the count is reported in a line of its own once the sink
 * takes data again.
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

/**
 * A line built piece by piece: `begin`, then `text` and `int` in order, then
 * `end`. When `begin` returns false the line is dropped and the rest skipped.
 */
export interface LineSink {
  /** Start a line of at most `maxChars` characters; false when it is dropped. */
  begin(maxChars: number): boolean;
  /** Add text to the line. */
  text(text: string): void;
  /** Add the decimal digits of an integer ≥ 0 to the line. */
  int(n: number): void;
  /** End the line. */
  end(): void;
}

/** Options of a {@linkcode BatchedWriter}. */
export interface BatchedWriterOptions {
  /**
   * Whether the sink never blocks for long (a regular file, `/dev/null`), or
   * a promise of it: its batches are then written with `writeSync`, which
   * costs a fraction of an asynchronous write on Deno (about 10 µs of CPU
   * against 80 or more). Otherwise (a pipe, a terminal, a socket: what a
   * stalled reader can block) writes are asynchronous, so that a blocked sink
   * stalls only the log. Default `false`.
   */
  synchronous?: boolean | Promise<boolean>;
  /** Longest a line waits before its batch is written, in ms (default 10). */
  intervalMs?: number;
  /** A batch this large is written at once, in bytes (default 32 KiB). */
  batchBytes?: number;
  /** Most bytes waiting, written or not; past it lines are dropped (default 1 MiB). */
  maxBytes?: number;
  /** The line that reports `count` dropped lines (without its newline). */
  droppedLine?: (count: number) => string;
}

const encoder = new TextEncoder();
const NEWLINE = 10;

/**
 * Lines batched into few writes to a sink.
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
 * if (writer.begin(10)) {
 *   writer.text("two ");
 *   writer.int(2);
 *   writer.end();
 * }
 * await writer.flush();
 * assertEquals(writes, ["one\ntwo 2\n"]);
 * ```
 */
export class BatchedWriter implements LineSink {
  readonly #sink: WriteSink;
  #synchronous = false;
  readonly #intervalMs: number;
  readonly #batchBytes: number;
  readonly #maxBytes: number;
  readonly #droppedLine: (count: number) => string;
  // The batch being filled, and the one handed to an asynchronous write.
  #buffer = new Uint8Array(64 * 1024);
  #spare: Uint8Array<ArrayBuffer> | undefined;
  #length = 0;
  #lines = 0;
  #inFlight = 0;
  #writing: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;

  /** Make a writer that batches lines into `sink`. */
  constructor(sink: WriteSink, options: BatchedWriterOptions = {}) {
    this.#sink = sink;
    this.#intervalMs = options.intervalMs ?? 10;
    this.#batchBytes = options.batchBytes ?? 32 * 1024;
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#droppedLine = options.droppedLine ?? ((count) => `${count} lines dropped`);
    const synchronous = options.synchronous ?? false;
    if (typeof synchronous === "boolean") this.#synchronous = synchronous;
    else synchronous.then((yes) => this.#synchronous = yes, () => {});
  }

  /** Whether batches are written with `writeSync` (see `options.synchronous`). */
  get synchronous(): boolean {
    return this.#synchronous;
  }

  /** Lines dropped since the last report, because the sink was blocked or failed. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queue one line, without its newline; it is written within `intervalMs`. */
  write(line: string): void {
    if (!this.begin(line.length)) return;
    this.text(line);
    this.end();
  }

  begin(maxChars: number): boolean {
    // UTF-8 takes at most 3 bytes for a UTF-16 unit.
    const need = this.#length + maxChars * 3 + 1;
    if (need + this.#inFlight > this.#maxBytes) {
      this.#dropped++;
      return false;
    }
    if (need > this.#buffer.length) this.#grow(need);
    return true;
  }

  text(text: string): void {
    const buffer = this.#buffer;
    let at = this.#length;
    let i = 0;
    // ASCII, the common case, is copied as is.
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      buffer[at++] = code;
    }
    if (i < text.length) at += encoder.encodeInto(text.slice(i), buffer.subarray(at)).written;
    this.#length = at;
  }

  int(n: number): void {
    const buffer = this.#buffer;
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.#length + digits;
    this.#length = at;
    for (let i = 0; i < digits; i++, n = Math.floor(n / 10)) buffer[--at] = 48 + n % 10;
  }

  end(): void {
    this.#buffer[this.#length++] = NEWLINE;
    this.#lines++;
    if (this.#length >= this.#batchBytes) this.#start();
    else if (this.#timer === undefined && this.#writing === undefined) this.#arm();
  }

  /** Write everything queued, and wait until the sink took it. */
  async flush(): Promise<void> {
    while (this.#writing || this.#length > 0) {
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
   * an asynchronous write is left to it.
   */
  flushSync(): void {
    this.#cancelTimer();
    this.#writeNow();
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

  // Hand what is queued to the sink, unless an asynchronous write is still in
  // flight (its end starts the next one).
  #start(): void {
    this.#cancelTimer();
    if (this.#writing) return;
    if (this.#synchronous) return this.#writeNow();
    const lines = this.#lines + (this.#dropped > 0 ? 1 : 0);
    const bytes = this.#take();
    if (bytes.length === 0) return;
    // The next lines go to the other buffer while this one is written.
    const written = this.#buffer;
    this.#buffer = this.#spare ?? new Uint8Array(written.length);
    this.#spare = undefined;
    this.#inFlight = bytes.length;
    this.#writing = this.#writeAll(bytes).then(() => {}, () => {
      this.#dropped += lines;
    }).finally(() => {
      this.#writing = undefined;
      this.#inFlight = 0;
      this.#spare = written;
      if (this.#length >= this.#batchBytes) this.#start();
      else if (this.#length > 0 || this.#dropped > 0) this.#arm();
    });
  }

  // Write what is queued with writeSync; the lines of a failed write are counted.
  #writeNow(): void {
    const lines = this.#lines + (this.#dropped > 0 ? 1 : 0);
    const bytes = this.#take();
    try {
      for (let done = 0; done < bytes.length;) {
        done += this.#sink.writeSync(bytes.subarray(done));
      }
    } catch {
      this.#dropped += lines;
    }
  }

  // The queued bytes, the dropped-lines report after them (a full buffer
  // drops the lines that come after it); the buffer is then free again.
  #take(): Uint8Array {
    if (this.#dropped > 0) {
      const report = this.#droppedLine(this.#dropped);
      this.#dropped = 0;
      this.#grow(this.#length + report.length * 3 + 1);
      this.text(report);
      this.#buffer[this.#length++] = NEWLINE;
    }
    const bytes = this.#buffer.subarray(0, this.#length);
    this.#length = 0;
    this.#lines = 0;
    return bytes;
  }

  #grow(need: number): void {
    if (need <= this.#buffer.length) return;
    // Doubling, but not past the bound unless one line needs it.
    const grown = new Uint8Array(Math.max(need, Math.min(this.#buffer.length * 2, this.#maxBytes)));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      done += await this.#sink.write(bytes.subarray(done));
    }
  }
}
