/**
 * Renderers turn a view's data into a response body, after DRF's
 * `rest_framework/renderers.py`. Content negotiation picks one per request.
 *
 * @module
 */

import { browsableApiRenderer } from "./browsable_api.ts";

/** Per-request facts a renderer may use. */
export interface RenderOptions {
  /** Spaces to indent JSON by (from `Accept: application/json; indent=N`). */
  indent?: number;
  /** The request answered. */
  request?: Request;
  /** The response's status. */
  status?: number;
  /** The response's headers (`Allow`, `Vary`, the view's own), without `Content-Type`. */
  headers?: HeadersInit;
  /** The view that answers, when one does (not for a path no route matches). */
  view?: { readonly name: string; readonly description: string };
}

/** A way to render data: its media type, its `?format=` name, its function. */
export interface Renderer {
  /** The media type clients ask for in `Accept`. */
  readonly mediaType: string;
  /** The name clients use in `?format=`. */
  readonly format: string;
  /** The `Content-Type` of what it renders. */
  readonly contentType: string;
  /** Headers that every response it renders carries, if any. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Render data to a body; `null` or `undefined` renders nothing. */
  render(data: unknown, options?: RenderOptions): string;
}

/**
 * Render data as DRF's `JSONRenderer` does: compact, non-ASCII as raw UTF-8,
 * U+2028 and U+2029 escaped; with `indent`, one item a line and `": "` between a
 * key and its value, as DRF's `INDENT_SEPARATORS` (which is what JSON.stringify
 * writes too).
 *
 * Throws a `TypeError` for data JSON cannot hold (a `BigInt`, a cycle).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { renderJson } from "./renderers.ts";
 * assertEquals(renderJson({ a: [1] }), '{"a":[1]}');
 * assertEquals(renderJson({ a: 1 }, { indent: 2 }), '{\n  "a": 1\n}');
 * ```
 */
export function renderJson(data: unknown, options: RenderOptions = {}): string {
  if (data === undefined || data === null) return "";
  const indent = options.indent;
  let text = indent ? JSON.stringify(data, null, indent) : JSON.stringify(data);
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

/** The renderers the service has, the default first: JSON, then the browsable API's HTML. */
export const RENDERERS: readonly Renderer[] = [jsonRenderer, browsableApiRenderer(jsonRenderer)];
