/**
 * The service: the route tables, the middleware chain and the handler that
 * `Deno.serve` calls.
 *
 * `deno task start` runs this file with `--listen`: it serves on `HOST` and
 * `PORT` and shuts down gracefully on SIGINT or SIGTERM. `deno serve main.ts`
 * uses its default export instead. `deno task createuser NAME [--staff]` runs
 * it with `createuser`: it makes a user in the KV store at `KV_PATH`.
 *
 * @module
 */

import { accessLog, stdoutLog } from "./middleware/access_log.ts";
import { checkHost } from "./middleware/check_host.ts";
import { authStores, bearerThenBasic } from "./middleware/drf/auth_stores.ts";
import { obtainAuthToken } from "./middleware/drf/authtoken/views.ts";
import { ApiContext } from "./middleware/drf/request.ts";
import type { LineSink } from "./middleware/http/batched_writer.ts";
import { errorBoundary } from "./middleware/error_boundary.ts";
import { protocolRouter } from "./middleware/http/protocol_router.ts";
import { type Route, router } from "./middleware/http/router.ts";
import {
  exitUnlessOpened,
  openingService,
  serveUntilSignalled,
} from "./middleware/http/serve_process.ts";
import { ENV_VARIABLES, loadSettings, type Settings } from "./middleware/http/settings.ts";
import {
  type ServeMode,
  unreadSettingsWarning,
  unreadVariables,
} from "./middleware/http/settings_notice.ts";
import { logUncaughtErrors } from "./middleware/http/uncaught_errors.ts";
import { shedLoad } from "./middleware/load_shedding.ts";
import { compose, type Middleware } from "./middleware/mod.ts";
import { openStores, type Stores } from "./middleware/drf/stores.ts";
import { apiRoot } from "./views/api_root.ts";
import { asyncView } from "./views/async_view.ts";
import { boom } from "./views/boom.ts";
import { echo } from "./views/echo.ts";
import { health } from "./views/health.ts";
import { itemDetail } from "./views/item_detail.ts";
import { me } from "./views/me.ts";
import { staff } from "./views/staff.ts";
import { openApi } from "./views/openapi.ts";
import { notesRepository, noteViewSet } from "./views/notes.ts";
import { SimpleRouter } from "./middleware/drf/routers.ts";
import { throttledView } from "./views/throttled.ts";
import { validate } from "./views/validate.ts";
import { wsUpgradeRequired, wsView } from "./views/ws.ts";

export { openStores, type Stores } from "./middleware/drf/stores.ts";

/** The service's routes: every URL it answers over HTTP, and over WebSocket. */
export interface Routes {
  /** Plain HTTP: the API. */
  readonly http: readonly Route[];
  /** Upgrade requests. */
  readonly websocket: readonly Route[];
}

/**
 * The route tables, over the stores the views keep their data in.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { buildRoutes } from "./main.ts";
 * import { MemoryThrottleStore } from "./middleware/drf/throttle_stores/mod.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const routes = buildRoutes({ kv, throttle: new MemoryThrottleStore() });
 * assertEquals(routes.http.some((r) => r.pattern === "/health"), true);
 * ```
 */
export function buildRoutes(stores: Stores): Routes {
  // Bearer token, then HTTP Basic, over the users and tokens in stores.kv.
  const authentication = bearerThenBasic(stores);
  // View sets: each makes its list and detail routes (`/notes`, `/notes/<int:id>`).
  const resources = new SimpleRouter()
    .register("notes", noteViewSet({ repository: notesRepository(stores.kv), authentication }));
  const http: Route[] = [
    { pattern: "/", handler: apiRoot(() => http) },
    { pattern: "/async", handler: asyncView },
    { pattern: "/health", handler: health },
    { pattern: "/echo", handler: echo },
    { pattern: "/items/<int:id>", handler: itemDetail },
    { pattern: "/boom", handler: boom },
    { pattern: "/validate", handler: validate },
    {
      pattern: "/throttled",
      handler: throttledView({ authentication, store: stores.throttle }),
    },
    { pattern: "/ws", handler: wsUpgradeRequired },
    { pattern: "/api-token-auth", handler: obtainAuthToken(stores) },
    { pattern: "/me", handler: me(authentication) },
    { pattern: "/staff", handler: staff(authentication) },
    ...resources.urls,
    {
      pattern: "/openapi.json",
      handler: openApi(() => http, { title: "drf-deno", version: "1.0.0" }),
    },
  ];
  const websocket: Route[] = [{ pattern: "/ws", handler: wsView }];
  return { http, websocket };
}

