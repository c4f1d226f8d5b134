/**
 * Request parsers, after DRF's `rest_framework/parsers.py`: the body's
 * `Content-Type` picks a parser, which turns the bytes into data.
 *
 * @module
 */

import { readBody } from "../../http/read_body.ts";
import { ParseError, UnsupportedMediaType } from "../exceptions.ts";
import { exceedsJsonDepth } from "./json_depth.ts";
import { parseMultipart } from "./multipart.ts";

/** The limits a parse works within. */
export interface ParseLimits {
  /** The largest body taken, in bytes (413 past it). */
  readonly maxBodyBytes: number;
  /** The longest wait for the next byte of the body, in ms (408 past it; 0: none). */
  readonly bodyIdleTimeoutMs: number;
  /** The deepest nesting a JSON body may have (400 past it). */
  readonly maxJsonDepth: number;
  /** The most form fields a body may have, as Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`. */
  readonly maxFields: number;
  /** The most files, as Django's `DATA_UPLOAD_MAX_NUMBER_FILES`. */
  readonly maxFiles: number;
}

/** Turns a request body of one media type into data. */
export interface Parser {
  /** The media type it takes, lower case, without parameters. */
  readonly mediaType: string;
  /** Parse the body; `contentType` is the full header, parameters included. */
  parse(
    body: Uint8Array<ArrayBuffer>,
    contentType: string,
    limits: ParseLimits,
  ): unknown | Promise<unknown>;
}

/**
 * DRF's `JSONParser`: any JSON value, strictly (no `NaN`, valid UTF-8 only),
 * nested no deeper than `MAX_JSON_DEPTH`.
 */
export const jsonParser: Parser = {
  mediaType: "application/json",
  parse(body, contentType, limits) {
    let text;
    try {
      text = decoderFor(contentType).decode(body);
    } catch (error) {
      throw new ParseError(`JSON parse error - ${(error as Error).message}`);
    }
    const limit = limits.maxJsonDepth;
    if (exceedsJsonDepth(text, limit)) {
      throw new ParseError(`JSON parse error - Nesting is deeper than the limit of ${limit}.`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ParseError(`JSON parse error - ${(error as Error).message}`);
    }
  },
};

/** DRF's `FormParser`: an object of strings, the last of a repeated key winning. */
export const formParser: Parser = {
  mediaType: "application/x-www-form-urlencoded",
  parse(body, _contentType, limits) {
    const text = new TextDecoder().decode(body);
    // Counted before parsing, as Django's limited_parse_qsl, so a body of a
    // million fields is refused without building them.
    let separators = 0;
    for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1)) {
      if (++separators >= limits.maxFields) throw tooMany("fields", limits.maxFields);
    }
    const params = new URLSearchParams(text);
    // fromEntries defines own properties, so a `__proto__` key stays data.
    return Object.fromEntries(params);
  },
};

/** DRF's `MultiPartParser`: text fields as strings, uploads as `File`s. */
export const multipartParser: Parser = {
  mediaType: "multipart/form-data",
  parse(body, contentType, limits) {
    return parseMultipart(body, contentType, { fields: limits.maxFields, files: limits.maxFiles });
  },
};

/**
 * Parse a request's body with the one of `parsers` its `Content-Type` names.
 *
 * A request with no body, or an empty one, is `{}` whatever its type.
 *
 * @throws {UnsupportedMediaType} When no parser takes the body's type.
 * @throws {ParseError} When the body is not what its type says.
 * @throws {PayloadTooLarge} When the body is over `limits.maxBodyBytes`.
 * @throws {BodyIdleTimeout} When the body stops arriving.
 * @throws `context.signal.reason` When the request's signal aborts first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formParser, jsonParser, parseBody } from "./mod.ts";
 * const request = new Request("http://x", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: '{"a":1}',
 * });
 * const limits = {
 *   maxBodyBytes: 1024,
 *   bodyIdleTimeoutMs: 1000,
 *   maxJsonDepth: 64,
 *   maxFields: 100,
 *   maxFiles: 10,
 * };
 * assertEquals(await parseBody(request, [jsonParser, formParser], limits), { a: 1 });
 * ```
 */
export async function parseBody(
  request: Request,
  parsers: readonly Parser[],
  limits: ParseLimits,
  context?: { readonly signal: AbortSignal },
): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  const declared = request.headers.get("content-length");
  // `request.body` is not looked at here: asking for it makes a body Deno
  // holds whole into a stream (readBody answers an absent body as empty).
  if (declared === "0") return {};
  const mediaType = contentType.split(";", 1)[0].trim().toLowerCase();
  const parser = parsers.find((p) => p.mediaType === mediaType);
  // Without a Content-Length only reading tells an empty body from another.
  if (!parser && declared !== null) throw new UnsupportedMediaType(contentType);
  const body = await readBody(request, limits.maxBodyBytes, limits.bodyIdleTimeoutMs, context);
  if (body.byteLength === 0) return {};
  if (!parser) throw new UnsupportedMediaType(contentType);
  return await parser.parse(body, contentType, limits);
}

// A fatal decoder keeps no state between whole-buffer decodes, so the UTF-8 one
// is made once.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

// Few distinct Content-Types reach a service, so each one's decoder is
// remembered (up to 64 of them), saving two regexes a request.
const decoders = new Map<string, TextDecoder>();

function decoderFor(contentType: string): TextDecoder {
  let found = decoders.get(contentType);
  if (found === undefined) {
    found = decoder(charset(contentType)); // throws for an unknown charset
    if (decoders.size < 64) decoders.set(contentType, found);
  }
  return found;
}

function decoder(label: string): TextDecoder {
  return /^utf-?8$/i.test(label) ? UTF8 : new TextDecoder(label, { fatal: true });
}

function charset(contentType: string): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match ? match[1] : "utf-8";
}

function tooMany(what: string, limit: number): ParseError {
  return new ParseError(`The number of ${what} exceeds the limit of ${limit}.`);
}
