/**
 * Password hashing, after Django's `django.contrib.auth.hashers`
 * `PBKDF2PasswordHasher`: PBKDF2-HMAC-SHA256 through WebCrypto (which runs it
 * off the main thread), stored in Django's own format
 * `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, so a hash made here
 * checks in Django and the other way round.
 *
 * @module
 */

import { encodeBase64 } from "@std/encoding/base64";
import { timingSafeEqual } from "@std/crypto/timing-safe-equal";

/** Django 5.2's `PBKDF2PasswordHasher.iterations` (5.0: 720,000; 5.1: 870,000). */
export const PBKDF2_ITERATIONS = 1_000_000;

/** Django's prefix of a password that can never match (`set_unusable_password`). */
export const UNUSABLE_PASSWORD_PREFIX = "!";

const ALGORITHM = "pbkdf2_sha256";
// Django's RANDOM_STRING_CHARS and salt length: 22 characters carry 128 bits.
const SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SALT_LENGTH = 22;
// A stored count beyond this is not ours: refuse it rather than spin for minutes.
const MAX_ITERATIONS = 100_000_000;
const encoder = new TextEncoder();

/** Options of {@linkcode makePassword}. */
export interface HashOptions {
  /** PBKDF2 iterations; Django 5.2's 1,000,000 by default. */
  iterations?: number;
  /** The salt (letters and digits); 22 random ones by default. */
  salt?: string;
}

/**
 * Hash a password in Django's format, as `make_password`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makePassword } from "./hashers.ts";
 * assertEquals(
 *   await makePassword("lètmein", { salt: "seasalt", iterations: 1000 }),
 *   "pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A=",
 * );
 * ```
 */
export async function makePassword(password: string, options: HashOptions = {}): Promise<string> {
  const { iterations = PBKDF2_ITERATIONS, salt = randomSalt() } = options;
  if (!/^[A-Za-z0-9]+$/.test(salt)) throw new TypeError("A salt is letters and digits only.");
  const hash = await pbkdf2(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${salt}$${encodeBase64(hash)}`;
}

/**
 * Whether a password matches a hash made by {@linkcode makePassword}, as
 * Django's `check_password`: the hash is made again with the stored salt and
 * count and compared in constant time. A malformed or unusable hash never
 * matches.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkPassword, makePassword } from "./hashers.ts";
 * const encoded = await makePassword("s3cret", { iterations: 1000 });
 * assertEquals(await checkPassword("s3cret", encoded), true);
 * assertEquals(await checkPassword("S3cret", encoded), false);
 * assertEquals(await checkPassword("s3cret", "!unusable"), false);
 * ```
 */
export async function checkPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM) return false;
  const [, count, salt, stored] = parts;
  const iterations = Number(count);
  if (!/^[1-9][0-9]*$/.test(count) || iterations > MAX_ITERATIONS || salt === "") return false;
  const again = encoder.encode(encodeBase64(await pbkdf2(password, salt, iterations)));
  const expected = encoder.encode(stored);
  return again.length === expected.length && timingSafeEqual(again, expected);
}

/**
 * Spend the time checking a password would, for a user that does not exist:
 * Django's `ModelBackend` does the same, so that a login's timing does not
 * tell which names are taken.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { hashForNothing } from "./hashers.ts";
 * assertEquals(await hashForNothing("guess", 1000), false);
 * ```
 */
export async function hashForNothing(
  password: string,
  iterations: number = PBKDF2_ITERATIONS,
): Promise<false> {
  await pbkdf2(password, randomSalt(), iterations);
  return false;
}

async function pbkdf2(password: string, salt: string, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(salt), iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

// Uniform over SALT_CHARS: bytes past the last whole multiple of 62 are drawn again.
function randomSalt(): string {
  let salt = "";
  const limit = 256 - (256 % SALT_CHARS.length);
  while (salt.length < SALT_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(SALT_LENGTH))) {
      if (byte < limit && salt.length < SALT_LENGTH) salt += SALT_CHARS[byte % SALT_CHARS.length];
    }
  }
  return salt;
}
