import { assertEquals, assertMatch, assertRejects } from "@std/assert";
import { accessLog, type Clock } from "../../middleware/access_log.ts";
import { Context, type Handler } from "../../middleware/http/context.ts";

const AT = Date.UTC(2026, 11, 2, 4, 16, 10, 123);

// A clock the test moves: the monotonic time and the wall clock's offset to it.
function testClock() {
  const clock = { now: 5_000, epochOffset: AT - 5_000 };
  const api: Clock = {
    monotonic: () => clock.now,
    epoch: () => Math.floor(clock.epochOffset + clock.now),
  };
  return { clock, api };
}

function logged(handler: Handler, clock: Clock = testClock().api) {
  const lines: string[] = [];
  const app = accessLog((line) => lines.push(line), clock)(handler);
  const serve = (url: string, init?: RequestInit) => {
    const request = new Request(url, init);
    return app(request, new Context(request));
  };
  return { lines, serve };
}

Deno.test("each line is the ISO 8601 time, method, path without query, status and duration", async () => {
  const { clock, api } = testClock();
  const { lines, serve } = logged(async () => {
    clock.now += 12.34; // the handler takes 12.34 ms
    return new Response(null, { status: 204 });
  }, api);
  await serve("http://x/items/7?format=json", { method: "DELETE" });
  assertEquals(lines, ["2026-12-02T04:16:10.135Z DELETE /items/7 204 12.3ms"]);
});

Deno.test("durations are in tenths of a millisecond, rounded", async () => {
  const { clock, api } = testClock();
  const durations = [0, 0.04, 0.06, 9.96, 1234.5];
  const { lines, serve } = logged(async () => {
    clock.now += durations.shift()!;
    return new Response("ok");
  }, api);
  for (let i = 0; i < 5; i++) await serve("http://x/a");
  assertEquals(lines.map((line) => line.split(" ").at(-1)), [
    "0.0ms",
    "0.0ms",
    "0.1ms",
    "10.0ms",
    "1234.5ms",
  ]);
});

Deno.test("the timestamp follows the clock from one millisecond to the next", async () => {
  const { clock, api } = testClock();
  const { lines, serve } = logged(async () => new Response("ok"), api);
  await serve("http://x/a");
  clock.now += 0.5;
  await serve("http://x/b");
  clock.now += 0.5;
  await serve("http://x/c");
  clock.now += 60_000;
  await serve("http://x/d");
  clock.epochOffset += 3_600_000; // the wall clock is set an hour on
  clock.now += 1;
  await serve("http://x/e");
  assertEquals(lines.map((line) => line.split(" ")[0]), [
    "2026-12-02T04:16:10.123Z",
    "2026-12-02T04:16:10.123Z",
    "2026-12-02T04:16:10.124Z",
    "2026-12-02T04:17:10.124Z",
    "2026-12-02T05:17:10.125Z",
  ]);
});

Deno.test("a handler that rejects is logged 500 and its rejection passes on", async () => {
  const { lines, serve } = logged(() => Promise.reject(new Error("boom")));
  await assertRejects(() => serve("http://x/boom"), Error, "boom");
  assertMatch(lines[0], /^2026-12-02T04:16:10\.123Z GET \/boom 500 \d+\.\dms$/);
});
