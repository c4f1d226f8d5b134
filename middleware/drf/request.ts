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
export class ApiContext extends Context {
  /** The service's settings. */
  readonly settings: Settings;
  /** Who is asking: `ANONYMOUS_USER` until an authenticator recognises them. */
  user: User = ANONYMOUS_USER;
  /** What the authenticator found besides the user (e.g. the token); `null` without. */
  auth: unknown = null;
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
  data(): Promise<unknown> {
    return this.#data ??= parseBody(this.#request, this.parsers, {
      maxBodyBytes: this.settings.maxBodyBytes,
      bodyIdleTimeoutMs: this.settings.bodyIdleTimeoutMs,
      maxJsonDepth: this.settings.maxJsonDepth,
      maxFields: MAX_FORM_FIELDS,
      maxFiles: MAX_FORM_FILES,
    }, this);
  }
}
