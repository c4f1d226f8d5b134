/**
 * Authentication, after DRF's `rest_framework/authentication.py`: who sent a
 * request, found by the first authenticator that recognises its credentials.
 * DRF's `TokenAuthentication` (here with `keyword = "Bearer"`) and
 * `BasicAuthentication`, over the users and tokens in Deno KV, with DRF's
 * messages byte for byte.
 *
 * @module
 */

import type { UserRecord, UserStore } from "../auth/users.ts";
import type { TokenStore } from "./authtoken/models.ts";
import {
  asciiLower,
  authorizationWords,
  bytesOf,
  decodeLatin1,
  decodeUtf8,
  pythonB64decode,
} from "./_authorization_header.ts";
import { AuthenticationFailed } from "./exceptions.ts";
import type { Authenticator, User } from "./request.ts";

export type { Authenticator } from "./request.ts";

/**
 * A stored user as the request's `context.user`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { asUser } from "./authentication.ts";
 * const record = { username: "grace", password: "pbkdf2_sha256$...", isStaff: true, isActive: true, dateJoined: "" };
 * assertEquals(asUser(record), { username: "grace", isAuthenticated: true, isStaff: true, isActive: true });
 * ```
 */
export function asUser(record: UserRecord): User {
  return {
    username: record.username,
    isAuthenticated: true,
    isStaff: record.isStaff,
    isActive: record.isActive,
  };
}

/**
 * DRF's `TokenAuthentication` with `keyword = "Bearer"`:
 * `Authorization: Bearer <key>`, the scheme in any case. `context.auth` is
 * the `Token` (its owner and creation time, never the key).
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { TokenAuthentication } from "./authentication.ts";
 * import { TokenStore } from "./authtoken/models.ts";
 * import { AuthenticationFailed } from "./mod.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const bearer = new TokenAuthentication(new TokenStore(kv));
 * const request = new Request("http://x/", { headers: { authorization: "bearer nope" } });
 * const error = await assertRejects(() => bearer.authenticate(request), AuthenticationFailed);
 * assertEquals(error.detail, "Invalid token.");
 * assertEquals(bearer.authenticateHeader(), "Bearer");
 * ```
 */
export class TokenAuthentication implements Authenticator {
  /** The scheme recognised and sent as the challenge. */
  readonly keyword: string;
  readonly #tokens: TokenStore;
  readonly #scheme: string;

  /** Authenticate by the tokens of `tokens`, under `keyword` (`"Bearer"`). */
  constructor(tokens: TokenStore, options: { keyword?: string } = {}) {
    this.#tokens = tokens;
    this.keyword = options.keyword ?? "Bearer";
    this.#scheme = asciiLower(this.keyword);
  }

  /** The user and the `Token` of a `Bearer` header, `null` without one. */
  async authenticate(request: Request): Promise<[User, unknown] | null> {
    const words = authorizationWords(request);
    if (words.length === 0 || asciiLower(words[0]) !== this.#scheme) return null;
    if (words.length === 1) {
      throw new AuthenticationFailed("Invalid token header. No credentials provided.");
    }
    if (words.length > 2) {
      throw new AuthenticationFailed(
        "Invalid token header. Token string should not contain spaces.",
      );
    }
    const key = decodeUtf8(bytesOf(words[1]));
    if (key === null) {
      throw new AuthenticationFailed(
        "Invalid token header. Token string should not contain invalid characters.",
      );
    }
    // A deleted user takes its token along, as DRF's cascade: "Invalid token.".
    const match = await this.#tokens.lookup(key);
    if (!match?.user) throw new AuthenticationFailed("Invalid token.");
    if (!match.user.isActive) throw new AuthenticationFailed("User inactive or deleted.");
    return [asUser(match.user), match.token];
  }

  /** The challenge of a 401: the keyword. */
  authenticateHeader(): string {
    return this.keyword;
  }
}

/**
 * DRF's `BasicAuthentication`: `Authorization: Basic base64(name:password)`,
 * checked as Django's `authenticate()` with its `ModelBackend`, so an
 * inactive user's right password is "Invalid username/password." as in DRF
 * with Django's default backend. Every request pays one password hash.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UserStore } from "../auth/users.ts";
 * import { BasicAuthentication } from "./authentication.ts";
 * import { ApiContext } from "./mod.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * await users.create({ username: "ada", password: "pw" });
 * const basic = new BasicAuthentication(users);
 * const request = new Request("http://x/", { headers: { authorization: `Basic ${btoa("ada:pw")}` } });
 * const [user] = (await basic.authenticate(request))!;
 * assertEquals([user.username, basic.authenticateHeader()], ["ada", 'Basic realm="api"']);
 * ```
 */
export class BasicAuthentication implements Authenticator {
  /** The realm of the challenge. */
  readonly realm: string;
  readonly #users: UserStore;

  /** Authenticate against `users`; the challenge names `realm` (`"api"`). */
  constructor(users: UserStore, options: { realm?: string } = {}) {
    this.#users = users;
    this.realm = options.realm ?? "api";
  }

  /** The user of a `Basic` header, `null` without one. */
  async authenticate(request: Request): Promise<[User, unknown] | null> {
    const words = authorizationWords(request);
    if (words.length === 0 || asciiLower(words[0]) !== "basic") return null;
    if (words.length === 1) {
      throw new AuthenticationFailed("Invalid basic header. No credentials provided.");
    }
    if (words.length > 2) {
      throw new AuthenticationFailed(
        "Invalid basic header. Credentials string should not contain spaces.",
      );
    }
    const decoded = pythonB64decode(bytesOf(words[1]));
    if (decoded === null) {
      throw new AuthenticationFailed(
        "Invalid basic header. Credentials not correctly base64 encoded.",
      );
    }
    const text = decodeUtf8(decoded) ?? decodeLatin1(decoded);
    const colon = text.indexOf(":");
    const [username, password] = colon === -1
      ? [text, ""]
      : [text.slice(0, colon), text.slice(colon + 1)];
    const user = await this.#users.authenticate(username, password);
    if (!user) throw new AuthenticationFailed("Invalid username/password.");
    if (!user.isActive) throw new AuthenticationFailed("User inactive or deleted.");
    return [asUser(user), null];
  }

  /** The challenge of a 401: `Basic realm="api"`. */
  authenticateHeader(): string {
    return `Basic realm="${this.realm}"`;
  }
}
