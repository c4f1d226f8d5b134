/**
 * A strict reader of `multipart/form-data` (RFC 7578) bodies, for
 * DRF's `MultiPartParser`.
 *
 * `Response.formData()` is not used because it is lenient where a parser must
 * not be: it silently drops a part whose headers it cannot read (no
 * `Content-Disposition`, an empty name, a folded header, a body cut off before
 * its closing boundary), keeps a `\"` escape's quotes in a field's name, and
 * misses parameters written in upper case or with spaces around `=`. Here each
 * of those is either read as RFC 7578 means or answered with a 400 that says
 * what is wrong, and the field and file limits stop the reading as soon as they
 * are passed. The body is already in memory and bounded by the body limit.
 *
 * @module
 */

import { ParseError } from "../exceptions.ts";

/** How many parts of each kind a body may have. */
export interface MultipartLimits {
  /** The most text fields, as Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS`. */
  fields: number;
  /** The most files, as Django's `DATA_UPLOAD_MAX_NUMBER_FILES`. */
  files: number;
}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const HEADER_NAME = new RegExp(`^${TOKEN}$`);
const DISPOSITION = new RegExp(`^(${TOKEN})[ \\t]*`, "y");
const PARAMETER = new RegExp(
  `;[ \\t]*(${TOKEN})[ \\t]*=[ \\t]*(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")[ \\t]*`,
  "y",
);
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i;
const encoder = new TextEncoder();
const headerDecoder = new TextDecoder("utf-8", { fatal: true });
const textDecoder = new TextDecoder();

/**
 * Read a `multipart/form-data` body into an object of text fields and
 * `File`s; of parts with the same name, the last one wins.
 *
 * @param body The whole body.
 * @param contentType The request's `Content-Type`, which names the boundary.
 * @param limits The most fields and files the body may have.
 * @returns The fields by name, as own data properties (a `__proto__` field is
 * data).
 * @throws {ParseError} When the body is not well-formed multipart, or has more
 * fields or files than `limits`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseMultipart } from "./multipart.ts";
 * const body = new TextEncoder().encode(
 *   '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
 * );
 * const data = parseMultipart(body, "multipart/form-data; boundary=b", { fields: 10, files: 0 });
 * assertEquals(data, { a: "1" });
 * ```
 */
export function parseMultipart(
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
  limits: MultipartLimits,
): Record<string, string | File> {
  const boundary = boundaryOf(contentType);
  const delimiter = encoder.encode(`--${boundary}`);
  // Each part ends at CRLF followed by the delimiter; a preamble may come first.
  const separator = encoder.encode(`\r\n--${boundary}`);
  let position = startsAt(body, delimiter, 0) ? 0 : find(body, separator, 0) + 2;
  if (position === 1) throw malformed("The body has no boundary delimiter.");
  const entries: [string, string | File][] = [];
  let fields = 0;
  let files = 0;
  while (true) {
    position += delimiter.length;
    if (body[position] === DASH && body[position + 1] === DASH) break;
    while (body[position] === 0x20 || body[position] === 0x09) position++;
    if (body[position] !== CR || body[position + 1] !== LF) {
      throw malformed("A boundary delimiter is not followed by a line break.");
    }
    position += 2;
    const headers = new Map<string, string>();
    while (true) {
      const end = find(body, CRLF, position);
      if (end === -1) throw malformed("A part's headers do not end.");
      if (end === position) break;
      const [name, value] = header(body.subarray(position, end));
      if (headers.has(name)) throw malformed(`A part has two "${name}" headers.`);
      headers.set(name, value);
      position = end + 2;
    }
    position += 2;
    const end = find(body, separator, position);
    if (end === -1) throw malformed("The body ends before its closing boundary.");
    const { name, filename } = disposition(headers.get("content-disposition"));
    const content = body.subarray(position, end);
    if (filename === undefined) {
      if (++fields > limits.fields) throw tooMany("fields", limits.fields);
      entries.push([name, textDecoder.decode(content)]);
    } else {
      if (++files > limits.files) throw tooMany("files", limits.files);
      const type = headers.get("content-type") || "application/octet-stream";
      entries.push([name, new File([content], filename, { type })]);
    }
    position = end + 2;
  }
  return Object.fromEntries(entries);
}

