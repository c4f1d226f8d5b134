import { assertEquals, assertMatch, assertRejects } from "@std/assert";
import { accessLog } from "../../middleware/access_log.ts";
import { Context, type Handler } from "../../middleware/http/context.ts";

const AT = Date.UTC(2026, 11, 2, 4, 16, 10, 123);

function logged(handler: Handler, clock: () => number = () => AT) {
  const lines: string[] = [];
  const app = accessLog((line) => lines.push(line), clock)(handler);
  const serve = (url: string, init?: RequestInit) => {
    const request = new Request(url, init);
    return app(request, new Context(request));
  };
  return { lines, serve };
}

Deno.test("each line is the ISO 8601 time, method, path without query, status and duration", async () => {
  const { lines, serve } = logged(async () => new Response(null, { status: 204 }));
  await serve("http://x/items/7?format=json", { method: "DELETE" });
  assertEquals(lines.length, 1);
  assertMatch(lines[0], /^2026-12-02T04:16:10\.123Z DELETE \/items\/7 204 \d+\.\dms$/);
});

Deno.test("the timestamp follows the clock from one millisecond to the next", async () => {
  let now = AT;
  const { lines, serve } = logged(async () => new Response("ok"), () => now);
  await serve("http://x/a");
  await serve("http://x/b");
  now += 1;
  await serve("http://x/c");
  now += 60_000;
  await serve("http://x/d");
  assertEquals(lines.map((line) => line.split(" ")[0]), [
    "2026-12-02T04:16:10.123Z",
    "2026-12-02T04:16:10.123Z",
    "2026-12-02T04:16:10.124Z",
    "2026-12-02T04:17:10.124Z",
  ]);
});

Deno.test("a handler that rejects is logged 500 and its rejection passes on", async () => {
  const { lines, serve } = logged(() => Promise.reject(new Error("boom")));
  await assertRejects(() => serve("http://x/boom"), Error, "boom");
  assertMatch(lines[0], /^2026-12-02T04:16:10\.123Z GET \/boom 500 \d+\.\dms$/);
});
