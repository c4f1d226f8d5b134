import { assertEquals } from "@std/assert";
import { callView as call, captureConsole } from "../../middleware/drf/test.ts";
import { errorBoundary } from "../../middleware/error_boundary.ts";
import type { Handler } from "../../middleware/http/context.ts";
import { OVERLOADED, shedLoad } from "../../middleware/load_shedding.ts";

// A handler whose requests stay in flight until the test lets them go.
function gated() {
  const gates: PromiseWithResolvers<void>[] = [];
  const handler: Handler = async () => {
    const gate = Promise.withResolvers<void>();
    gates.push(gate);
    await gate.promise;
    return Response.json({ ok: true });
  };
  return { handler, release: () => gates.shift()!.resolve() };
}

Deno.test("past MAX_IN_FLIGHT a request gets 503 JSON with Retry-After", async (t) => {
  const { handler, release } = gated();
  const app = errorBoundary(shedLoad(2)(handler));
  const first = call(app);
  const second = call(app);
  await t.step("the third request in flight is shed", async () => {
    const shed = await call(app);
    assertEquals(shed.status, 503);
    assertEquals(shed.headers.get("retry-after"), "1");
    assertEquals(shed.headers.get("content-type"), "application/json");
    assertEquals(await shed.json(), { detail: OVERLOADED });
  });
  await t.step("the requests taken finish", async () => {
    release();
    assertEquals((await first).status, 200);
    await (await first).body?.cancel();
  });
  await t.step("a finished request frees its place", async () => {
    const third = call(app);
    release();
    release();
    assertEquals([(await second).status, (await third).status], [200, 200]);
    await (await second).body?.cancel();
    await (await third).body?.cancel();
  });
});

Deno.test("a request that fails frees its place too", async () => {
  const app = errorBoundary(shedLoad(1)(() => Promise.reject(new Error("down"))));
  await captureConsole(async () => {
    for (let i = 0; i < 3; i++) {
      const response = await call(app);
      assertEquals(response.status, 500, `request ${i + 1}`);
      await response.body?.cancel();
    }
  });
});

Deno.test("MAX_IN_FLIGHT=0 sheds nothing", async () => {
  const { handler, release } = gated();
  const app = shedLoad(0)(handler);
  const pending = Array.from({ length: 100 }, () => call(app));
  for (let i = 0; i < 100; i++) release();
  const statuses = await Promise.all(pending.map(async (p) => {
    const response = await p;
    await response.body?.cancel();
    return response.status;
  }));
  assertEquals(statuses, Array(100).fill(200));
});
