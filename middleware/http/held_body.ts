/**
 * Whether Deno already holds a request's whole body.
 *
 * `Deno.serve` takes a body that arrived with its head (most small bodies: a
 * client writes head and body at once) off the connection before the handler
 * asks for it, and keeps it as bytes; `request.bytes()` then returns those
 * bytes with no stream, no copy and nothing to wait for. A body still
 * arriving is a stream to read piece by piece, under the idle limit. Deno
 * has no public way to tell the two apart (reading even one piece makes the
 * held bytes a stream, and asking for a byte reader throws for them), so this
 * reads its internal record of the body, defensively: any other shape than
 * the one known (Deno 2.9) means "not known to be held", and the caller
 * streams, which is always correct, only slower.
 *
 * @module
 */

// Request.prototype's accessor for the body record, keyed by `Symbol("body")`.
const BODY = Object.getOwnPropertySymbols(Request.prototype).find((symbol) =>
  symbol.description === "body"
);

/**
 * Whether `request`'s body is bytes Deno holds whole, so that
 * `request.bytes()` answers at once. `false` when unsure.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { heldWhole } from "./held_body.ts";
 * assertEquals(heldWhole(new Request("http://x", { method: "POST", body: "hi" })), true);
 * const stream = new ReadableStream({ start: (c) => c.close() });
 * assertEquals(heldWhole(new Request("http://x", { method: "POST", body: stream })), false);
 * assertEquals(heldWhole(new Request("http://x")), false);
 * ```
 */
export function heldWhole(request: Request): boolean {
  if (BODY === undefined) return false;
  try {
    const record = (request as unknown as Record<symbol, unknown>)[BODY];
    if (typeof record !== "object" || record === null) return false;
    const body = (record as { streamOrStatic?: unknown }).streamOrStatic;
    // Held bytes are `{ body, consumed }` (bytes, or a string for a Request
    // made in JS); anything else is a stream.
    if (typeof body !== "object" || body === null || body instanceof ReadableStream) return false;
    const { body: bytes, consumed } = body as { body?: unknown; consumed?: unknown };
    return consumed === false && (bytes instanceof Uint8Array || typeof bytes === "string");
  } catch {
    return false;
  }
}
