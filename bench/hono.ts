/**
 * The framework peer for the benchmarks: Hono 4 on `Deno.serve` with the same
 * routes and JSON bodies as `bench/raw.ts`. Like raw.ts it skips the DRF
 * contract (no negotiation, no `Vary`); `405` carries `Allow` as the service
 * does. Hono is a dev-only dependency, used by the benchmarks alone.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env=PORT bench/hono.ts`
 *
 * @module
 */

import { Hono } from "hono";

const MESSAGE = "비동기 작업이 완료되었습니다.";

/** The Hono app: `GET /health`, `GET /items/:id`, `POST /echo`, `GET /async`. */
export const app: Hono = new Hono();

app.get("/health", (c) => c.json({ status: "ok" }));
app.all("/health", (c) =>
  c.json({ detail: `Method "${c.req.method}" not allowed.` }, 405, {
    allow: "GET, HEAD, OPTIONS",
  }));
app.get("/items/:id{[0-9]+}", (c) => c.json({ id: Number(c.req.param("id")) }));
app.post("/echo", async (c) => c.json({ data: await c.req.json() }));
app.get("/async", async (c) => {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return c.json({ message: MESSAGE });
});
app.notFound((c) => c.json({ detail: "Not found." }, 404));

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? 8002);
  Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, app.fetch);
}
