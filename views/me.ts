/**
 * `GET /me`: who the request is authenticated as. Only for authenticated
 * users (`IsAuthenticated`), by Bearer token, then HTTP Basic.
 *
 * @module
 */

import {
  apiView,
  type Authenticator,
  type Handler,
  IsAuthenticated,
} from "../middleware/drf/mod.ts";

/**
 * The view over the service's authenticators.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { callView } from "../middleware/drf/test.ts";
 * import { me } from "./me.ts";
 * const bearer = { authenticate: async () => null, authenticateHeader: () => "Bearer" };
 * const response = await callView(me([bearer]));
 * assertEquals([response.status, response.headers.get("www-authenticate")], [401, "Bearer"]);
 * ```
 */
export function me(authentication: readonly Authenticator[]): Handler {
  return apiView(["GET"], async function me(_request, context) {
    return { username: context.user.username, is_staff: context.user.isStaff };
  }, {
    authentication,
    permissions: [IsAuthenticated],
    description: "The authenticated user: Bearer token, then HTTP Basic.",
  });
}
