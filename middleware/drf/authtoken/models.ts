/**
 * Tokens, after DRF's `rest_framework/authtoken/models.py`: one token a user,
 * made on first use, in Deno KV. The key (40 hex characters, 160 random bits,
 * as DRF's `generate_key`) is never stored: its SHA-256 digest is the index a
 * request's token is found by in one read (`["authtoken_token", digest]`),
 * and a copy sealed under the owner's password lets `obtain_auth_token` hand
 * the same key back on the next login (see `_sealed_key.ts`).
 *
 * @module
 */

import { timingSafeEqual } from "@std/crypto/timing-safe-equal";
import { encodeHex } from "@std/encoding/hex";
import { PBKDF2_ITERATIONS } from "../../auth/hashers.ts";
import { userKey, type UserRecord } from "../../auth/users.ts";
import { seal, type SealedKey, unseal } from "./_sealed_key.ts";

/** What a request's `context.auth` holds after token authentication: never the key. */
export interface Token {
  /** Its owner's username (DRF's `token.user`). */
  readonly username: string;
  /** When it was made, ISO 8601 (DRF's `token.created`). */
  readonly created: string;
}

/** A token as stored under its digest. */
interface TokenRecord extends Token {
  /** SHA-256 of the key, hex. */
  readonly digest: string;
  /** The key sealed under the owner's password. */
  readonly sealed: SealedKey;
}

/** What {@linkcode TokenStore.lookup} finds for a key. */
export interface TokenMatch {
  /** The token. */
  readonly token: Token;
  /** Its owner, or `null` when the user is gone. */
  readonly user: UserRecord | null;
}

const MAX_RACES = 3;

/**
 * The tokens of one Deno KV store, over its users.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UserStore } from "../../auth/users.ts";
 * import { TokenStore } from "./models.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * const tokens = new TokenStore(kv, { iterations: 1000 });
 * await users.create({ username: "ada", password: "pw" });
 * const { key, created } = await tokens.getOrCreate("ada", "pw");
 * assertEquals([key.length, created], [40, true]);
 * assertEquals((await tokens.getOrCreate("ada", "pw")).key, key);
 * assertEquals((await tokens.lookup(key))?.user?.username, "ada");
 * assertEquals(await tokens.lookup("0".repeat(40)), null);
 * ```
 */
export class TokenStore {
  readonly #kv: Deno.Kv;
  readonly #iterations: number;

  /** Tokens over `kv` (whose users are `UserStore`'s); sealing costs `iterations` of PBKDF2. */
  constructor(kv: Deno.Kv, options: { iterations?: number } = {}) {
    this.#kv = kv;
    this.#iterations = options.iterations ?? PBKDF2_ITERATIONS;
  }

  /**
   * The token a key stands for and its owner, or `null` for no such token:
   * one read by the key's digest, then one of the owner's record and current
   * token, whose digest is compared in constant time.
   */
  async lookup(key: string): Promise<TokenMatch | null> {
    const digest = await sha256(key);
    const record = (await this.#kv.get<TokenRecord>(["authtoken_token", digest])).value;
    if (!record) return null;
    // The owner and their current token in one read.
    const [user, current] = await this.#kv.getMany<[UserRecord, string]>([
      userKey(record.username),
      ["authtoken_user", record.username],
    ]);
    if (current.value === null || !sameDigest(current.value, digest)) return null;
    return { token: { username: record.username, created: record.created }, user: user.value };
  }

  /**
   * The user's one token, as DRF's `Token.objects.get_or_create(user=user)`:
   * the key made on first use, or the same key again, unsealed with the
   * password the user just logged in with. Call it only after the password
   * was checked. If the sealed key no longer opens (the password was changed
   * since), the old token is replaced by a new one. Two first logins at once
   * get the same token.
   */
  async getOrCreate(
    username: string,
    password: string,
  ): Promise<{ key: string; created: boolean }> {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await this.#kv.get<string>(["authtoken_user", username]);
      if (current.value !== null) {
        const record = (await this.#kv.get<TokenRecord>(["authtoken_token", current.value])).value;
        const key = record &&
          await unseal(record.sealed, password, context(username, record.digest));
        if (key) return { key, created: false };
      }
      const key = generateKey();
      const digest = await sha256(key);
      const record: TokenRecord = {
        username,
        created: new Date().toISOString(),
        digest,
        sealed: await seal(key, password, context(username, digest), this.#iterations),
      };
      const write = this.#kv.atomic().check(current)
        .set(["authtoken_user", username], digest)
        .set(["authtoken_token", digest], record);
      if (current.value !== null) write.delete(["authtoken_token", current.value]);
      if ((await write.commit()).ok) return { key, created: true };
      // Another login made or replaced the token meanwhile: take that one.
    }
    throw new Error(`The token of ${username} kept changing during ${MAX_RACES} attempts.`);
  }
}

/**
 * DRF's `Token.generate_key()`: 20 random bytes as 40 hex characters.
 *
 * @example
 * ```ts
 * import { assertMatch, assertNotEquals } from "@std/assert";
 * import { generateKey } from "./models.ts";
 * assertMatch(generateKey(), /^[0-9a-f]{40}$/);
 * assertNotEquals(generateKey(), generateKey());
 * ```
 */
export function generateKey(): string {
  return encodeHex(crypto.getRandomValues(new Uint8Array(20)));
}

async function sha256(key: string): Promise<string> {
  return encodeHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
}

function sameDigest(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function context(username: string, digest: string): string {
  return `authtoken\0${username}\0${digest}`;
}
