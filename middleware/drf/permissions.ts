/**
 * Permissions, after DRF's `rest_framework/permissions.py`: whether the
 * request's user may do what it asks. A permission is a value (DRF's classes
 * become objects), composed with {@linkcode and}, {@linkcode or} and
 * {@linkcode not} (DRF's `&`, `|`, `~`). Either check may be async.
 *
 * @module
 */

import type { ApiContext, Permission } from "./request.ts";

export type { Permission } from "./request.ts";

/** The methods that only read: `IsAuthenticatedOrReadOnly` lets anyone use them. */
export const SAFE_METHODS: readonly string[] = ["GET", "HEAD", "OPTIONS"];

/**
 * Anyone, as DRF's `AllowAny`: the intent written down.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { AllowAny } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/", { method: "DELETE" });
 * assertEquals(AllowAny.hasPermission(request, new ApiContext(request)), true);
 * ```
 */
export const AllowAny: Permission = Object.freeze({ hasPermission: () => true });

/**
 * Authenticated users only, as DRF's `IsAuthenticated`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAuthenticated } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/");
 * assertEquals(IsAuthenticated.hasPermission(request, new ApiContext(request)), false);
 * ```
 */
export const IsAuthenticated: Permission = Object.freeze({
  hasPermission: (_request: Request, context: ApiContext) => context.user.isAuthenticated,
});

/**
 * Staff only, as DRF's `IsAdminUser` (Django's `is_staff`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAdminUser } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/");
 * const context = new ApiContext(request);
 * context.user = { username: "grace", isAuthenticated: true, isStaff: true, isActive: true };
 * assertEquals(IsAdminUser.hasPermission(request, context), true);
 * ```
 */
export const IsAdminUser: Permission = Object.freeze({
  hasPermission: (_request: Request, context: ApiContext) => context.user.isStaff,
});

/**
 * Anyone may read (GET, HEAD, OPTIONS); only authenticated users may write,
 * as DRF's `IsAuthenticatedOrReadOnly`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAuthenticatedOrReadOnly } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const read = new Request("http://x/");
 * const write = new Request("http://x/", { method: "POST" });
 * assertEquals(IsAuthenticatedOrReadOnly.hasPermission(read, new ApiContext(read)), true);
 * assertEquals(IsAuthenticatedOrReadOnly.hasPermission(write, new ApiContext(write)), false);
 * ```
 */
export const IsAuthenticatedOrReadOnly: Permission = Object.freeze({
  hasPermission: (request: Request, context: ApiContext) =>
    SAFE_METHODS.includes(request.method.toUpperCase()) || context.user.isAuthenticated,
});

// DRF's BasePermission.has_object_permission: allowed unless a permission says otherwise.
function objectCheck(
  permission: Permission,
  request: Request,
  context: ApiContext,
  object: unknown,
): boolean | Promise<boolean> {
  return permission.hasObjectPermission?.(request, context, object) ?? true;
}

/**
 * Both must allow, as DRF's `a & b` (more operands chain from the left, as
 * `a & b & c`). The second is not asked when the first refuses. Like DRF
 * 3.14's `AND`, the composition has no message of its own: a refusal is
 * "You do not have permission to perform this action.".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { and, IsAdminUser, IsAuthenticated } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/");
 * assertEquals(await and(IsAuthenticated, IsAdminUser).hasPermission(request, new ApiContext(request)), false);
 * ```
 */
export function and(first: Permission, second: Permission, ...more: Permission[]): Permission {
  const composed: Permission = {
    hasPermission: async (request, context) =>
      await first.hasPermission(request, context) && await second.hasPermission(request, context),
    hasObjectPermission: async (request, context, object) =>
      await objectCheck(first, request, context, object) &&
      await objectCheck(second, request, context, object),
  };
  return more.length === 0 ? composed : and(composed, more[0], ...more.slice(1));
}

/**
 * Either may allow, as DRF's `a | b`. For an object, DRF 3.14's rule: an
 * operand allows only when it allows both the request and the object, so
 * `or(IsAdminUser, IsOwner)` lets the owner in without letting every
 * authenticated user act on every object. No message of its own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAuthenticated, IsAuthenticatedOrReadOnly, or } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/");
 * const either = or(IsAuthenticated, IsAuthenticatedOrReadOnly);
 * assertEquals(await either.hasPermission(request, new ApiContext(request)), true);
 * ```
 */
export function or(first: Permission, second: Permission, ...more: Permission[]): Permission {
  const composed: Permission = {
    hasPermission: async (request, context) =>
      await first.hasPermission(request, context) || await second.hasPermission(request, context),
    hasObjectPermission: async (request, context, object) =>
      (await first.hasPermission(request, context) &&
        await objectCheck(first, request, context, object)) ||
      (await second.hasPermission(request, context) &&
        await objectCheck(second, request, context, object)),
  };
  return more.length === 0 ? composed : or(composed, more[0], ...more.slice(1));
}

/**
 * The opposite, as DRF's `~a`, for the request and for an object alike. As
 * in DRF 3.14, a permission without an object check allows every object, so
 * its negation refuses every object: `not(IsAdminUser)` admits a non-staff
 * request but no object check passes. No message of its own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAuthenticated, not } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/");
 * assertEquals(await not(IsAuthenticated).hasPermission(request, new ApiContext(request)), true);
 * ```
 */
export function not(permission: Permission): Permission {
  return {
    hasPermission: async (request, context) => !await permission.hasPermission(request, context),
    hasObjectPermission: async (request, context, object) =>
      !await objectCheck(permission, request, context, object),
  };
}
