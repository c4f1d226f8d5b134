/**
 * The cursor of DRF's `CursorPagination`, as text: DRF's `encode_cursor` and
 * `decode_cursor` (base64 of `o=<offset>&r=<0|1>&p=<position>`), and the
 * position, a field's value that keeps its type. Anything that does not
 * decode is `404 {"detail":"Invalid cursor"}`.
 *
 * @module
 */

import { NotFound } from "./exceptions.ts";
import { positiveInt, pythonInt } from "./pagination.ts";
import { parseQs, quotePlus, replaceQueryParam } from "./utils/urls.ts";

/** Where a page starts: a position in the ordering, an offset past it, a direction. */
export interface Cursor {
  /** Records to skip past the position (for runs of equal positions). */
  readonly offset: number;
  /** Whether the page is read backwards (a `previous` link). */
  readonly reverse: boolean;
  /** The first ordering field's value at the page's edge, encoded; none on page one. */
  readonly position: string | null;
}

const INVALID = "Invalid cursor";

/**
 * DRF's `decode_cursor`: the `cursor` parameter's value, base64 of
 * `o=<offset>&r=<0|1>&p=<position>`, as a cursor.
 *
 * @param encoded The parameter's value, or `null` when it is absent.
 * @param cutoff The largest offset a cursor may carry.
 * @returns The cursor, or `undefined` when there is none.
 * @throws {NotFound} `Invalid cursor` when it does not decode.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { decodeCursor } from "./_cursor.ts";
 * assertEquals(decodeCursor("cD1uJTNBMg==", 1000), { offset: 0, reverse: false, position: "n:2" });
 * assertThrows(() => decodeCursor("cD14OjI=", 1000), Error, "Invalid cursor");
 * ```
 */
export function decodeCursor(encoded: string | null, cutoff: number): Cursor | undefined {
  if (encoded === null) return undefined;
  let text: string;
  try {
    // Python's b64decode drops characters outside the alphabet first.
    text = atob(encoded.replace(/[^A-Za-z0-9+/=]/g, ""));
  } catch {
    throw new NotFound(INVALID);
  }
  if (/[\u0080-\uffff]/.test(text)) throw new NotFound(INVALID);
  const tokens = parseQs(text);
  const offset = positiveInt(tokens.get("o")?.[0] ?? "0", false, cutoff);
  const reverse = pythonInt(tokens.get("r")?.[0] ?? "0");
  const position = tokens.get("p")?.[0] ?? null;
  if (offset === undefined || reverse === undefined) throw new NotFound(INVALID);
  if (position !== null) decodePosition(position);
  return { offset, reverse: reverse !== 0, position };
}

/**
 * DRF's `encode_cursor`: a link to the page a cursor starts, the request's
 * URL with its `cursor` parameter replaced.
 *
 * @param baseUrl The request's URL.
 * @param cursor The page's cursor.
 * @returns The link.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { encodeCursor } from "./_cursor.ts";
 * const cursor = { offset: 0, reverse: false, position: "n:2" };
 * assertEquals(encodeCursor("/n", cursor), "/n?cursor=cD1uJTNBMg%3D%3D");
 * ```
 */
export function encodeCursor(baseUrl: string, cursor: Cursor): string {
  const tokens: string[] = [];
  if (cursor.offset !== 0) tokens.push(`o=${cursor.offset}`);
  if (cursor.reverse) tokens.push("r=1");
  if (cursor.position !== null) tokens.push(`p=${quotePlus(cursor.position)}`);
  return replaceQueryParam(baseUrl, "cursor", btoa(tokens.join("&")));
}

/**
 * A record's position: its value of the first ordering field, as text that
 * keeps the value's type (`n:`, `d:`, `b:` or `s:`), so a page of dates
 * compares as dates.
 *
 * @param value The field's value.
 * @returns The position.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { encodePosition } from "./_cursor.ts";
 * assertEquals(encodePosition(new Date(0)), "d:1970-01-01T00:00:00.000Z");
 * ```
 */
export function encodePosition(value: unknown): string {
  if (value instanceof Date) return `d:${value.toISOString()}`;
  if (typeof value === "number") return `n:${value}`;
  if (typeof value === "boolean") return `b:${value}`;
  return `s:${value ?? ""}`;
}

/**
 * A position's value again, of the type it was encoded from.
 *
 * @param position The position.
 * @returns The value.
 * @throws {NotFound} `Invalid cursor` when it is not a position.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { decodePosition } from "./_cursor.ts";
 * assertEquals(decodePosition("n:2"), 2);
 * assertThrows(() => decodePosition("n:two"), Error, "Invalid cursor");
 * ```
 */
export function decodePosition(position: string): unknown {
  const value = position.slice(2);
  switch (position.slice(0, 2)) {
    case "d:": {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
      break;
    }
    case "n:":
      if (value !== "" && Number.isFinite(Number(value))) return Number(value);
      break;
    case "b:":
      if (value === "true" || value === "false") return value === "true";
      break;
    case "s:":
      return value;
  }
  throw new NotFound(INVALID);
}
