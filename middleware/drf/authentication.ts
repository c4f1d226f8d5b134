/**
 * Authentication, after DRF's `rest_framework/authentication.py`: who sent a
 * request, found by the first authenticator that recognises its credentials.
 *
 * @module
 */

import type { ApiContext, User } from "./request.ts";

/**
 * Recognises one kind of credentials, as DRF's `BaseAuthentication`.
 * `authenticate` resolves to the user and what else it found (the token),
 * to `null` when the request carries none of its kind, and rejects with
 * `AuthenticationFailed` when they are there and wrong.
 */
export interface Authenticator {
  /** The user and auth the request's credentials stand for, or `null`. */
  authenticate(request: Request, context: ApiContext): Promise<[User, unknown] | null>;
  /**
   * The `WWW-Authenticate` challenge of a 401, or `undefined` when this kind
   * has none (then a failed or missing authentication is a 403).
   */
  authenticateHeader?(request: Request): string | undefined;
}
