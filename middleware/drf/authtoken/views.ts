/**
 * DRF's `obtain_auth_token`: a POST of `username` and `password` (JSON, form
 * or multipart) answers the user's one token, `{"token": "..."}`, made on
 * first use.
 *
 * @module
 */

import type { Handler } from "../../http/context.ts";
import { type AuthStores, authStores } from "../auth_stores.ts";
import { apiView } from "../decorators.ts";
import { ValidationError } from "../exceptions.ts";
import { validateCredentials } from "./serializers.ts";

/**
 * The view of `POST /api-token-auth` over the service's stores. As DRF's
 * `ObtainAuthToken`: no permissions and no throttles of its own (an empty
 * list each), the service's default authentication. Wrong credentials, and
 * an inactive user's right ones (Django's `authenticate()` refuses both), are
 * `400 {"non_field_errors":["Unable to log in with provided credentials."]}`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { authStores } from "../auth_stores.ts";
 * import { callView, post } from "../test.ts";
 * import { obtainAuthToken } from "./views.ts";
 * await using kv = await Deno.openKv(":memory:");
 * await authStores({ kv }, { iterations: 1000 }).users.create({ username: "ada", password: "pw" });
 * const response = await callView(obtainAuthToken({ kv }), post('{"username":"ada","password":"pw"}'));
 * assertEquals((await response.json()).token.length, 40);
 * ```
 */
export function obtainAuthToken(stores: AuthStores): Handler {
  const { users, tokens } = authStores(stores);
  return apiView(["POST"], async function obtainAuthToken(_request, context) {
    const { username, password } = validateCredentials(await context.data());
    const user = await users.authenticate(username, password);
    if (!user) {
      throw new ValidationError({
        non_field_errors: ["Unable to log in with provided credentials."],
      });
    }
    const { key } = await tokens.getOrCreate(user.username, password);
    return { token: key };
  }, { permissions: [], throttles: [] });
}
