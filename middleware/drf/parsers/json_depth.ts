/**
 * The nesting limit for JSON bodies. `JSON.parse` takes any depth, but code
 * that then walks the data recursively (a view's own, or `JSON.stringify` for
 * some shapes of data) can run out of stack at a few thousand levels, which
 * would be a 500 for what is the client's mistake.
 *
 * @module
 */

import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  stringEnd,
} from "../_json_text.ts";

/**
 * Whether a JSON text nests arrays and objects deeper than `limit`, found in
 * one pass without parsing (brackets inside strings do not count).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { exceedsJsonDepth } from "./json_depth.ts";
 * assertEquals(exceedsJsonDepth('[[1]]', 2), false);
 * assertEquals(exceedsJsonDepth('[[[1]]]', 2), true);
 * assertEquals(exceedsJsonDepth('["[[[["]', 2), false);
 * ```
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  // Nesting deeper than `limit` takes more than `limit` characters.
  if (text.length <= limit) return false;
  // Nor with no more than `limit` opening brackets in all, counted natively.
  if (count(text, "{", limit) + count(text, "[", limit) <= limit) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) i = stringEnd(text, i);
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
  }
  return false;
}

// How many times `char` is in `text`, counting up to just past `stop`.
function count(text: string, char: string, stop: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && n <= stop; i = text.indexOf(char, i + 1)) n++;
  return n;
}
