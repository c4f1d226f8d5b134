// Reading the Authorization header as DRF does, byte for byte: Deno hands a
// header's value over as one character per byte, so Python's bytes methods
// are mirrored on the characters.

/**
 * DRF's `get_authorization_header(request).split()`: the header's words,
 * split on ASCII whitespace as Python's `bytes.split()` does.
 */
export function authorizationWords(request: Request): string[] {
  const header = request.headers.get("authorization");
  if (header === null) return [];
  return header.split(/[ \t\n\r\v\f]+/).filter((word) => word !== "");
}

/** Python's `bytes.lower()`: ASCII letters only. */
export function asciiLower(word: string): string {
  return word.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** The bytes of a header word (each character is one byte). */
export function bytesOf(word: string): Uint8Array {
  const bytes = new Uint8Array(word.length);
  for (let i = 0; i < word.length; i++) bytes[i] = word.charCodeAt(i);
  return bytes;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Python's `bytes.decode()` (strict UTF-8), or `null` where Python raises `UnicodeError`. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Python's `bytes.decode("latin-1")`, which never fails. */
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
