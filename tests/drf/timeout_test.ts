import { assertEquals, assertInstanceOf, assertLess } from "@std/assert";
import { delay } from "@std/async/delay";
import { apiView } from "../../middleware/drf/decorators.ts";
import { DeadlineExceeded } from "../../middleware/drf/exceptions.ts";
import { callView as call } from "../../middleware/drf/test.ts";

Deno.test("a view past its timeout answers 503 and is aborted", async () => {
  let reason: unknown;
  const view = apiView(["GET"], async function slow(_request, context) {
    context.signal.addEventListener("abort", () => reason = context.signal.reason);
    await delay(1000, { signal: context.signal });
    return { done: true };
  }, { timeout: 50 });
  const started = performance.now();
  const response = await call(view);
  assertLess(performance.now() - started, 900, "answered at the deadline, not after the view");
  assertEquals(response.status, 503);
  assertEquals(await response.text(), '{"detail":"Request timed out."}');
  assertEquals(response.headers.get("content-type"), "application/json");
  assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
  assertInstanceOf(reason, DeadlineExceeded);
});

Deno.test("a view that ignores its timeout is answered 503 and its late result dropped", async () => {
  let finished = false;
  const view = apiView(["GET"], async function stubborn() {
    await delay(150);
    finished = true;
    return { late: true };
  }, { timeout: 30 });
  const response = await call(view);
  assertEquals([response.status, await response.json()], [503, { detail: "Request timed out." }]);
  await delay(200);
  assertEquals(finished, true, "the view ran on, and its result went nowhere");
});

Deno.test("a view that rejects after its timeout raises no unhandled rejection", async () => {
  const view = apiView(["GET"], async function failing() {
    await delay(80);
    throw new Error("late failure");
  }, { timeout: 20 });
  assertEquals((await call(view)).status, 503);
  await delay(120); // Deno fails the test if the late rejection goes unhandled
});

Deno.test("a view within its timeout answers normally, and timeout 0 means none", async () => {
  const quick = apiView(["GET"], async () => {
    await delay(20);
    return { ok: 1 };
  }, { timeout: 1000 });
  assertEquals(await (await call(quick)).json(), { ok: 1 });
  const unbounded = apiView(["GET"], async () => {
    await delay(50);
    return { ok: 2 };
  }, { timeout: 0 });
  assertEquals(await (await call(unbounded)).json(), { ok: 2 });
});
