/**
 * The service's users, tokens and standard authenticators over its Deno KV
 * store, made once per store and shared by every view that asks: the
 * counterpart of DRF's settings naming `TokenAuthentication` and
 * `BasicAuthentication`.
 *
 * @module
 */

import { PBKDF2_ITERATIONS } from "../auth/hashers.ts";
import { UserStore } from "../auth/users.ts";
import { type Authenticator, BasicAuthentication, TokenAuthentication } from "./authentication.ts";
import { TokenStore } from "./authtoken/models.ts";

/** The stores authentication reads: the service's Deno KV (main.ts's `Stores` fits). */
export interface AuthStores {
  /** Where users and tokens are. */
  readonly kv: Deno.Kv;
}

/** The users and tokens of one KV store, and its standard authenticators. */
export interface Auth {
  /** Its users. */
  readonly users: UserStore;
  /** Its tokens. */
  readonly tokens: TokenStore;
  /** Bearer token, then HTTP Basic. */
  readonly bearerThenBasic: readonly Authenticator[];
  /** The PBKDF2 iterations of new password hashes and sealed keys. */
  readonly iterations: number;
}

const MADE = new WeakMap<Deno.Kv, Auth>();

/**
 * The users, tokens and standard authenticators of the service's KV store,
 * made on the first call for that store. `iterations` (Django 5.2's
 * 1,000,000 by default) is taken on that first call only: tests make the
 * service's stores with fewer before building it, so they run fast; asking
 * for another count later is an error.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { authStores } from "./auth_stores.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const { users, iterations } = authStores({ kv }, { iterations: 1000 });
 * assertEquals([await users.get("nobody"), iterations], [null, 1000]);
 * assertEquals(authStores({ kv }).users, users);
 * ```
 */
export function authStores(stores: AuthStores, options: { iterations?: number } = {}): Auth {
  const made = MADE.get(stores.kv);
  if (made) {
    if (options.iterations !== undefined && options.iterations !== made.iterations) {
      throw new Error(`This store's users were set up with ${made.iterations} iterations.`);
    }
    return made;
  }
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  const users = new UserStore(stores.kv, { iterations });
  const tokens = new TokenStore(stores.kv, { iterations });
  const auth: Auth = {
    users,
    tokens,
    iterations,
    bearerThenBasic: Object.freeze([
      new TokenAuthentication(tokens),
      new BasicAuthentication(users),
    ]),
  };
  MADE.set(stores.kv, auth);
  return auth;
}

/**
 * The standard authenticators over the service's stores: Bearer token, then
 * HTTP Basic, so an unauthenticated request's challenge is `Bearer`. The same
 * list for every call with the same store.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { bearerThenBasic } from "./auth_stores.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const request = new Request("http://x/");
 * const challenges = bearerThenBasic({ kv }).map((a) => a.authenticateHeader?.(request));
 * assertEquals(challenges, ["Bearer", 'Basic realm="api"']);
 * assertEquals(bearerThenBasic({ kv }), bearerThenBasic({ kv }));
 * ```
 */
export function bearerThenBasic(stores: AuthStores): readonly Authenticator[] {
  return authStores(stores).bearerThenBasic;
}
