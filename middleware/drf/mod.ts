/**
 * Everything a view imports: the DRF port's decorators, responses, errors,
 * context and policy types.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView, NotFound } from "./mod.ts";
 * const item = apiView(["GET"], async function item(_request, context) {
 *   if (context.params.id !== 1) throw new NotFound();
 *   return { id: 1 };
 * });
 * assertEquals(typeof item, "function");
 * ```
 *
 * @module
 */

export { apiView, type ApiViewOptions } from "./decorators.ts";
export { dispatch, type Policies, type View, type ViewConfig } from "./views.ts";
export { ApiResponse, type ApiResponseInit } from "./response.ts";
export { ANONYMOUS_USER, ApiContext, type User } from "./request.ts";
export * from "./exceptions.ts";
export type { Authenticator } from "./authentication.ts";
export type { Permission } from "./permissions.ts";
export {
  AnonRateThrottle,
  clientIdent,
  ImproperlyConfigured,
  parseRate,
  type Rate,
  type RateThrottleOptions,
  ScopedRateThrottle,
  type ScopedRateThrottleOptions,
  SimpleRateThrottle,
  type Throttle,
  type ThrottleDecision,
  type ThrottledView,
  type ThrottleRates,
  UserRateThrottle,
} from "./throttling.ts";
export type { ThrottleHit, ThrottleStore } from "./throttle_stores/store.ts";
export type { Handler } from "../http/context.ts";
export type { Route } from "../http/router.ts";
