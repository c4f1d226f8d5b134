/**
 * Scanning compact JSON text without parsing it: the character codes of its
 * structure, and the jump over a string. Shared by the body parser's depth
 * limit and the browsable API's indentation estimate.
 *
 * @module
 */

/** `"` */
export const QUOTE = 0x22;
/** `,` */
export const COMMA = 0x2c;
/** `:` */
export const COLON = 0x3a;
/** `{` */
export const OPEN_BRACE = 0x7b;
/** `[` */
export const OPEN_BRACKET = 0x5b;
/** `}` */
export const CLOSE_BRACE = 0x7d;
/** `]` */
export const CLOSE_BRACKET = 0x5d;

const BACKSLASH = 0x5c;

/**
 * The index of the quote that ends the JSON string opened at `start` (the
 * text's length when it is unterminated), jumping between quotes natively;
 * an escaped quote (an odd run of backslashes before it) does not end it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { stringEnd } from "./_json_text.ts";
 * assertEquals(stringEnd('"a\\"b" 1', 0), 5);
 * assertEquals(stringEnd('"open', 0), 5);
 * ```
 */
export function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
