/**
 * A request body as it arrives, in one buffer that grows with what arrived.
 *
 * @module
 */

const MIN_CAPACITY = 16 * 1024;
// Deno 2.9's request body stalls on reads into a few bytes (reads into 1 to 7
// bytes stop after a handful), so a read is never given less than this.
const MIN_READ = 1024;

/**
 * The bytes of a body so far: the first piece kept as it is when it is the
 * whole of its buffer, else copied; later pieces read into the buffer's free
 * end (`free()`, then `filled()`) or copied there (`append()`). The buffer
 * doubles when full, from 16 KiB, never past the declared length or the
 * limit (plus the 1 KiB read that shows a body is too long): it holds at most
 * twice what arrived, or 16 KiB, whatever the pieces it came in.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BodyBuffer } from "./body_buffer.ts";
 * const bytes = new BodyBuffer(undefined, 100);
 * bytes.append(new Uint8Array(new ArrayBuffer(65536), 0, 1));
 * bytes.append(new Uint8Array([2, 3]));
 * assertEquals(bytes.take().byteLength, 3);
 * assertEquals(bytes.take().buffer.byteLength <= 16 * 1024, true);
 * ```
 */
export class BodyBuffer {
  /** Bytes received so far. */
  size = 0;
  #buffer: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  readonly #declared: number | undefined;
  readonly #max: number;

  /** For a body of `declared` bytes (its `Content-Length`), or at most `limit`. */
  constructor(declared: number | undefined, limit: number) {
    this.#declared = declared;
    this.#max = (declared ?? limit) + MIN_READ;
  }

  /** Whether all the declared bytes are in. */
  get complete(): boolean {
    return this.size === this.#declared;
  }

  /** Copy a piece in (or keep it, when it is the first and a whole buffer). */
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
    if (this.#buffer.byteLength - this.size < MIN_READ) this.#grow(this.size + MIN_READ);
    return new Uint8Array(this.#buffer.buffer, this.size, this.#buffer.byteLength - this.size);
  }

  /** A read into `free()` came back as `view` (on the moved buffer), filled. */
  filled(view: Uint8Array): void {
    this.#buffer = new Uint8Array(view.buffer as ArrayBuffer);
    this.size += view.byteLength;
  }

  /** The bytes. */
  take(): Uint8Array<ArrayBuffer> {
    const buffer = this.#buffer;
    return buffer.byteLength === this.size ? buffer : buffer.subarray(0, this.size);
  }

  /** Let go of the bytes (the read failed). */
  release(): void {
    this.#buffer = new Uint8Array(0);
    this.size = 0;
  }

  #grow(needed: number): void {
    const doubled = Math.max(2 * this.#buffer.byteLength, MIN_CAPACITY);
    const buffer = new Uint8Array(Math.max(needed, Math.min(this.#max, doubled)));
    buffer.set(this.#buffer.subarray(0, this.size));
    this.#buffer = buffer;
  }
}
