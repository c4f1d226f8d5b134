/**
 * DRF's `JSONRenderer`.
 *
 * @module
 */

import type { Renderer, RenderOptions } from "./base.ts";
import { stringifyIndented } from "./indent.ts";

/**
 * Render data as DRF's `JSONRenderer` does: compact, non-ASCII as raw UTF-8,
 * U+2028 and U+2029 escaped; with `indent`, one item a line and `": "` between a
 * key and its value, as DRF's `INDENT_SEPARATORS` (which is what JSON.stringify
 * writes too). Indentation that would make the text more than 4 times larger
 * (and over 1 MiB) is dropped: deep nesting is sent compact.
 *
 * Throws a `TypeError` for data JSON cannot hold (a `BigInt`, a cycle).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { renderJson } from "./json.ts";
 * assertEquals(renderJson({ a: [1] }), '{"a":[1]}');
 * assertEquals(renderJson({ a: 1 }, { indent: 2 }), '{\n  "a": 1\n}');
 * ```
 */
export function renderJson(data: unknown, options: RenderOptions = {}): string {
  if (data === undefined || data === null) return "";
  const indent = options.indent;
  let text = indent ? stringifyIndented(data, indent).text : JSON.stringify(data);
  // JSON.stringify returns undefined for a bare function or symbol.
  if (text === undefined) throw new TypeError("Data is not JSON serializable");
  if (text.includes("\u2028")) text = text.replaceAll("\u2028", "\\u2028");
  if (text.includes("\u2029")) text = text.replaceAll("\u2029", "\\u2029");
  return text;
}

/** DRF's `JSONRenderer`: `application/json`, `?format=json`. */
export const jsonRenderer: Renderer = {
  mediaType: "application/json",
  format: "json",
  contentType: "application/json",
  render: renderJson,
};
