/**
 * The service: the route table and the handler that `Deno.serve` calls.
 *
 * `deno task start` runs this file with `--listen` and it serves on `HOST`
 * and `PORT`; `deno serve main.ts` uses its default export instead.
 *
 * @module
 */

import { errorBoundary } from "./middleware/exception_handler.ts";
import { Context } from "./middleware/handler.ts";
import { checkHost } from "./middleware/host.ts";
import { shedLoad } from "./middleware/load_shedding.ts";
import { type Route, router } from "./middleware/router.ts";
import { settings } from "./middleware/settings.ts";
import { logUnhandledRejections } from "./middleware/unhandled_rejection.ts";
import { asyncView } from "./views/async_view.ts";
import { boom } from "./views/boom.ts";
import { echo } from "./views/echo.ts";
import { health } from "./views/health.ts";
import { itemDetail } from "./views/item_detail.ts";
import { validate } from "./views/validate.ts";

/** The route table: every URL the API answers, and its view. */
export const routes: Route[] = [
  { pattern: "/async", handler: asyncView },
  { pattern: "/health", handler: health },
  { pattern: "/echo", handler: echo },
  { pattern: "/items/<int:id>", handler: itemDetail },
  { pattern: "/boom", handler: boom },
  { pattern: "/validate", handler: validate },
];

const app = errorBoundary(shedLoad(checkHost(router(routes))));
logUnhandledRejections();

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
  Deno.serve({
    hostname: settings.host,
    port: settings.port,
    onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
  }, handler);
}
