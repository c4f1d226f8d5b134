/**
 * The reference peer for the benchmarks: a hand-written `Deno.serve` with an
 * `if` on the pathname and none of the DRF contract (no negotiation, no
 * `Allow`, no method gate beyond what each route needs). It is the practical
 * upper bound the service is measured against.
 *
 * With `--drf-headers` it also sends the headers every DRF response carries
 * (`Allow` on a view's responses, `Vary: Accept`), and nothing else of the
 * contract: what those headers alone cost on `Deno.serve`.
 *
 * Run: `deno run --allow-net=127.0.0.1 --allow-env=PORT bench/raw.ts [--drf-headers]`
 *
 * @module
 */

const MESSAGE = "비동기 작업이 완료되었습니다.";
const ITEM = /^\/items\/([0-9]+)$/;
const GET = "GET, HEAD, OPTIONS";
const POST = "POST, OPTIONS";

/** How a route answers: its data, status and `Allow`. */
export type Answer = (data: unknown, status?: number, allow?: string) => Response;

/** Plain answers: only `Content-Type` (and `Allow` on a 405), as most raw servers. */
const plain: Answer = (data, status = 200, allow) =>
  status === 405
    ? Response.json(data, { status, headers: { allow: allow! } })
    : status === 200
    ? Response.json(data)
    : Response.json(data, { status });

/** Answers with the headers of the DRF contract too. */
export const withDrfHeaders: Answer = (data, status = 200, allow) =>
  new Response(JSON.stringify(data), {
    status,
    headers: allow
      ? [["content-type", "application/json"], ["allow", allow], ["vary", "Accept"]]
      : [["content-type", "application/json"], ["vary", "Accept"]],
  });

/** Make the benchmark routes' handler, answering with `answer`. */
export function makeHandler(answer: Answer = plain): (request: Request) => Promise<Response> {
  return async function handler(request) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/health") {
      if (request.method !== "GET") {
        return answer({ detail: `Method "${request.method}" not allowed.` }, 405, GET);
      }
      return answer({ status: "ok" }, 200, GET);
    }
    if (path === "/async") {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return answer({ message: MESSAGE }, 200, GET);
    }
    if (path === "/echo" && request.method === "POST") {
      return answer({ data: await request.json() }, 200, POST);
    }
    const item = ITEM.exec(path);
    if (item) return answer({ id: Number(item[1]) }, 200, GET);
    return answer({ detail: "Not found." }, 404);
  };
}

/** Serve the benchmark routes the plain way. */
export const handler: (request: Request) => Promise<Response> = makeHandler();

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? 8001);
  const serve = Deno.args.includes("--drf-headers") ? makeHandler(withDrfHeaders) : handler;
  Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, serve);
}
