// A token's key sealed under its owner's password, so that obtain_auth_token
// can hand the same token back on every login (DRF's get_or_create) while the
// store keeps only the key's digest and this sealed copy: AES-256-GCM under a
// key PBKDF2 derives from the password (its own salt, the password hasher's
// iterations). A leaked KV file yields no token without the password, and
// guessing the password from it costs what guessing it from its hash does.

import { decodeBase64, encodeBase64 } from "@std/encoding/base64";

/** A key sealed by {@linkcode seal}; every field is data, base64 where binary. */
export interface SealedKey {
  /** PBKDF2 salt, base64. */
  readonly salt: string;
  /** PBKDF2 iterations. */
  readonly iterations: number;
  /** AES-GCM nonce, base64. */
  readonly iv: string;
  /** The key encrypted and authenticated, base64. */
  readonly ciphertext: string;
}

const encoder = new TextEncoder();

async function wrappingKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Seal `key` under `password`; `context` (the owner and the key's digest) is
 * bound as associated data, so a sealed key moved to another record does not
 * open.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seal, unseal } from "./_sealed_key.ts";
 * const sealed = await seal("k3y", "pw", "ada", 1000);
 * assertEquals(await unseal(sealed, "pw", "ada"), "k3y");
 * assertEquals(await unseal(sealed, "pw", "bob"), null);
 * ```
 */
export async function seal(
  key: string,
  password: string,
  context: string,
  iterations: number,
): Promise<SealedKey> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
    await wrappingKey(password, salt, iterations),
    encoder.encode(key),
  );
  return {
    salt: encodeBase64(salt),
    iterations,
    iv: encodeBase64(iv),
    ciphertext: encodeBase64(new Uint8Array(ciphertext)),
  };
}

/**
 * The key `seal` sealed, or `null` when the password or context is not the one it was sealed with.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seal, unseal } from "./_sealed_key.ts";
 * assertEquals(await unseal(await seal("k3y", "pw", "ada", 1000), "PW", "ada"), null);
 * ```
 */
export async function unseal(
  sealed: SealedKey,
  password: string,
  context: string,
): Promise<string | null> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: decodeBase64(sealed.iv), additionalData: encoder.encode(context) },
      await wrappingKey(password, decodeBase64(sealed.salt), sealed.iterations),
      decodeBase64(sealed.ciphertext),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
