// Reading the Authorization header as DRF does, byte for byte: Deno hands a
// header's value over as one character per byte, so Python's bytes methods
// are mirrored on the characters.

/**
 * DRF's `get_authorization_header(request).split()`: the header's words,
 * split on ASCII whitespace as Python's `bytes.split()` does.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { authorizationWords } from "./_authorization_header.ts";
 * const request = new Request("http://x/", { headers: { authorization: "Bearer \t abc  " } });
 * assertEquals(authorizationWords(request), ["Bearer", "abc"]);
 * ```
 */
export function authorizationWords(request: Request): string[] {
  const header = request.headers.get("authorization");
  if (header === null) return [];
  return header.split(/[ \t\n\r\v\f]+/).filter((word) => word !== "");
}

/**
 * Python's `bytes.lower()`: ASCII letters only.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { asciiLower } from "./_authorization_header.ts";
 * assertEquals(asciiLower("BeArER\xc9"), "bearer\xc9");
 * ```
 */
export function asciiLower(word: string): string {
  return word.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The bytes of a header word (each character is one byte).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { bytesOf } from "./_authorization_header.ts";
 * assertEquals(bytesOf("a\xff"), new Uint8Array([0x61, 0xff]));
 * ```
 */
export function bytesOf(word: string): Uint8Array {
  const bytes = new Uint8Array(word.length);
  for (let i = 0; i < word.length; i++) bytes[i] = word.charCodeAt(i);
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Python's `bytes.decode()` (strict UTF-8), or `null` where Python raises `UnicodeError`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { decodeUtf8 } from "./_authorization_header.ts";
 * assertEquals([decodeUtf8(new Uint8Array([0xc3, 0xa9])), decodeUtf8(new Uint8Array([0xff]))], ["é", null]);
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Python's `bytes.decode("latin-1")`, which never fails.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { decodeLatin1 } from "./_authorization_header.ts";
 * assertEquals(decodeLatin1(new Uint8Array([0x7a, 0xeb])), "zë");
 * ```
 */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
const PAD = "=".charCodeAt(0);

/**
 * Python's `base64.b64decode(data)` (not validating), as CPython's
 * `binascii.a2b_base64` does it: bytes outside the alphabet are skipped, a
 * complete pad ends the input, and a last group of one character or without
 * its padding is an error (`null`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pythonB64decode } from "./_authorization_header.ts";
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * assertEquals(pythonB64decode(bytes("YWRh!OnB3")), bytes("ada:pw"));
 * assertEquals(pythonB64decode(bytes("YQ==ignored")), bytes("a"));
 * assertEquals(pythonB64decode(bytes("YQ=")), null);
 * ```
 */
export function pythonB64decode(data: Uint8Array): Uint8Array | null {
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const byte of data) {
    if (byte === PAD) {
      if (quad >= 2 && quad + ++pads >= 4) return new Uint8Array(out);
      continue;
    }
    const value = VALUES.get(byte);
    if (value === undefined) continue;
    pads = 0;
    if (quad === 0) left = value;
    else if (quad === 1) out.push(((left << 2) | (value >> 4)) & 0xff), left = value & 0x0f;
    else if (quad === 2) out.push(((left << 4) | (value >> 2)) & 0xff), left = value & 0x03;
    else out.push(((left << 6) | value) & 0xff), left = 0;
    quad = (quad + 1) % 4;
  }
  return quad === 0 ? new Uint8Array(out) : null;
}
