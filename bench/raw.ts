/**
 * The reference peer for the benchmarks: a hand-written `Deno.serve` with an
 * `if` on the pathname and none of the DRF contract (no negotiation, no
 * `Allow`, no method gate beyond what each route needs). It is the practical
 * upper bound the service is measured against.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env=PORT bench/raw.ts`
 *
 * @module
 */

const MESSAGE = "비동기 작업이 완료되었습니다.";
const ITEM = /^\/items\/([0-9]+)$/;

/** Serve the benchmark routes the plain way. */
export async function handler(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path === "/health") {
    if (request.method !== "GET") {
      return Response.json({ detail: `Method "${request.method}" not allowed.` }, {
        status: 405,
        headers: { allow: "GET, HEAD, OPTIONS" },
      });
    }
    return Response.json({ status: "ok" });
  }
  if (path === "/async") {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return Response.json({ message: MESSAGE });
  }
  if (path === "/echo" && request.method === "POST") {
    return Response.json({ data: await request.json() });
  }
  const item = ITEM.exec(path);
  if (item) return Response.json({ id: Number(item[1]) });
  return Response.json({ detail: "Not found." }, { status: 404 });
}

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? 8001);
  Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handler);
}
