/**
 * The framework peer for the benchmarks: Hono 4 on `Deno.serve` with the same
 * routes and JSON bodies as `bench/raw.ts`. Like raw.ts it skips the DRF
 * contract (no negotiation, no `Vary`); `405` carries `Allow` as the service
 * does. Hono is a dev-only dependency, used by the benchmarks alone.
 *
 * With `--drf-headers` it also sends the headers every DRF response carries
 * (`Allow` on a view's responses, `Vary: Accept` on all), as `bench/raw.ts
 * --drf-headers` does: what a Deno user would write instead of the service.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env=PORT bench/hono.ts [--drf-headers]`
 *
 * @module
 */

import { Hono } from "hono";

const MESSAGE = "비동기 작업이 완료되었습니다.";
const GET = "GET, HEAD, OPTIONS";
const POST = "POST, OPTIONS";

/**
 * Make the Hono app: `GET /health`, `GET /items/:id`, `POST /echo`,
 * `GET /async`; with `drfHeaders`, every answer carries `Vary: Accept` and a
 * view's answers its `Allow`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makeApp } from "./hono.ts";
 * const response = await makeApp(true).fetch(new Request("http://x/health"));
 * assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
 * assertEquals(response.headers.get("vary"), "Accept");
 * ```
 */
export function makeApp(drfHeaders = false): Hono {
  // The headers of a view's answers, and of answers no view gives.
  type Extra = Record<string, string> | undefined;
  const view = (allow: string): Extra => drfHeaders ? { allow, vary: "Accept" } : undefined;
  const none: Extra = drfHeaders ? { vary: "Accept" } : undefined;
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }, 200, view(GET)));
  app.all("/health", (c) =>
    c.json({ detail: `Method "${c.req.method}" not allowed.` }, 405, {
      ...view(GET),
      allow: GET,
    }));
  app.get("/items/:id{[0-9]+}", (c) => c.json({ id: Number(c.req.param("id")) }, 200, view(GET)));
  app.post("/echo", async (c) => c.json({ data: await c.req.json() }, 200, view(POST)));
  app.get("/async", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return c.json({ message: MESSAGE }, 200, view(GET));
  });
  app.notFound((c) => c.json({ detail: "Not found." }, 404, none));
  return app;
}

/** The Hono app as most Hono users write it: no DRF headers. */
export const app: Hono = makeApp();

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? 8002);
  const serve = Deno.args.includes("--drf-headers") ? makeApp(true) : app;
  Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, serve.fetch);
}
