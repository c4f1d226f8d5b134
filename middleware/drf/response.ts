/**
 * DRF's `Response(data, status=..., headers=...)`: data that the API renders
 * with the renderer that content negotiation picked, plus a status and headers.
 *
 * @module
 */

import type { Negotiated } from "./negotiation.ts";
import type { Renderer, RenderOptions } from "./renderers/base.ts";
import { jsonRenderer, renderJson } from "./renderers/json.ts";

/** Options of an {@linkcode ApiResponse}. */
export interface ApiResponseInit {
  /** The HTTP status; 200 by default. */
  status?: number;
  /** Extra headers for the response. */
  headers?: HeadersInit;
}

/**
 * Data to render, with the status and headers to send it with.
 *
 * A view returns one of these when plain data (always 200) is not enough.
 *
 * @example
 * ```ts
 * import { ApiResponse } from "./response.ts";
 * const created = new ApiResponse({ name: "Ada" }, { status: 201 });
 * ```
 */
export class ApiResponse {
  /** The data to render; `undefined` renders an empty body. */
  readonly data: unknown;
  /** The HTTP status. */
  readonly status: number;
  /** Extra response headers, if any. */
  readonly headers: HeadersInit | undefined;

  /** Wrap data with a status (200 by default) and headers. */
  constructor(data: unknown, init?: ApiResponseInit) {
    this.data = data;
    this.status = init?.status ?? 200;
    this.headers = init?.headers;
  }
}

/**
 * Render an {@linkcode ApiResponse} into a web `Response` with the negotiated
 * renderer (JSON when negotiation failed), after DRF's `finalize_response`.
 * `headers` are the view's own (`Allow`, `Vary`) and `view` its name and
 * description, for renderers that show them. A HEAD request gets the headers
 * without the body.
 *
 * Throws what the renderer throws for data it cannot render.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiResponse, finalizeResponse } from "./response.ts";
 * const response = finalizeResponse(new Request("http://x"), new ApiResponse({ a: 1 }));
 * assertEquals(await response.text(), '{"a":1}');
 * ```
 */
export function finalizeResponse(
  request: Request,
  response: ApiResponse,
  negotiated?: Negotiated,
  headers?: HeaderPairs,
  view?: RenderOptions["view"],
): Response {
  const renderer = negotiated?.renderer ?? jsonRenderer;
  const status = response.status;
  const empty = request.method === "HEAD" || NULL_BODY_STATUSES.has(status);
  // The common case, a response without headers of its own, takes the view's
  // headers as a record made once per view and renderer: no Headers object,
  // and Response reads a record with less work than a list of pairs.
  if (response.headers === undefined) {
    const record = headerRecord(headers ?? NO_HEADERS, renderer);
    const body = renderer === jsonRenderer && negotiated?.indent === undefined
      // JSON without indentation reads no option: none are made.
      ? renderJson(response.data)
      : renderer.render(response.data, {
        indent: negotiated?.indent,
        request,
        status,
        view,
        headers: headers as [string, string][] | undefined,
      });
    return new Response(empty ? null : body, { status, headers: record });
  }
  const options: RenderOptions = { indent: negotiated?.indent, request, status, view };
  const out = new Headers(response.headers);
  if (headers) {
    for (const [name, value] of headers) {
      // Vary is a list that the view's own entries stay in, as Django's patch_vary_headers.
      if (name === "vary" && out.has("vary")) out.set("vary", `${out.get("vary")}, ${value}`);
      else out.set(name, value);
    }
  }
  options.headers = out;
  const body = renderer.render(response.data, options);
  out.set("content-type", renderer.contentType);
  for (const name in renderer.headers) out.set(name, renderer.headers[name]);
  return new Response(empty ? null : body, { status, headers: out });
}

/** Response headers as name and value pairs, names in lower case. */
export type HeaderPairs = readonly (readonly [string, string])[];

const NO_HEADERS: HeaderPairs = [];
// Per list of headers (a view's, made once) and renderer: the response's
// headers, Content-Type and the renderer's own included.
const records = new WeakMap<HeaderPairs, Map<Renderer, Readonly<Record<string, string>>>>();

function headerRecord(headers: HeaderPairs, renderer: Renderer): Readonly<Record<string, string>> {
  let byRenderer = records.get(headers);
  if (byRenderer === undefined) records.set(headers, byRenderer = new Map());
  let record = byRenderer.get(renderer);
  if (record === undefined) {
    const made: Record<string, string> = Object.fromEntries(headers);
    made["content-type"] = renderer.contentType;
    for (const name in renderer.headers) made[name] = renderer.headers[name];
    byRenderer.set(renderer, record = Object.freeze(made));
  }
  return record;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
