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
import { ApiContext, forcedAuthentication } from "./request.ts";
import { ApiResponse, finalizeResponse, type HeaderPairs } from "./response.ts";
import type { View, ViewConfig } from "./view_config.ts";
import { withViewHeaders } from "./_view_headers.ts";
import { challenge, checkPermissions, checkThrottles, performAuthentication } from "./_policies.ts";

// What a view declares is read where the dispatch is: its callers need both.
export type { Operation, Policies, SchemaHints, View, ViewConfig } from "./view_config.ts";

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
