/**
 * DRF's `Response(data, status=..., headers=...)`: data that the API renders
 * with the renderer that content negotiation picked, plus a status and headers.
 *
 * @module
 */

import type { Negotiated } from "./negotiation.ts";
import type { RenderOptions } from "./renderers/base.ts";
import { jsonRenderer } from "./renderers/json.ts";

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
  constructor(data: unknown, init: ApiResponseInit = {}) {
    this.data = data;
    this.status = init.status ?? 200;
    this.headers = init.headers;
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
  const options: RenderOptions = { indent: negotiated?.indent, request, status, view };
  // The common case, a response without headers of its own, skips building a
  // Headers object: Response takes the pairs as they are.
  if (response.headers === undefined) {
    const out: [string, string][] = headers ? headers.slice() as [string, string][] : [];
    options.headers = out;
    const body = renderer.render(response.data, options);
    // DRF's Response drops Content-Type when there is no content (a 204).
    if (body !== "") out.push(["content-type", renderer.contentType]);
    for (const name in renderer.headers) out.push([name, renderer.headers[name]]);
    if (head && !NULL_BODY_STATUSES.has(status)) out.push(["content-length", byteLength(body)]);
    return new Response(empty ? null : body, { status, headers: out });
  }
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

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

// The body's length in UTF-8 bytes, as it would be sent.
function byteLength(body: string): string {
  return String(encoder.encode(body).byteLength);
}