/** The function `Deno.serve` calls: a request and its connection's details. */
export type ServeHandler = (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;

/**
 * Build the service with the given settings: the middleware chain, in reading
 * order, around the routers (of `routes`, by default {@linkcode buildRoutes}'s).
 * Access log lines go to `log` when given, else to stdout in batches
 * (`stdoutLog()`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./middleware/http/settings.ts";
 * import { createHandler } from "./main.ts";
 * import { MemoryThrottleStore } from "./middleware/drf/throttle_stores/mod.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const stores = { kv, throttle: new MemoryThrottleStore() };
 * const handler = createHandler(loadSettings({ ACCESS_LOG: "0" }), stores);
 * const response = await handler(new Request("http://localhost/health"));
 * assertEquals(response.status, 200);
 * ```
 */
export function createHandler(
  settings: Settings,
  stores: Stores,
  routes: Routes = buildRoutes(stores),
  log?: LineSink | ((line: string) => void),
): ServeHandler {
  const middleware: Middleware[] = [
    // Log, answer errors as JSON, shed load, refuse a bad Host...
    ...settings.accessLog ? [accessLog(log)] : [],
    errorBoundary,
    shedLoad(settings.maxInFlight),
    checkHost,
  ];
  // ...then route by protocol, then by path.
  const app = compose(
    middleware,
    protocolRouter({ http: router(routes.http), websocket: router(routes.websocket) }),
  );
  return function handler(request, info) {
    return app(request, new ApiContext(request, info, settings));
  };
}

// The variables this process may read: `--allow-env` grants them (`deno
// serve` grants none unless given it). Asking needs no permission; asked once.
const readable: ReadonlySet<string> = new Set(
  ENV_VARIABLES.filter((variable) =>
    Deno.permissions.querySync({ name: "env", variable }).state === "granted"
  ),
);
const mayRead = (variable: string) => readable.has(variable);

/**
 * The environment's variables this process may read; main.ts is the only
 * module that reads the environment.
 */
function readEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const variable of readable) env[variable] = Deno.env.get(variable);
  return env;
}

/** The settings of this process, from its environment. */
export const settings: Settings = loadSettings(readEnv());

/** `main.ts createuser NAME [--staff]`: its exit status; a store that cannot open is 1. */
async function createUser(args: string[]): Promise<number> {
  // Loaded only for this command: its password prompt (@std/cli) wakes Deno's
  // Node.js compatibility layer, about 15 ms of every start otherwise.
  const { createUserCommand, processIo } = await import("./middleware/auth/createuser.ts");
  let stores;
  try {
    stores = await openStores(settings);
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
  try {
    return await createUserCommand(args, authStores(stores).users, processIo());
  } finally {
    await stores[Symbol.asyncDispose]();
  }
}

// The service of this process, made once its stores are open. Both ways of
// serving listen without waiting for it: Deno KV opens while Deno sets up the
// listener, and the first requests wait for it.
const service = openingService(async () => {
  const stores = await openStores(settings);
  const close = async () => await stores[Symbol.asyncDispose]();
  return { handler: createHandler(settings, stores), close };
});

/**
 * What `deno serve main.ts` calls: the service with this process's settings,
 * its stores opened at start-up (on the first request for a module that
 * imports this one).
 */
export default { fetch: service.fetch } satisfies Deno.ServeDefaultExport;

// `deno serve` also runs this module as the main one, so listening here is
// asked for explicitly: only `deno task start` passes `--listen`.
// The net for errors nobody catches is installed only when this module serves:
// a test or script that imports it keeps Deno's own check.
const mode: ServeMode = Deno.args.includes("--listen") ? "listen" : "serve";
if (import.meta.main && Deno.args[0] === "createuser") {
  Deno.exit(await createUser(Deno.args.slice(1)));
}
if (import.meta.main) {
  logUncaughtErrors();
  // A setting that cannot be read would otherwise be left at its default silently.
  const warning = unreadSettingsWarning(unreadVariables(ENV_VARIABLES, mayRead, mode), mode);
  if (warning) console.warn(warning);
  exitUnlessOpened(service, `the stores (KV_PATH=${settings.kvPath})`);
}
if (import.meta.main && mode === "listen") {
  serveUntilSignalled(service, {
    hostname: settings.host,
    port: settings.port,
    graceMs: settings.shutdownGraceMs,
    // Every answered request's line is out before the last word.
    onStopped: settings.accessLog ? () => stdoutLog().flush() : undefined,
  });
}
