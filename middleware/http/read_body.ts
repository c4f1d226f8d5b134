/**
 * Reading a request body with a size limit that holds for every framing, an
 * idle limit that frees the request from a client that stops sending, and
 * memory in proportion to what arrived.
 *
 * @module
 */

import { BadRequest, BodyIdleTimeout, PayloadTooLarge } from "./errors.ts";
import { idleWatch, type Watch } from "./idle_watch.ts";

/**
 * Read a request's body, at most `limit` bytes of it, waiting at most
 * `idleMs` for each next piece, for no longer than `signal` allows.
 *
 * A `Content-Length` over the limit is refused before anything is read; a
 * body without one (chunked) is counted as it streams and cancelled as soon as
 * it passes the limit, so no more than `limit` bytes are ever held. A body
 * that stops arriving for `idleMs` is cancelled too, and so is one whose
 * request ends first (`signal` aborts: its deadline passed or its client
 * left): the read stops at once and lets go of what it held.
 *
 * The body goes into one buffer that grows with what arrived (never more than
 * twice it, or 16 KiB): read straight into it when Deno streams the body,
 * else copied piece by piece. Deno hands a slowly sent body over as a piece
 * per packet, each a view of its own 64 KiB buffer, so keeping the pieces as
 * they come would hold 64 KiB for every byte of a trickled body.
 *
 * @throws {PayloadTooLarge} When the body is larger than `limit`.
 * @throws {BodyIdleTimeout} When no data arrives for `idleMs` (0: no limit).
 * @throws {BadRequest} When the body breaks off (the client went away).
 * @throws `signal.reason` When the signal aborts before the body is read.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readBody } from "./read_body.ts";
 * const body = await readBody(new Request("http://x", { method: "POST", body: "hi" }), 10, 1000);
 * assertEquals(new TextDecoder().decode(body), "hi");
 * ```
 */
export async function readBody(
  request: Request,
  limit: number,
  idleMs: number,
  signal?: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  const header = request.headers.get("content-length");
  const declared = header === null ? undefined : Number(header);
  if (declared !== undefined && declared > limit) throw new PayloadTooLarge(limit);
  const stream = request.body;
  if (stream === null) return new Uint8Array(0);
  signal?.throwIfAborted();
  const bytes = new Bytes(declared, limit);
  const read = new BodyRead(stream, idleMs, signal);
  try {
    // A stopped read was cancelled, which ends it as if done.
    while (!await read.next(bytes) && !read.stopped) {
      read.touch();
      if (bytes.size > limit) throw new PayloadTooLarge(limit);
    }
    if (read.stopped) throw read.stopped;
  } catch (error) {
    // Release the connection's body: a pending read ends with it.
    read.cancel();
    bytes.release();
    if (read.stopped) throw read.stopped;
    if (error instanceof PayloadTooLarge) throw error;
    // The client went away or broke the framing: its error, not the server's.
    throw new BadRequest("Request body ended before it was complete.");
  } finally {
    read.end();
  }
  return bytes.take();
}

// One read: its reader, and its watchers (the idle limit and the request's
// signal), either of which cancels the reader, so the pending read returns.
class BodyRead implements EventListenerObject {
  stopped: Error | undefined;
  readonly #stream: ReadableStream<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader;
  #byob = false;
  readonly #idle: Watch | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(stream: ReadableStream<Uint8Array>, idleMs: number, signal: AbortSignal | undefined) {
    this.#stream = stream;
    this.#reader = stream.getReader();
    this.#idle = idleWatch(idleMs)?.watch(() => this.#stop(new BodyIdleTimeout(idleMs)));
    this.#signal = signal;
    signal?.addEventListener("abort", this);
  }

  /** Read the next piece into `bytes`; true when the body has ended. */
  async next(bytes: Bytes): Promise<boolean> {
    if (this.#byob) {
      const reader = this.#reader as ReadableStreamBYOBReader;
      const { done, value } = await reader.read(bytes.free());
      // The buffer comes back, moved, even with the end.
      if (value) bytes.filled(value);
      return done;
    }
    const { done, value } = await (this.#reader as ReadableStreamDefaultReader<Uint8Array>).read();
    if (done) return true;
    bytes.append(value);
    // More to come after a first piece: read the rest straight into the
    // buffer, when the stream allows it (one Deno has whole does not).
    if (!bytes.complete) this.#intoBuffer();
    return false;
  }

  touch(): void {
    this.#idle?.touch();
  }

  cancel(): void {
    this.#reader.cancel(this.stopped).catch(() => {});
  }

  /** The request's signal aborted. */
  handleEvent(): void {
    this.#stop(this.#signal!.reason);
  }

  end(): void {
    this.#idle?.stop();
    this.#signal?.removeEventListener("abort", this);
  }

  #intoBuffer(): void {
    if (this.#byob) return;
    this.#byob = true;
    this.#reader.releaseLock();
    try {
      this.#reader = this.#stream.getReader({ mode: "byob" });
    } catch {
      this.#byob = false; // not a byte stream: piece by piece, copied
      this.#reader = this.#stream.getReader();
    }
  }

  #stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.cancel();
  }
}

const MIN_CAPACITY = 16 * 1024;
const MIN_READ = 1024;

// The body as it arrives, in one buffer: the first piece kept as it is when it
// is the whole of its buffer, else copied; then read into, or copied into,
// the buffer's free end, which doubles when full (never past the declared
// length, or the limit, plus the 1 KiB read that shows a body is too long).
class Bytes {
  size = 0;
  #buffer: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  readonly #declared: number | undefined;
  readonly #max: number;

  constructor(declared: number | undefined, limit: number) {
    this.#declared = declared;
    this.#max = (declared ?? limit) + MIN_READ;
  }

  /** Whether all the declared bytes are in. */
  get complete(): boolean {
    return this.size === this.#declared;
  }

  append(piece: Uint8Array): void {
    const size = this.size + piece.byteLength;
    if (this.size === 0 && piece.byteLength === piece.buffer.byteLength) {
      this.#buffer = piece as Uint8Array<ArrayBuffer>;
    } else {
      if (size > this.#buffer.byteLength) this.#grow(size);
      this.#buffer.set(piece, this.size);
    }
    this.size = size;
  }

  /** The buffer's free end, to read into: at least 1 KiB of it. */
  free(): Uint8Array<ArrayBuffer> {
    // Deno 2.9's body stalls on reads into a few bytes (1-byte reads stop
    // after a handful), so the end is never that small.
    if (this.#buffer.byteLength - this.size < MIN_READ) this.#grow(this.size + MIN_READ);
    return new Uint8Array(this.#buffer.buffer, this.size, this.#buffer.byteLength - this.size);
  }

  /** `view`, a read into the free end, came back filled. */
  filled(view: Uint8Array): void {
    this.#buffer = new Uint8Array(view.buffer as ArrayBuffer);
    this.size += view.byteLength;
  }

  take(): Uint8Array<ArrayBuffer> {
    const buffer = this.#buffer;
    return buffer.byteLength === this.size ? buffer : buffer.subarray(0, this.size);
  }

  release(): void {
    this.#buffer = new Uint8Array(0);
  }

  #grow(needed: number): void {
    const doubled = Math.max(2 * this.#buffer.byteLength, MIN_CAPACITY);
    const buffer = new Uint8Array(Math.max(needed, Math.min(this.#max, doubled)));
    buffer.set(this.#buffer.subarray(0, this.size));
    this.#buffer = buffer;
  }
}
