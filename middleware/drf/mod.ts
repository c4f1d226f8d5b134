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
export { dispatch, type Policies, type View, type ViewConfig, viewConfig } from "./views.ts";
export { withDefaultPolicies } from "./default_policies.ts";
export { ApiResponse, type ApiResponseInit } from "./response.ts";
export { ANONYMOUS_USER, ApiContext, type User } from "./request.ts";
export * from "./exceptions.ts";
export {
  asUser,
  type Authenticator,
  BasicAuthentication,
  TokenAuthentication,
} from "./authentication.ts";
export { type Auth, type AuthStores, authStores, bearerThenBasic } from "./auth_stores.ts";
export type { Token } from "./authtoken/models.ts";
export {
  AllowAny,
  and,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  not,
  or,
  type Permission,
  SAFE_METHODS,
} from "./permissions.ts";
export { checkObjectPermissions } from "./_policies.ts";
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
export * from "./fields.ts";
export {
  type Fields,
  type Instance,
  type Representation,
  Serializer,
  serializer,
  type SerializerOptions,
  type Validated,
} from "./serializers.ts";
export { validateData } from "./validate_data.ts";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard_schema.ts";
export * from "./repository.ts";
export { MemoryRepository } from "./memory_repository.ts";
export { KvRepository, type KvRepositoryOptions } from "./kv_repository.ts";
export * from "./pagination.ts";
export * from "./page_number_pagination.ts";
export * from "./limit_offset_pagination.ts";
export * from "./cursor_pagination.ts";
export * from "./filters.ts";
export * from "./generics.ts";
export * from "./viewsets.ts";
export * from "./routers.ts";
export type { Operation, SchemaHints } from "./views.ts";
export { SchemaGenerator, type SchemaGeneratorOptions } from "./schemas/openapi.ts";
export { forceAuthenticate, type Params } from "./request.ts";
