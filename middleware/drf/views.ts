/**
 * The one dispatch every view runs through, after DRF's `APIView.dispatch`:
 * content negotiation (406, or 404 for an unknown `?format=`) →
 * authentication → permissions → throttles → the method (405) → the handler
 * (cancelled at its deadline or when its client leaves) → finalize, which
 * renders the result with the negotiated renderer and adds the view's `Allow`
 * and `Vary`. Whatever a step throws is answered through DRF's exception
 * handler, in the same place.
 *
 * @module
 */

import { runCancellable } from "../http/cancellation.ts";
import type { Context, Handler } from "../http/context.ts";
import { type DeadlineQueue, deadlineQueue } from "../http/deadline.ts";
import { DEFAULT_SETTINGS } from "../http/settings.ts";
import { METHOD_ORDER } from "./api_settings.ts";
import type { Authenticator } from "./authentication.ts";
import { handleException } from "./exception_handler.ts";
import { MethodNotAllowed } from "./exceptions.ts";
import { type ViewMetadata, viewMetadata } from "./metadata.ts";
import { negotiate, type Negotiated, urlFormat } from "./negotiation.ts";
import type { Permission } from "./permissions.ts";
import { ApiContext, forcedAuthentication } from "./request.ts";
import type { FilterBackend } from "./filters.ts";
import type { Pagination } from "./pagination.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { ApiResponse, finalizeResponse, type HeaderPairs } from "./response.ts";
import type { Throttle } from "./throttling.ts";
import { challenge, checkPermissions, checkThrottles, performAuthentication } from "./_policies.ts";

/**
 * A view: an async function of the request that returns data to render
 * (200), an {@linkcode ApiResponse} (data with a status and headers), or a web
 * `Response` that is sent as it is (with the view's `Allow` and `Vary`). It
 * throws an error of the API's family to answer an error.
 */
export type View = (request: Request, context: ApiContext) => unknown;

/**
 * A view's policies, as DRF's `authentication_classes`, `permission_classes`,
 * `throttle_classes`. One left out takes the service's default (see
 * `withDefaultPolicies`); an empty list means none, whatever the default.
 */
export interface Policies {
  /** Tried in order; the first that recognises the request's credentials wins. */
  readonly authentication?: readonly Authenticator[];
  /** All must allow the request. */
  readonly permissions?: readonly Permission[];
  /** All are consulted; the longest wait wins. */
  readonly throttles?: readonly Throttle[];
  /** DRF's `throttle_scope`: which of its rates a `ScopedRateThrottle` applies here. */
  readonly throttleScope?: string;
}

/**
 * What one method of a view does, as data for whoever reads the route table
 * (an OpenAPI generator): its action, success status, the schemas of the
 * body taken and of the representation shown, and how a list is paged and
 * filtered. A Standard Schema that also implements Standard JSON Schema
 * (the field kit, zod 4, arktype) gives its JSON Schema.
 */
export interface Operation {
  /** The action, as DRF names it: `list`, `create`, `retrieve`, `update`, `partial_update`, `destroy`, or an extra action's name. */
  readonly action: string;
  /** The status of success: 200, 201 or 204. */
  readonly status: number;
  /** The body taken, validated (absent when the method takes none). */
  readonly request?: StandardSchemaV1;
  /** Whether every field of `request` may be left out (PATCH). */
  readonly partial?: boolean;
  /** The representation shown (absent for no body, e.g. a 204). */
  readonly response?: StandardSchemaV1;
  /** A list of representations (paginated when `pagination` is set). */
  readonly many?: boolean;
  /** The page envelope of a list. */
  readonly pagination?: Pagination;
  /** The filter backends of a list (their query parameters). */
  readonly filters?: readonly FilterBackend[];
  /** Whether the view looks one object up (a 404 when missing, object permissions). */
  readonly detail?: boolean;
}

/**
 * What the API's schema says of a view beyond what it knows itself, as
 * DRF's `schema = None` and drf-spectacular's `@extend_schema` do.
 */
