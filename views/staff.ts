/**
 * `GET /staff`: for staff only (`IsAdminUser`), by Bearer token, then HTTP
 * Basic.
 *
 * @module
 */

import { apiView, type Authenticator, type Handler, IsAdminUser } from "../middleware/drf/mod.ts";

/**
 * The view over the service's authenticators.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { callView } from "../middleware/drf/test.ts";
 * import { staff } from "./staff.ts";
 * const grace = { username: "grace", isAuthenticated: true, isStaff: true, isActive: true };
 * const response = await callView(staff([{ authenticate: async () => [grace, null] }]));
 * assertEquals(await response.json(), { username: "grace" });
 * ```
 */
export function staff(authentication: readonly Authenticator[]): Handler {
  return apiView(["GET"], async function staff(_request, context) {
    return { username: context.user.username };
  }, {
    authentication,
    permissions: [IsAdminUser],
    description: "For staff only: Bearer token, then HTTP Basic.",
  });
}
