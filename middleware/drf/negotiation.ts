/**
 * Content negotiation, after DRF's `DefaultContentNegotiation`: `?format=`
 * narrows the renderers (404 when none has that name), then the `Accept`
 * header picks among them (406 when it admits none). Matching and q-values are
 * @std/http's `accepts`.
 *
 * @module
 */

import type { Context } from "../http/context.ts";
import { accepts } from "@std/http/negotiation";
import { DEFAULT_RENDERERS as RENDERERS, MAX_INDENT } from "./api_settings.ts";
import { NotAcceptable, NotFound } from "./exceptions.ts";
import type { Renderer } from "./renderers/base.ts";

/** What negotiation settled on for one request. */
export interface Negotiated {
  /** The renderer to use. */
  readonly renderer: Renderer;
  /** JSON indentation the client asked for, 1..8, if any. */
  readonly indent?: number;
}

// Few distinct Accept headers reach a service (each client library sends its
// own constant one), so results are remembered; the cap bounds the memory a
// client that sends a new header every time can take.
const CACHE_LIMIT = 256;
// Real Accept headers are short; a long one is answered but not remembered, so
// the cache holds at most 256 × 512 characters.
const CACHE_KEY_LIMIT = 512;
const cache = new Map<string, Negotiated | NotAcceptable | NotFound>();
// The most of an Accept header that is read: real ones are a few ranges in a
// few hundred characters, and matching is far from linear in the ranges
// (6,501 ranges in 32 KB took 5 ms or more, on every request).
const MAX_ACCEPT_LENGTH = 1024;
const MAX_ACCEPT_RANGES = 32;
const DEFAULT: Negotiated = { renderer: RENDERERS[0] };

/**
 * Pick the renderer for a request from its `Accept` header and its `?format=`
 * value.
 *
 * Throws `NotFound` when no renderer has the format's name and
 * `NotAcceptable` when the `Accept` header admits none of the renderers. Only
 * the header's first 32 ranges, within its first 1,024 characters, are read.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { negotiate } from "./negotiation.ts";
 * const { renderer, indent } = negotiate("application/json; indent=2", undefined);
 * assertEquals([renderer.mediaType, indent], ["application/json", 2]);
 * ```
 */
export function negotiate(accept: string | null, format: string | undefined): Negotiated {
  // What most clients send (nothing, or anything) needs no work at all.
  if (format === undefined && (accept === null || accept === "*/*")) return DEFAULT;
  if (accept !== null && accept.length > MAX_ACCEPT_LENGTH) accept = firstRanges(accept);
  const key = `${format ?? ""}\n${accept ?? ""}`;
  const cacheable = key.length <= CACHE_KEY_LIMIT;
  let result = cacheable ? cache.get(key) : undefined;
  if (result === undefined) {
    try {
      result = select(accept, format);
    } catch (error) {
      if (!(error instanceof NotAcceptable || error instanceof NotFound)) throw error;
      result = error;
    }
    if (cacheable) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, result);
    }
  }
  if (result instanceof Error) throw result;
  return result;
}

/**
 * Pick the renderer for an error that no view answers (an unknown path, an
 * error past the views): the one the `?format=` override and the `Accept`
 * header pick, or `undefined` (JSON) when they admit none. (A view answers
 * what its own negotiation refuses in JSON, as DRF does.)
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { negotiateFallback } from "./negotiation.ts";
 * assertEquals(negotiateFallback("text/html")?.renderer.format, "api");
 * assertEquals(negotiateFallback(null, "api")?.renderer.format, "api");
 * assertEquals(negotiateFallback("text/html", "json"), undefined); // JSON
 * assertEquals(negotiateFallback("image/png"), undefined);
 * ```
 */
export function negotiateFallback(
  accept: string | null,
  format?: string,
): Negotiated | undefined {
  try {
    return negotiate(accept, format);
  } catch {
    return undefined;
  }
}

/**
 * DRF's `URL_FORMAT_OVERRIDE`: the last `format` in the query, if any.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Context } from "../http/context.ts";
 * import { urlFormat } from "./negotiation.ts";
 * const request = new Request("http://x/a?format=api&format=json");
 * assertEquals(urlFormat(new Context(request)), "json");
 * ```
 */
export function urlFormat(context: Context): string | undefined {
  if (!context.search.includes("format=")) return undefined;
  return context.query.getAll("format").at(-1) || undefined;
}

function select(accept: string | null, format: string | undefined): Negotiated {
  const candidates = format ? RENDERERS.filter((r) => r.format === format) : RENDERERS;
  if (candidates.length === 0) throw new NotFound();
  if (!accept) return { renderer: candidates[0] };
  const ranges = parseRanges(accept);
  // @std's matching demands that every parameter of a range is on the offered
  // type too, so `application/json; indent=2` would match nothing: offer it
  // the ranges with only their q-values, and read the other parameters here.
  const bare = ranges.map((r) => r.q === undefined ? r.type : `${r.type};q=${r.q}`).join(",");
  const chosen: string | undefined = accepts(
    { headers: new Headers({ accept: bare }) },
    ...candidates.map((r) => r.mediaType),
  );
  const renderer = candidates.find((r) => r.mediaType === chosen);
  if (!renderer) throw new NotAcceptable();
  return { renderer, indent: indentFor(renderer.mediaType, ranges) };
}

interface MediaRange {
  type: string;
  q: string | undefined;
  params: Map<string, string>;
}

// The ranges within the first MAX_ACCEPT_LENGTH characters (a range cut
// there is dropped, unless it is the first).
function firstRanges(accept: string): string {
  const head = accept.slice(0, MAX_ACCEPT_LENGTH + 1);
  const comma = head.lastIndexOf(",");
  return comma > 0 ? head.slice(0, comma) : head.slice(0, MAX_ACCEPT_LENGTH);
}

function parseRanges(accept: string): MediaRange[] {
  return accept.split(",", MAX_ACCEPT_RANGES).map((part) => {
    const [type, ...rest] = part.split(";");
    const params = new Map<string, string>();
    for (const param of rest) {
      const eq = param.indexOf("=");
      if (eq > 0) params.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim());
    }
    return { type: type.trim().toLowerCase(), q: params.get("q"), params };
  });
}

// DRF takes `indent` from the most specific range that matched the renderer,
// wildcards included (`*/*; indent=4` indents JSON too), clamped to 0..8;
// 0 or a non-number means no indentation.
function indentFor(mediaType: string, ranges: MediaRange[]): number | undefined {
  const [main] = mediaType.split("/");
  const rank = (type: string) =>
    type === mediaType ? 2 : type === `${main}/*` ? 1 : type === "*/*" ? 0 : -1;
  let best: MediaRange | undefined;
  for (const range of ranges) {
    if (!range.params.has("indent") || range.q !== undefined && !(Number(range.q) > 0)) continue;
    if (rank(range.type) >= 0 && (!best || rank(range.type) > rank(best.type))) best = range;
  }
  const indent = best?.params.get("indent") ?? "";
  if (!/^[+-]?[0-9]+$/.test(indent)) return undefined;
  return Math.max(0, Math.min(Number(indent), MAX_INDENT)) || undefined;
}
