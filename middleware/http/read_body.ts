/**
 * Reading a request body with a size limit that holds for every framing, an
 * idle limit that frees the request from a client that stops sending, and
 * memory in proportion to what arrived.
 *
 * @module
 */

import { BodyBuffer } from "./body_buffer.ts";
import { BadRequest, BodyIdleTimeout, PayloadTooLarge } from "./errors.ts";
import { heldWhole } from "./held_body.ts";
import { idleWatch, type Watch } from "./idle_watch.ts";

/**
 * Read a request's body, at most `limit` bytes of it, waiting at most
 * `idleMs` for each next piece, for no longer than its request lives
 * (`context.signal`, looked at only when the body must be waited for).
 *
 * A `Content-Length` over the limit is refused before anything is read; a
 * body without one (chunked) is counted as it streams and cancelled as soon as
 * it passes the limit, so no more than `limit` bytes are ever held. A body
 * that stops arriving for `idleMs` is cancelled too, and so is one whose
 * request ends first (the signal aborts: its deadline passed or its client
 * left): the read stops at once and lets go of what it held.
 *
 * A body Deno already holds whole is taken as it is. One still arriving goes
 * into one buffer that grows with what arrived (never more than twice it, or
 * 16 KiB): read straight into it when Deno streams the body, else copied
 * piece by piece. Deno hands a slowly sent body over as a piece
 * per packet, each a view of its own 64 KiB buffer, so keeping the pieces as
 * they come would hold 64 KiB for every byte of a trickled body.
 *
 * @throws {PayloadTooLarge} When the body is larger than `limit`.
 * @throws {BodyIdleTimeout} When no data arrives for `idleMs` (0: no limit).
 * @throws {BadRequest} When the body breaks off (the client went away).
 * @throws `context.signal.reason` When the signal aborts before the body is read.
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
  context?: { readonly signal: AbortSignal },
): Promise<Uint8Array<ArrayBuffer>> {
  const header = request.headers.get("content-length");
  const length = header === null ? NaN : Number(header);
  if (length > limit) throw new PayloadTooLarge(limit);
  // (Deno refuses a malformed length; a Request made in JS may carry one.)
  const declared = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  // A body Deno holds whole (most small ones) is there already: nothing to
  // wait for, so no stream, no timer and no signal to watch.
  if (heldWhole(request)) {
    const whole = await request.bytes() as Uint8Array<ArrayBuffer>;
    if (whole.byteLength > limit) throw new PayloadTooLarge(limit);
    return whole;
  }
  const stream = request.body;
  if (stream === null) return new Uint8Array(0);
  const signal = context?.signal;
  signal?.throwIfAborted();
  const bytes = new BodyBuffer(declared, limit);
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
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader;
  readonly #byob: boolean;
  readonly #idle: Watch | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(stream: ReadableStream<Uint8Array>, idleMs: number, signal: AbortSignal | undefined) {
    const reader = byobReader(stream);
    this.#byob = reader !== undefined;
    this.#reader = reader ?? stream.getReader();
    this.#idle = idleWatch(idleMs)?.watch(() => this.#stop(new BodyIdleTimeout(idleMs)));
    this.#signal = signal;
    signal?.addEventListener("abort", this);
  }

  /** Read the next piece into `bytes`; true when the body has ended. */
  async next(bytes: BodyBuffer): Promise<boolean> {
    if (this.#byob) {
      const reader = this.#reader as ReadableStreamBYOBReader;
      const { done, value } = await reader.read(bytes.free());
      // The buffer comes back, moved, even with the end.
      if (value) bytes.filled(value);
      return done;
    }
    const { done, value } = await (this.#reader as ReadableStreamDefaultReader<Uint8Array>).read();
    if (!done) bytes.append(value);
    return done;
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

  #stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.cancel();
  }
}

// A reader that reads into the caller's buffer, for a byte stream (Deno's,
// for a body still arriving); `undefined` for another (a stream made in JS).
// Asking is the only way to know, and a refusal throws, without a stack here.
function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return stream.getReader({ mode: "byob" });
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
