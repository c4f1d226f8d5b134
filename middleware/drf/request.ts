/**
 * What a view gets beside the web `Request`, after DRF's `Request`: the HTTP
 * context (path parameters, query, cancellation) plus the parsed body
 * (`data()`), the user and the credentials authentication found, and the
 * service's settings.
 *
 * @module
 */

import { Context } from "../http/context.ts";
import { DEFAULT_SETTINGS, type Settings } from "../http/settings.ts";
import { DEFAULT_PARSERS, MAX_FORM_FIELDS, MAX_FORM_FILES } from "./api_settings.ts";
import { parseBody, type Parser } from "./parsers/mod.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { validateData } from "./validate_data.ts";

/** Path parameters, by name, as the router converted them. */
export type Params = Record<string, string | number>;

const NONE: readonly never[] = Object.freeze([]);

/** Who is asking, as Django's `request.user`. */
export interface User {
  /** The name the user logs in with; `""` for the anonymous user. */
  readonly username: string;
  /** Whether the user is known (Django's `is_authenticated`). */
  readonly isAuthenticated: boolean;
  /** Whether the user is staff (Django's `is_staff`), as `IsAdminUser` checks. */
  readonly isStaff: boolean;
  /** Whether the account may log in (Django's `is_active`). */
  readonly isActive: boolean;
}

// The policy interfaces live here, beside the request whose context carries
// them (as DRF's Request holds its authenticators), so that neither
// authentication.ts nor permissions.ts and this module import each other.

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

/** A permission, as DRF's `BasePermission`; both checks may be async. */
export interface Permission {
  /** Whether the request may go on to the view. */
  hasPermission(request: Request, context: ApiContext): boolean | Promise<boolean>;
  /**
   * Whether the request may act on one object (resource views ask, through
   * `checkObjectPermissions`); allowed when absent, as DRF's base class.
   */
  hasObjectPermission?(
    request: Request,
    context: ApiContext,
    object: unknown,
  ): boolean | Promise<boolean>;
  /** The detail of the 403 when refused; DRF's default otherwise. */
  readonly message?: string;
}

/** Django's `AnonymousUser`: who a request is from until authentication says otherwise. */
export const ANONYMOUS_USER: User = Object.freeze({
  username: "",
  isAuthenticated: false,
  isStaff: false,
  isActive: false,
});

/**
 * The context of a request that a view answers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * const request = new Request("http://x/", { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
 * const context = new ApiContext(request);
 * assertEquals(await context.data(), { a: 1 });
 * assertEquals(context.user.isAuthenticated, false);
 * ```
 */
export class ApiContext<P extends Params = Params, B = unknown> extends Context {
  /** Path parameters: typed by the route a view set's router made (`<int:id>` → `number`). */
  declare params: P;
  /**
   * The schema `data()` validates the parsed body with (an `apiView`'s
   * `body` option); failures are a 400 in DRF's shape.
   */
  bodySchema: StandardSchemaV1<unknown, B> | undefined;
  /** The service's settings. */
  readonly settings: Settings;
  /** Who is asking: `ANONYMOUS_USER` until an authenticator recognises them. */
  user: User = ANONYMOUS_USER;
  /** What the authenticator found besides the user (e.g. the token); `null` without. */
  auth: unknown = null;
  /** The view's authenticators, as DRF's `request.authenticators`. */
  authenticators: readonly Authenticator[] = NONE;
  /** The authenticator that recognised the request, as DRF's `successful_authenticator`. */
  successfulAuthenticator: Authenticator | null = null;
  /** The view's permissions, which `checkObjectPermissions` asks about an object. */
  permissions: readonly Permission[] = NONE;
  /** The parsers `data()` picks from, by the body's `Content-Type`. */
  parsers: readonly Parser[] = DEFAULT_PARSERS;
  readonly #request: Request;
  #data: Promise<unknown> | undefined;

  /** Make the context of a request as it arrives, for a service with `settings`. */
  constructor(
    request: Request,
    info?: Deno.ServeHandlerInfo,
    settings: Settings = DEFAULT_SETTINGS,
  ) {
    super(request, info);
    this.#request = request;
    this.settings = settings;
  }

  /**
   * The request body parsed by its `Content-Type`, as DRF's `request.data`:
   * read on first use and remembered, so a view that never asks never pays
   * for (or fails on) the body. The read ends with the request: when its
   * deadline passes or its client leaves, the body stops being read.
   */
  data(): Promise<B> {
    this.#data ??= parseBody(this.#request, this.parsers, {
      maxBodyBytes: this.settings.maxBodyBytes,
      bodyIdleTimeoutMs: this.settings.bodyIdleTimeoutMs,
      maxJsonDepth: this.settings.maxJsonDepth,
      maxFields: MAX_FORM_FIELDS,
      maxFiles: MAX_FORM_FILES,
    }, this).then((data) => this.bodySchema ? validateData(this.bodySchema, data) : data);
    return this.#data as Promise<B>;
  }
}

// Users a test client forced on its own requests (DRF's force_authenticate):
// keyed by the Request object, which only in-process code can hold, so no
// HTTP request can ever be looked up here.
const FORCED = new WeakMap<Request, readonly [User, unknown]>();

/**
 * Make `request` authenticated as `user` whatever its credentials, as DRF's
 * `force_authenticate`; for the test client only. Nothing sent over HTTP can
 * reach it: the mark is on the in-process `Request` object.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { forceAuthenticate, forcedAuthentication } from "./request.ts";
 * const request = new Request("http://x/");
 * forceAuthenticate(request, { username: "ada", isAuthenticated: true, isStaff: false, isActive: true });
 * assertEquals(forcedAuthentication(request)?.[0].username, "ada");
 * assertEquals(forcedAuthentication(new Request("http://x/")), undefined);
 * ```
 */
export function forceAuthenticate(request: Request, user: User, auth: unknown = null): void {
  FORCED.set(request, [user, auth]);
}

/** The user and auth forced on a request, if any. */
export function forcedAuthentication(request: Request): readonly [User, unknown] | undefined {
  return FORCED.get(request);
}