export interface SchemaHints {
  /** Leave the view out of the schema (the API root, the schema itself, a WebSocket). */
  readonly exclude?: boolean;
  /** The status of success, when not 200 (a view that answers 201). */
  readonly status?: number;
  /** The representation it answers with (any Standard Schema). */
  readonly response?: StandardSchemaV1;
}

/** What a view is: its handler for each method, its name and its policies. */
export interface ViewConfig extends Policies {
  /** The handler of each method the view takes (`HEAD` is `GET`'s, `OPTIONS` the metadata). */
  readonly handlers: Readonly<Record<string, View>>;
  /** The name OPTIONS and the browsable API give. */
  readonly name: string;
  /** The description OPTIONS gives; `""` by default. */
  readonly description?: string;
  /**
   * Milliseconds a handler may take before it is aborted and the client gets
   * `503 {"detail":"Request timed out."}`; 0 for no deadline. By default the
   * service's `REQUEST_TIMEOUT_MS`.
   */
  readonly timeout?: number;
  /**
   * The OPTIONS body, when it depends on the request (DRF's `SimpleMetadata`
   * with its `actions`); by default the name, description, renders and parses.
   */
  readonly metadata?: (
    request: Request,
    context: ApiContext,
    base: ViewMetadata,
  ) => Promise<ViewMetadata>;
  /** The schema `await context.data()` validates with (a 400 in DRF's shape when it fails). */
  readonly body?: StandardSchemaV1;
  /** Each method's operation, for readers of the route table. */
  readonly operations?: Readonly<Record<string, Operation>>;
  /** The view set's action for each method (`GET` → `list`), when it is one. */
  readonly actions?: Readonly<Record<string, string>>;
  /** What the API's schema says of the view beyond its operations. */
  readonly openapi?: SchemaHints;
}

// Each view's configuration, so that service-wide defaults can be applied to
// a view after it is made (withDefaultPolicies), and readers of the route
// table (an OpenAPI generator) see what each route does.
const CONFIGS = new WeakMap<Handler, ViewConfig>();

/** The authenticator in force for a request a test client authenticated (DRF's `ForcedAuthentication`). */
const FORCED: Authenticator = { authenticate: () => Promise.resolve(null) };

/**
 * Make the handler that runs a view through the dispatch.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { dispatch } from "./views.ts";
 *
 * const notes = dispatch({
 *   name: "Note List",
 *   handlers: { GET: async () => [], POST: async () => ({ id: 1 }) },
 * });
 * const request = new Request("http://x/notes", { method: "DELETE" });
 * const response = await notes(request, new ApiContext(request));
 * assertEquals(response.status, 405);
 * assertEquals(response.headers.get("allow"), "GET, POST, HEAD, OPTIONS");
 * ```
 */
