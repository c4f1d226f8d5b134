// The policy steps of the dispatch, in DRF's `APIView.initial` order, with
// DRF's 401/403 rule for failed or missing authentication.

import { HttpError } from "../http/errors.ts";
import type { Authenticator } from "./authentication.ts";
import {
  AuthenticationFailed,
  NotAuthenticated,
  PermissionDenied,
  Throttled,
} from "./exceptions.ts";
import type { Permission } from "./permissions.ts";
import type { ApiContext } from "./request.ts";
import type { Throttle, ThrottledView } from "./throttling.ts";

/**
 * DRF's `perform_authentication`: the view's authenticators
 * (`context.authenticators`) are tried in order; the first that recognises
 * the request's credentials sets `context.user`, `context.auth` and
 * `context.successfulAuthenticator`. One that fails stops the chain with its
 * error (the dispatch makes it a 401 or 403 through {@linkcode challenge}).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { performAuthentication } from "./_policies.ts";
 * const request = new Request("http://x/");
 * const context = new ApiContext(request);
 * const ada = { username: "ada", isAuthenticated: true, isStaff: false, isActive: true };
 * context.authenticators = [{ authenticate: async () => null }, { authenticate: async () => [ada, "t"] }];
 * await performAuthentication(request, context);
 * assertEquals([context.user.username, context.auth], ["ada", "t"]);
 * ```
 */
export async function performAuthentication(request: Request, context: ApiContext): Promise<void> {
  for (const authenticator of context.authenticators) {
    const found = await authenticator.authenticate(request, context);
    if (found) {
      [context.user, context.auth] = found;
      context.successfulAuthenticator = authenticator;
      return;
    }
  }
}

/**
 * DRF's `check_permissions`: every permission of the view
 * (`context.permissions`) must allow the request; the first that does not
 * refuses it: "not authenticated" when the view has authenticators and none
 * recognised the request, else the permission's message or DRF's default.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { NotAuthenticated, PermissionDenied } from "./exceptions.ts";
 * import { IsAuthenticated } from "./permissions.ts";
 * import { ApiContext } from "./request.ts";
 * import { checkPermissions } from "./_policies.ts";
 * const request = new Request("http://x/");
 * const context = new ApiContext(request);
 * context.permissions = [IsAuthenticated];
 * await assertRejects(() => checkPermissions(request, context), PermissionDenied);
 * context.authenticators = [{ authenticate: async () => null }];
 * await assertRejects(() => checkPermissions(request, context), NotAuthenticated);
 * ```
 */
export async function checkPermissions(request: Request, context: ApiContext): Promise<void> {
  for (const permission of context.permissions) {
    if (!await permission.hasPermission(request, context)) {
      throw permissionDenied(context, permission);
    }
  }
}

/**
 * DRF's `check_object_permissions`: a view acting on one object calls it
 * with the object; every permission of the view must allow it, or the
 * request is refused as {@linkcode checkPermissions} refuses it. A view
 * without permissions allows every object.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { ApiContext, PermissionDenied } from "./mod.ts";
 * import { checkObjectPermissions } from "./_policies.ts";
 * const request = new Request("http://x/notes/1", { method: "DELETE" });
 * const context = new ApiContext(request);
 * context.permissions = [{
 *   hasPermission: () => true,
 *   hasObjectPermission: (_r, c, note) => (note as { owner: string }).owner === c.user.username,
 * }];
 * await assertRejects(() => checkObjectPermissions(request, context, { owner: "ada" }), PermissionDenied);
 * ```
 */
export async function checkObjectPermissions(
  request: Request,
  context: ApiContext,
  object: unknown,
): Promise<void> {
  for (const permission of context.permissions) {
    if (
      permission.hasObjectPermission &&
      !await permission.hasObjectPermission(request, context, object)
    ) {
      throw permissionDenied(context, permission);
    }
  }
}

/**
 * DRF's `check_throttles`: every throttle is consulted (each records the
 * request it admits); if any refused, the longest known wait is the answer.
 * They are asked all at once, in order, so that a shared store serves them in
 * one round trip; each decides on its own key, so the answers are DRF's.
 */
export async function checkThrottles(
  request: Request,
  context: ApiContext,
  throttles: readonly Throttle[],
  view?: ThrottledView,
): Promise<void> {
  let refused = false;
  let wait: number | null = null;
  const decisions = throttles.length === 1
    ? [await throttles[0].allowRequest(request, context, view)]
    : await Promise.all(throttles.map((throttle) => throttle.allowRequest(request, context, view)));
  for (const decision of decisions) {
    if (decision.allowed) continue;
    refused = true;
    if (decision.wait !== null && (wait === null || decision.wait > wait)) wait = decision.wait;
  }
  if (refused) throw throttled(wait);
}

// A refusal is an answer, never logged: its error skips capturing a stack,
// on a path a client over its rate keeps hot.
function throttled(wait: number | null): Throttled {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Throttled(wait);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

// DRF's permission_denied: "not authenticated" when the view has
// authenticators and none recognised the request, else the permission's own
// message or DRF's default.
function permissionDenied(context: ApiContext, permission: Permission): HttpError {
  if (context.authenticators.length > 0 && !context.successfulAuthenticator) {
    return new NotAuthenticated();
  }
  return new PermissionDenied(permission.message);
}

/**
 * DRF's `handle_exception` for a missing or failed authentication, wherever it
 * was raised (an authenticator, a permission check, the view itself): a 401
 * with the view's first authenticator's `WWW-Authenticate` challenge, or a
 * 403 with the same detail when that authenticator has none (or the view has
 * no authenticators). Any other error is returned as it is.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NotAuthenticated } from "./exceptions.ts";
 * import { challenge } from "./_policies.ts";
 * const request = new Request("http://x/");
 * const bearer = { authenticate: async () => null, authenticateHeader: () => "Bearer" };
 * const error = challenge(new NotAuthenticated(), request, [bearer]) as NotAuthenticated;
 * assertEquals([error.status, error.headers], [401, { "www-authenticate": "Bearer" }]);
 * assertEquals((challenge(new NotAuthenticated(), request, []) as NotAuthenticated).status, 403);
 * ```
 */
export function challenge(
  error: unknown,
  request: Request,
  authenticators: readonly Authenticator[],
): unknown {
  if (!(error instanceof NotAuthenticated || error instanceof AuthenticationFailed)) return error;
  const header = authenticators[0]?.authenticateHeader?.(request);
  if (header) {
    return new HttpError(error.detail, {
      status: 401,
      headers: { ...error.headers, "www-authenticate": header },
    });
  }
  return new HttpError(error.detail, { status: 403, headers: error.headers });
}
