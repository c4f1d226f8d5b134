/**
 * The nesting limit for JSON bodies. `JSON.parse` takes any depth, but code
 * that then walks the data recursively (a view's own, or `JSON.stringify` for
 * some shapes of data) can run out of stack at a few thousand levels, which
 * would be a 500 for what is the client's mistake.
 *
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

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

// The index of the quote that ends the string opened at `start` (the text's
// end when it is unterminated), jumping between quotes natively.
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

// How many times `char` is in `text`, counting up to just past `stop`.
function count(text: string, char: string, stop: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && n <= stop; i = text.indexOf(char, i + 1)) n++;
  return n;
}