export function dispatch(config: ViewConfig): Handler {
  const handlers = new Map<string, View>();
  for (const [method, view] of Object.entries(config.handlers)) {
    handlers.set(method.toUpperCase(), view);
  }
  handlers.delete("OPTIONS");
  handlers.delete("HEAD");
  const get = handlers.get("GET");
  if (get) handlers.set("HEAD", get);
  const listed = [...handlers.keys()].filter((m) => m !== "HEAD").sort((a, b) => rank(a) - rank(b));
  const allow = [...listed, ...get ? ["HEAD"] : [], "OPTIONS"].join(", ");
  const headers: HeaderPairs = [["allow", allow], ["vary", "Accept"]];
  const metadata: ViewMetadata = viewMetadata(config.name, config.description);
  const fixedDeadlines = config.timeout === undefined ? undefined : deadlineQueue(config.timeout);
  const { authentication = [], permissions = [], throttles = [] } = config;
  // Each policy step costs nothing for a view that has none.
  const policed = authentication.length + permissions.length + throttles.length > 0;

  const handler: Handler = async function dispatch(request, outer) {
    const context = apiContext(request, outer);
    if (config.body) context.bodySchema = config.body;
    let negotiated: Negotiated | undefined;
    try {
      negotiated = negotiate(request.headers.get("accept"), urlFormat(context));
      const forced = forcedAuthentication(request);
      if (forced) {
        [context.user, context.auth] = forced;
        context.successfulAuthenticator = FORCED;
      }
      if (policed) {
        context.authenticators = authentication;
        context.permissions = permissions;
        if (!forced) await performAuthentication(request, context);
        await checkPermissions(request, context);
        await checkThrottles(request, context, throttles, config);
      }
      const method = request.method.toUpperCase();
      let result: unknown;
      if (method === "OPTIONS") {
        result = config.metadata ? await config.metadata(request, context, metadata) : metadata;
      } else {
        const view = handlers.get(method);
        // Answered without a throw: a hostile or confused client can make this path hot.
        if (!view) {
          return finalizeResponse(
            request,
            handleException(methodNotAllowed(request.method)),
            negotiated,
            headers,
            metadata,
          );
        }
        result = view(request, context);
        if (result instanceof Promise) {
          const deadlines: DeadlineQueue | undefined = config.timeout === undefined
            ? deadlineQueue(context.settings.requestTimeoutMs)
            : fixedDeadlines;
          result = await runCancellable(result, request, context, deadlines);
        }
      }
      if (result instanceof Response) return withViewHeaders(result, headers);
      return finalizeResponse(request, asResponse(result), negotiated, headers, metadata);
    } catch (error) {
      // Once the request is cancelled, the cancellation is the answer, whatever
      // the view made of its aborted awaits.
      // When negotiation itself failed (406, or 404 for ?format=), `negotiated`
      // is unset and the error is JSON, DRF's first renderer, whatever the
      // Accept header prefers (its perform_content_negotiation(force=True)).
      const reason = context.cancelled ?? error;
      const response = handleException(challenge(reason, request, context.authenticators));
      return finalizeResponse(request, response, negotiated, headers, metadata);
    }
  };
  CONFIGS.set(handler, config);
  return handler;
}

/**
 * The configuration a handler was made from by {@linkcode dispatch}, or
 * `undefined` for a handler that is not a view.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView } from "./decorators.ts";
 * import { viewConfig } from "./views.ts";
 * assertEquals(viewConfig(apiView(["GET"], async function ping() {}))?.name, "Ping");
 * assertEquals(viewConfig(async () => new Response()), undefined);
 * ```
 */
export function viewConfig(handler: Handler): ViewConfig | undefined {
  return CONFIGS.get(handler);
}

// The service makes an ApiContext for every request; a view called with a
// bare Context (a test, another router) gets one made from it.
function apiContext(request: Request, context: Context): ApiContext {
  if (context instanceof ApiContext) return context;
  const made = new ApiContext(request, context.info, DEFAULT_SETTINGS);
  made.params = context.params;
  return made;
}

// As DRF's finalize_response for a response that is not its own: the view's
// Allow is set and Accept joins its Vary.
function withViewHeaders(response: Response, headers: HeaderPairs): Response {
  let target = response;
  try {
    addHeaders(target.headers, headers);
  } catch {
    // Immutable headers (a fetch's response): send a copy that can take them.
    target = new Response(response.body, response);
    addHeaders(target.headers, headers);
  }
  return target;
}

function addHeaders(target: Headers, headers: HeaderPairs): void {
  for (const [name, value] of headers) {
    if (name !== "vary") target.set(name, value);
    else {
      const vary = target.get("vary");
      const present = vary?.split(",").some((v) => v.trim().toLowerCase() === value.toLowerCase());
      if (!present) target.set("vary", vary ? `${vary}, ${value}` : value);
    }
  }
}

// A 405 for a method of HTTP's own is made once: no stack to capture on a path
// that hostile or confused clients can make hot.
const METHOD_NOT_ALLOWED = new Map(
  ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"].map((
    method,
  ) => [method, new MethodNotAllowed(method)]),
);

function methodNotAllowed(method: string): MethodNotAllowed {
  return METHOD_NOT_ALLOWED.get(method) ?? new MethodNotAllowed(method);
}

function rank(method: string): number {
  const index = METHOD_ORDER.indexOf(method);
  return index === -1 ? METHOD_ORDER.length : index;
}

function asResponse(result: unknown): ApiResponse {
  return result instanceof ApiResponse ? result : new ApiResponse(result);
}