const CRLF = new Uint8Array([CR, LF]);

function boundaryOf(contentType: string): string {
  const match = BOUNDARY.exec(contentType);
  const boundary = match?.[1] ?? match?.[2] ?? "";
  // RFC 2046: 1 to 70 characters, not ending in a space.
  if (!/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) {
    throw malformed("The Content-Type has no valid boundary.");
  }
  return boundary;
}

function header(line: Uint8Array): [string, string] {
  let text;
  try {
    text = headerDecoder.decode(line);
  } catch {
    throw malformed("A part's headers are not valid UTF-8.");
  }
  // By hand, in one pass: a regex with a lazy value between optional blanks
  // backtracks in cubic time on blanks followed by a bad byte.
  const colon = text.indexOf(":");
  if (colon <= 0 || !HEADER_NAME.test(text.slice(0, colon))) throw badHeader();
  let start = colon + 1;
  let end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i); // no control character but the tab
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) throw badHeader();
  }
  return [text.slice(0, colon).toLowerCase(), text.slice(start, end)];
}

function badHeader(): ParseError {
  return malformed("A part has a malformed header.");
}

function disposition(value: string | undefined): { name: string; filename?: string } {
  if (value === undefined) throw malformed("A part has no Content-Disposition header.");
  DISPOSITION.lastIndex = 0;
  const type = DISPOSITION.exec(value);
  if (!type || type[1].toLowerCase() !== "form-data") {
    throw malformed("A part's Content-Disposition is not form-data.");
  }
  const params = new Map<string, string>();
  PARAMETER.lastIndex = DISPOSITION.lastIndex;
  while (PARAMETER.lastIndex < value.length) {
    const param = PARAMETER.exec(value);
    if (!param) throw malformed("A part's Content-Disposition is malformed.");
    const key = param[1].toLowerCase();
    if (params.has(key)) throw malformed(`A part's Content-Disposition has two "${key}".`);
    // Django's unquoting: only \" and \\ are escapes (browsers send a
    // backslash in a file name as it is).
    params.set(key, param[2] ?? param[3].replace(/\\(["\\])/g, "$1"));
  }
  const name = params.get("name");
  if (!name) throw malformed("A part has no name.");
  const extended = params.get("filename*");
  const filename = extended === undefined ? params.get("filename") : decodeExtended(extended);
  return { name, filename };
}

// RFC 8187's `filename*=UTF-8''caf%C3%A9.txt`, as Django reads it.
function decodeExtended(value: string): string {
  const match = /^utf-8'[^']*'(.*)$/i.exec(value);
  try {
    if (match) return decodeURIComponent(match[1]);
  } catch {
    // Falls through to the error below.
  }
  throw malformed("A part's filename* is not UTF-8 percent-encoded.");
}

function startsAt(body: Uint8Array, bytes: Uint8Array, at: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (body[at + i] !== bytes[i]) return false;
  return true;
}

// The first index of `bytes` in `body` from `from`, or -1: native search for
// the first byte, then a comparison bounded by the boundary's length.
function find(body: Uint8Array, bytes: Uint8Array, from: number): number {
  const last = body.length - bytes.length;
  for (
    let i = body.indexOf(bytes[0], from);
    i !== -1 && i <= last;
    i = body.indexOf(bytes[0], i + 1)
  ) {
    if (startsAt(body, bytes, i)) return i;
  }
  return -1;
}

function malformed(reason: string): ParseError {
  return new ParseError(`Multipart form parse error - ${reason}`);
}

function tooMany(what: string, limit: number): ParseError {
  return new ParseError(`The number of ${what} exceeds the limit of ${limit}.`);
}
