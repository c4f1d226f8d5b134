/**
 * The service: the route tables, the middleware chain and the handler that
 * `Deno.serve` calls.
 *
 * `deno task start` runs this file with `--listen`: it serves on `HOST` and
 * `PORT` and shuts down gracefully on SIGINT or SIGTERM. `deno serve main.ts`
 * uses its default export instead.
 *
 * @module
 */

import { accessLog, stdoutLog } from "./middleware/access_log.ts";
import { checkHost } from "./middleware/check_host.ts";
import { ApiContext } from "./middleware/drf/request.ts";
import type { LineSink } from "./middleware/http/batched_writer.ts";
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

/** Where the service's views keep their data, opened once per process. */
export interface Stores {
  /** Deno KV: a file under `data/` for the service, `:memory:` in tests. */
  readonly kv: Deno.Kv;
}

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
 * await using kv = await Deno.openKv(":memory:");
 * assertEquals(buildRoutes({ kv }).http.some((r) => r.pattern === "/health"), true);
 * ```
 */
export function buildRoutes(_stores: Stores): Routes {
  const http: Route[] = [
    { pattern: "/", handler: apiRoot(() => http) },
    { pattern: "/async", handler: asyncView },
    { pattern: "/health", handler: health },
    { pattern: "/echo", handler: echo },
    { pattern: "/items/<int:id>", handler: itemDetail },
    { pattern: "/boom", handler: boom },
    { pattern: "/validate", handler: validate },
    { pattern: "/ws", handler: wsUpgradeRequired },
  ];
  const websocket: Route[] = [{ pattern: "/ws", handler: wsView }];
  return { http, websocket };
}

/**
 * Open the stores the settings name: Deno KV at `KV_PATH` (its folder made
 * when missing). Close them with `await using` or `[Symbol.asyncDispose]()`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./middleware/http/settings.ts";
 * import { openStores } from "./main.ts";
 * await using stores = await openStores(loadSettings({ KV_PATH: ":memory:" }));
 * assertEquals((await stores.kv.get(["nothing"])).value, null);
 * ```
 */
export async function openStores(settings: Settings): Promise<Stores & AsyncDisposable> {
  const path = settings.kvPath;
  if (path !== ":memory:" && path.includes("/")) {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  }
  const kv = await Deno.openKv(path);
  return {
    kv,
    [Symbol.asyncDispose]: async () => kv.close(),
  };
}

/** The function `Deno.serve` calls: a request and its connection's details. */
export type ServeHandler = (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;

/**
 * Build the service with the given settings: the middleware chain, in reading
 * order, around the routers. Access log lines go to `log` when given, else
 * to stdout in batches (`stdoutLog()`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./middleware/http/settings.ts";
 * import { createHandler } from "./main.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const handler = createHandler(loadSettings({ ACCESS_LOG: "0" }), { kv });
 * const response = await handler(new Request("http://localhost/health"));
 * assertEquals(response.status, 200);
 * ```
 */
export function createHandler(
  settings: Settings,
  stores: Stores,
  log?: LineSink | ((line: string) => void),
): ServeHandler {
  const routes = buildRoutes(stores);
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

let served: Promise<ServeHandler> | undefined;

/**
 * What `deno serve main.ts` calls: the service with this process's settings,
 * its stores opened on the first request.
 */
export default {
  fetch(request, info) {
    served ??= openStores(settings).then((stores) => createHandler(settings, stores));
    return served.then((handler) => handler(request, info));
  },
} satisfies Deno.ServeDefaultExport;

// `deno serve` also runs this module as the main one, so listening here is
// asked for explicitly: only `deno task start` passes `--listen`.
// The net for errors nobody catches is installed only when this module serves:
// a test or script that imports it keeps Deno's own check.
if (import.meta.main) logUncaughtErrors();
if (import.meta.main && Deno.args.includes("--listen")) {
  const stores = await openStores(settings);
  const server = listen(createHandler(settings, stores), {
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
    await stores[Symbol.asyncDispose]();
    // Every answered request's line is out before the last word.
    if (settings.accessLog) await stdoutLog().flush();
    console.log(complete ? "Stopped." : `Stopped after ${settings.shutdownGraceMs} ms of grace.`);
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stop(signal));
  }
}
