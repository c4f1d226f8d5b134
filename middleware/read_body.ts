/**
 * Reading a request body with a size limit that holds for every framing, and
 * an idle limit that frees the request from a client that stops sending.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { ParseError, PayloadTooLarge, RequestTimeout } from "./errors.ts";
import { settings } from "./settings.ts";

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
 * @throws {RequestTimeout} When no data arrives for `idleMs` (0: no limit).
 * @throws {ParseError} When the body breaks off (the client went away).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readBody } from "./read_body.ts";
 * const body = await readBody(new Request("http://x", { method: "POST", body: "hi" }), 10);
 * assertEquals(body.length, 2);
 * ```
 */
export async function readBody(
  request: Request,
  limit: number,
  idleMs: number = settings.bodyIdleTimeoutMs,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new PayloadTooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await readWithin(reader, idleMs);
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : concat(chunks);
}

// One timer a read, cleared as soon as the read settles: @std's `deadline`
// leaves its `AbortSignal.timeout` running for the whole wait after every
// chunk, which for thousands of bodies is thousands of live timers.
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>,
  idleMs: number,
): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read: Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>[] = [reader.read()];
  if (idleMs > 0) {
    read.push(
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RequestTimeout(idleMs)), idleMs);
      }),
    );
  }
  try {
    return await Promise.race(read);
  } catch (error) {
    if (!(error instanceof RequestTimeout)) {
      // The client went away or broke the framing: its error, not the server's.
      throw new ParseError("Request body ended before it was complete.");
    }
    // Release the connection's body: the pending read ends with it.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
