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
 * DRF's `perform_authentication`: the first authenticator that recognises
 * the request's credentials sets `context.user` and `context.auth` and is
 * returned; one that fails stops the chain with its error, made a 401 with
 * the first authenticator's challenge (or a 403 without one).
 */
export async function performAuthentication(
  request: Request,
  context: ApiContext,
  authentication: readonly Authenticator[],
): Promise<Authenticator | undefined> {
  for (const authenticator of authentication) {
    let found;
    try {
      found = await authenticator.authenticate(request, context);
    } catch (error) {
      throw challenge(error, request, authentication);
    }
    if (found) {
      [context.user, context.auth] = found;
      return authenticator;
    }
  }
  return undefined;
}

/**
 * DRF's `check_permissions`: every permission must allow the request; the
 * first that does not refuses it, as "not authenticated" when authenticators
 * were configured and none succeeded, else with its own message.
 */
export async function checkPermissions(
  request: Request,
  context: ApiContext,
  permissions: readonly Permission[],
  authentication: readonly Authenticator[],
  successful: Authenticator | undefined,
): Promise<void> {
  for (const permission of permissions) {
    if (!await permission.hasPermission(request, context)) {
      throw denied(request, permission, authentication, successful);
    }
  }
}

/** DRF's `check_object_permissions`, for a view acting on one object. */
export async function checkObjectPermissions(
  request: Request,
  context: ApiContext,
  permissions: readonly Permission[],
  authentication: readonly Authenticator[],
  successful: Authenticator | undefined,
  object: unknown,
): Promise<void> {
  for (const permission of permissions) {
    if (
      permission.hasObjectPermission &&
      !await permission.hasObjectPermission(request, context, object)
    ) {
      throw denied(request, permission, authentication, successful);
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

function denied(
  request: Request,
  permission: Permission,
  authentication: readonly Authenticator[],
  successful: Authenticator | undefined,
): HttpError {
  if (authentication.length > 0 && !successful) {
    return challenge(new NotAuthenticated(), request, authentication) as HttpError;
  }
  return new PermissionDenied(permission.message);
}

// DRF's handle_exception: a missing or failed authentication is a 401 with the
// first authenticator's WWW-Authenticate challenge, or a 403 when it has none.
function challenge(
  error: unknown,
  request: Request,
  authentication: readonly Authenticator[],
): HttpError | unknown {
  if (!(error instanceof NotAuthenticated || error instanceof AuthenticationFailed)) return error;
  const header = authentication[0]?.authenticateHeader?.(request);
  if (header) {
    return new HttpError(error.detail, {
      status: 401,
      headers: { ...error.headers, "www-authenticate": header },
    });
  }
  return new HttpError(error.detail, { status: 403, headers: error.headers });
}
