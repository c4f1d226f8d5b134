/**
 * The service: the route tables and the handler that `Deno.serve` calls.
 *
 * `deno task start` runs this file with `--listen`: it serves on `HOST` and
 * `PORT` and shuts down gracefully on SIGINT or SIGTERM. `deno serve main.ts`
 * uses its default export instead.
 *
 * @module
 */

import { accessLog } from "./middleware/access_log.ts";
import { checkHost } from "./middleware/check_host.ts";
import { ApiContext } from "./middleware/drf/request.ts";
import { errorBoundary } from "./middleware/error_boundary.ts";
import { protocolRouter } from "./middleware/http/protocol_router.ts";
import { type Route, router } from "./middleware/http/router.ts";
import { listen } from "./middleware/http/server.ts";
import { ENV_VARIABLES, loadSettings, type Settings } from "./middleware/http/settings.ts";
import { logUncaughtErrors } from "./middleware/http/uncaught_errors.ts";
import { shedLoad } from "./middleware/load_shedding.ts";
import { compose, type Middleware } from "./middleware/mod.ts";
import { apiRoot } from "./views/api_root.ts";
import { asyncView } from "./views/async_view.ts";
import { boom } from "./views/boom.ts";
import { echo } from "./views/echo.ts";
import { health } from "./views/health.ts";
import { itemDetail } from "./views/item_detail.ts";
import { validate } from "./views/validate.ts";
import { wsUpgradeRequired, wsView } from "./views/ws.ts";

/** The API's routes: every URL it answers over HTTP, and its view. */
export const routes: Route[] = [
  { pattern: "/", handler: apiRoot(() => routes) },
  { pattern: "/async", handler: asyncView },
  { pattern: "/health", handler: health },
  { pattern: "/echo", handler: echo },
  { pattern: "/items/<int:id>", handler: itemDetail },
  { pattern: "/boom", handler: boom },
  { pattern: "/validate", handler: validate },
  { pattern: "/ws", handler: wsUpgradeRequired },
];

/** The WebSocket routes: where upgrade requests go. */
export const websocketRoutes: Route[] = [
  { pattern: "/ws", handler: wsView },
];

/** The function `Deno.serve` calls: a request and its connection's details. */
export type ServeHandler = (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;

/**
 * Build the service with the given settings: the middleware chain, in reading
 * order, around the routers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./middleware/http/settings.ts";
 * import { createHandler } from "./main.ts";
 * const handler = createHandler(loadSettings({ ACCESS_LOG: "0", MAX_IN_FLIGHT: "1" }));
 * const response = await handler(new Request("http://localhost/health"));
 * assertEquals(response.status, 200);
 * ```
 */
export function createHandler(settings: Settings): ServeHandler {
  const middleware: Middleware[] = [
    // Log, answer errors as JSON, shed load, refuse a bad Host...
    ...settings.accessLog ? [accessLog()] : [],
    errorBoundary,
    shedLoad(settings.maxInFlight),
    checkHost,
  ];
  // ...then route by protocol, then by path.
  const app = compose(
    middleware,
    protocolRouter({ http: router(routes), websocket: router(websocketRoutes) }),
  );
  return function handler(request, info) {
    return app(request, new ApiContext(request, info, settings));
  };
}

/**
 * The environment's variables this process may read (those `--allow-env`
 * grants; `deno serve` grants none); main.ts is the only module that reads
 * the environment.
 */
function readEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const variable of ENV_VARIABLES) {
    if (Deno.permissions.querySync({ name: "env", variable }).state === "granted") {
      env[variable] = Deno.env.get(variable);
    }
  }
  return env;
}

/** The settings of this process, from its environment. */
export const settings: Settings = loadSettings(readEnv());

/**
 * Answer one request: what `Deno.serve` and `deno serve` call, and what tests
 * call in-process.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { handler } from "./main.ts";
 * const response = await handler(new Request("http://localhost/health"));
 * assertEquals(await response.json(), { status: "ok" });
 * ```
 */
export const handler: ServeHandler = createHandler(settings);

export default { fetch: handler } satisfies Deno.ServeDefaultExport;

// `deno serve` also runs this module as the main one, so listening here is
// asked for explicitly: only `deno task start` passes `--listen`.
// The net for errors nobody catches is installed only when this module serves:
// a test or script that imports it keeps Deno's own check.
if (import.meta.main) logUncaughtErrors();
if (import.meta.main && Deno.args.includes("--listen")) {
  const server = listen(handler, {
    hostname: settings.host,
    port: settings.port,
    graceMs: settings.shutdownGraceMs,
    onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
  });
  let stopping = false;
  const stop = async (signal: Deno.Signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: no new connections; finishing requests in flight`);
    const complete = await server.shutdown();
    console.log(complete ? "Stopped." : `Stopped after ${settings.shutdownGraceMs} ms of grace.`);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stop(signal));
  }
}
