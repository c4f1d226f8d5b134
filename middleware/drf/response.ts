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
 * without the body, and the `Content-Length` GET's body has (RFC 9110): the
 * body is rendered once, as for GET, and only measured.
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
  const head = request.method === "HEAD";
  const empty = head || NULL_BODY_STATUSES.has(status);
  // The common case, a response without headers of its own, takes the view's
  // headers as a record made once per view and renderer: no Headers object,
  // and Response reads a record with less work than a list of pairs.
  if (response.headers === undefined) {
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
    // DRF's Response drops Content-Type when there is no content (a 204).
    const record = headerRecord(headers ?? NO_HEADERS, body === "" ? undefined : renderer);
    // HEAD sends the Content-Length GET would send (RFC 9110).
    const sent = head && !NULL_BODY_STATUSES.has(status)
      ? { ...record, "content-length": byteLength(body) }
      : record;
    return new Response(empty ? null : body, { status, headers: sent });
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
  if (body !== "") out.set("content-type", renderer.contentType);
  for (const name in renderer.headers) out.set(name, renderer.headers[name]);
  if (head && !NULL_BODY_STATUSES.has(status)) out.set("content-length", byteLength(body));
  return new Response(empty ? null : body, { status, headers: out });
}

/** Response headers as name and value pairs, names in lower case. */
export type HeaderPairs = readonly (readonly [string, string])[];

const NO_HEADERS: HeaderPairs = [];
// Per list of headers (a view's, made once) and renderer: the response's
// headers, Content-Type and the renderer's own included.
// (No renderer: an empty body, which has no Content-Type.)
const records = new WeakMap<
  HeaderPairs,
  Map<Renderer | undefined, Readonly<Record<string, string>>>
>();

function headerRecord(
  headers: HeaderPairs,
  renderer: Renderer | undefined,
): Readonly<Record<string, string>> {
  let byRenderer = records.get(headers);
  if (byRenderer === undefined) records.set(headers, byRenderer = new Map());
  let record = byRenderer.get(renderer);
  if (record === undefined) {
    const made: Record<string, string> = Object.fromEntries(headers);
    if (renderer) {
      made["content-type"] = renderer.contentType;
      for (const name in renderer.headers) made[name] = renderer.headers[name];
    }
    byRenderer.set(renderer, record = Object.freeze(made));
  }
  return record;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

// The body's length in UTF-8 bytes, as it would be sent.
function byteLength(body: string): string {
  return String(encoder.encode(body).byteLength);
}
