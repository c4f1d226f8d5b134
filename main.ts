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
import { errorBoundary } from "./middleware/exception_handler.ts";
import { Context, type Handler } from "./middleware/handler.ts";
import { checkHost } from "./middleware/host.ts";
import { shedLoad } from "./middleware/load_shedding.ts";
import { protocolRouter } from "./middleware/protocol_router.ts";
import { type Route, router } from "./middleware/router.ts";
import { listen } from "./middleware/server.ts";
import { settings } from "./middleware/settings.ts";
import { logUncaughtErrors } from "./middleware/uncaught_errors.ts";
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

// Outermost first: log, answer errors as JSON, shed load, refuse a bad Host,
// route by protocol, then by path.
let app: Handler = errorBoundary(
  shedLoad(
    checkHost(protocolRouter({ http: router(routes), websocket: router(websocketRoutes) })),
  ),
);
if (settings.accessLog) app = accessLog(app);
logUncaughtErrors();

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
export function handler(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
  return app(request, new Context(request, info));
}

export default { fetch: handler } satisfies Deno.ServeDefaultExport;

// `deno serve` also runs this module as the main one, so listening here is
// asked for explicitly: only `deno task start` passes `--listen`.
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
