/**
 * Permissions, after DRF's `rest_framework/permissions.py`: whether the
 * request's user may do what it asks.
 *
 * @module
 */

import type { ApiContext } from "./request.ts";

/** A permission, as DRF's `BasePermission`; both checks may be async. */
export interface Permission {
  /** Whether the request may go on to the view. */
  hasPermission(request: Request, context: ApiContext): boolean | Promise<boolean>;
  /** Whether the request may act on one object (resource views ask). */
  hasObjectPermission?(
    request: Request,
    context: ApiContext,
    object: unknown,
  ): boolean | Promise<boolean>;
  /** The detail of the 403 when refused; DRF's default otherwise. */
  readonly message?: string;
}
