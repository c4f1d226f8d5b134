/**
 * Reading a request body with a size limit that holds for every framing, and
 * an idle limit that frees the request from a client that stops sending.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { BadRequest, BodyIdleTimeout, PayloadTooLarge } from "./errors.ts";

/**
 * Read a request's body, at most `limit` bytes of it, waiting at most
 * `idleMs` for each next piece.
 *
 * A `Content-Length` over the limit is refused before anything is read; a
 * body without one (chunked) is counted as it streams and cancelled as soon as
 * it passes the limit, so no more than `limit` bytes are ever held. A body
 * that stops arriving for `idleMs` is cancelled too.
 *
 * @throws {PayloadTooLarge} When the body is larger than `limit`.
 * @throws {BodyIdleTimeout} When no data arrives for `idleMs` (0: no limit).
 * @throws {BadRequest} When the body breaks off (the client went away).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readBody } from "./read_body.ts";
 * const body = await readBody(new Request("http://x", { method: "POST", body: "hi" }), 10, 1000);
 * assertEquals(body.length, 2);
 * ```
 */
export async function readBody(
  request: Request,
  limit: number,
  idleMs: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new PayloadTooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const idle = idleMs > 0 ? new IdleTimer(idleMs) : undefined;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = idle ? await idle.race(reader.read()) : await reader.read();
      if (done) break;
      idle?.touch();
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new PayloadTooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PayloadTooLarge) throw error;
    // Release the connection's body: a pending read ends with it.
    reader.cancel().catch(() => {});
    if (error instanceof BodyIdleTimeout) throw error;
    // The client went away or broke the framing: its error, not the server's.
    throw new BadRequest("Request body ended before it was complete.");
  } finally {
    idle?.stop();
  }
  return chunks.length === 1 ? chunks[0] : concat(chunks);
}

// One timer a body, not one a chunk: each chunk only notes the time, and the
// timer, when it fires, waits again for whatever is left of the idle time.
// (@std's `deadline` would leave an `AbortSignal.timeout` running after every
// chunk, which for thousands of bodies is thousands of live timers.)
class IdleTimer {
  readonly #idleMs: number;
  readonly #expired: Promise<never>;
  #last = performance.now();
  #timer: ReturnType<typeof setTimeout>;
  #expire!: (error: BodyIdleTimeout) => void;

  constructor(idleMs: number) {
    this.#idleMs = idleMs;
    this.#expired = new Promise<never>((_, reject) => this.#expire = reject);
    this.#expired.catch(() => {});
    this.#timer = setTimeout(this.#check, idleMs);
  }

  /** A byte arrived. */
  touch(): void {
    this.#last = performance.now();
  }

  /** The read, or a `BodyIdleTimeout` once no byte has come for the idle time. */
  race<T>(read: Promise<T>): Promise<T> {
    return Promise.race([read, this.#expired]);
  }

  /** The body is read (or refused): no more waiting. */
  stop(): void {
    clearTimeout(this.#timer);
  }

  #check = (): void => {
    const quiet = performance.now() - this.#last;
    if (quiet >= this.#idleMs) this.#expire(new BodyIdleTimeout(this.#idleMs));
    else this.#timer = setTimeout(this.#check, this.#idleMs - quiet);
  };
}
