/**
 * Indentation within bounds. Indenting JSON adds a line and `indent × depth`
 * spaces for every item, so deeply nested data grows without limit: 255 KB of
 * arrays nested 510 deep become 500 MB at `indent=8`, and a little more
 * overflows V8's longest string (a 500). Before indenting, the size the
 * indented text would have is counted on the compact text, and past the bound
 * the compact text is used instead.
 *
 * @module
 */

import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  stringEnd,
} from "../_json_text.ts";

/** Indented JSON may be this many times the compact JSON... */
export const INDENT_GROWTH = 4;
/** ...or this many characters, whichever is more; past that it is compact. */
export const INDENT_FLOOR = 1_048_576;
/** The most characters of JSON the browsable API's page shows. */
export const PAGE_VIEW_CHARS = 262_144;

/** JSON text, and whether it is indented as asked. */
export interface Stringified {
  /** The JSON; `undefined` for what `JSON.stringify` gives none (a function). */
  readonly text: string | undefined;
  /** `false` when indenting would have passed the bound, so the text is compact. */
  readonly indented: boolean;
}

/**
 * `JSON.stringify(data, null, indent)`, unless that would be more than
 * {@linkcode INDENT_GROWTH} times the compact JSON and more than
 * {@linkcode INDENT_FLOOR} characters: then the compact JSON.
 *
 * Throws what `JSON.stringify` throws (a `BigInt`, a cycle).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { stringifyIndented } from "./indent.ts";
 * assertEquals(stringifyIndented({ a: 1 }, 2), { text: '{\n  "a": 1\n}', indented: true });
 * const deep = JSON.parse("[".repeat(500) + "]".repeat(500));
 * const many = Array(300).fill(deep);
 * assertEquals(stringifyIndented(many, 8), { text: JSON.stringify(many), indented: false });
 * ```
 */
export function stringifyIndented(data: unknown, indent: number): Stringified {
  const compact: string | undefined = JSON.stringify(data);
  if (compact === undefined) return { text: undefined, indented: true };
  const limit = Math.max(INDENT_GROWTH * compact.length, INDENT_FLOOR);
  // At most one line per character, at most `length` deep: short texts need no count.
  const n = compact.length;
  if (n * (2 + indent * n) > limit && indentedLength(compact, indent, limit) > limit) {
    return { text: compact, indented: false };
  }
  return { text: JSON.stringify(data, null, indent), indented: true };
}

/**
 * What the browsable API's page shows of data: indented by `indent` within the
 * bound, then at most {@linkcode PAGE_VIEW_CHARS} characters of it, with a note
 * saying what was left out (`""` when nothing was).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pageView } from "./indent.ts";
 * assertEquals(pageView({ a: 1 }, 4), { text: '{\n    "a": 1\n}', note: "" });
 * ```
 */
export function pageView(data: unknown, indent: number): { text: string; note: string } {
  if (data === undefined) return { text: "", note: "" };
  const { text = "", indented } = stringifyIndented(data, indent);
  const notes = indented ? [] : [`not indented: that would make it over ${INDENT_GROWTH}× larger`];
  if (text.length > PAGE_VIEW_CHARS) {
    notes.push(`cut: the first ${PAGE_VIEW_CHARS} of ${text.length} characters shown`);
  }
  const note = notes.length ? `(${notes.join("; ")}; the JSON link has the whole response)` : "";
  return { text: text.slice(0, PAGE_VIEW_CHARS), note };
}

// The length JSON.stringify(data, null, indent) has, from the compact text, as
// soon as it is known to pass `limit`: each item of a non-empty array or
// object starts a line indented to its depth, so does the closing bracket, and
// a key's colon takes a space.
function indentedLength(compact: string, indent: number, limit: number): number {
  let length = compact.length;
  let depth = 0;
  for (let i = 0; i < compact.length; i++) {
    const code = compact.charCodeAt(i);
    if (code === QUOTE) i = stringEnd(compact, i);
    else if (code === COLON) length++;
    else if (code === COMMA) length += 1 + indent * depth;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      const next = compact.charCodeAt(i + 1);
      if (next === CLOSE_BRACE || next === CLOSE_BRACKET) i++; // [] and {} stay as they are
      else length += 1 + indent * ++depth;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) length += 1 + indent * --depth;
    if (length > limit) return length;
  }
  return length;
}
