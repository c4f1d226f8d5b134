/**
 * Reading a request body with a size limit that holds for every framing.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { PayloadTooLarge } from "./errors.ts";

/**
 * Read a request's body, at most `limit` bytes of it.
 *
 * A `Content-Length` over the limit is refused before anything is read; a
 * body without one (chunked) is counted as it streams and cancelled as soon as
 * it passes the limit, so no more than `limit` bytes are ever held.
 *
 * @throws {PayloadTooLarge} When the body is larger than `limit`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readBody } from "./read_body.ts";
 * const body = await readBody(new Request("http://x", { method: "POST", body: "hi" }), 10);
 * assertEquals(body.length, 2);
 * ```
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new PayloadTooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
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
