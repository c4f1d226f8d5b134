import { assertEquals } from "@std/assert";
import { expect, fn } from "@std/expect";
import { apiView } from "../../middleware/drf/decorators.ts";
import { viewName } from "../../middleware/drf/metadata.ts";
import { ApiResponse } from "../../middleware/drf/response.ts";
import { send } from "../_request.ts";
import { callView, captureConsole } from "../../middleware/drf/test.ts";

const call = callView;

const PARSES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"];

Deno.test("POST /async returns 405 with Allow", async () => {
  const answer = await send("/async", { method: "POST" });
  assertEquals(answer.status, 405);
  assertEquals(answer.text, '{"detail":"Method \\"POST\\" not allowed."}');
  assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
  assertEquals(answer.headers.get("vary"), "Accept");
  assertEquals(answer.headers.get("content-type"), "application/json");
});

Deno.test("a method the view does not take returns 405 naming it as sent", async (t) => {
  for (const method of ["PUT", "PATCH", "DELETE", "PURGE", "patch"]) {
    await t.step(method, async () => {
      const answer = await send("/health", { method });
      assertEquals(answer.status, 405);
      assertEquals(answer.json, { detail: `Method "${method}" not allowed.` });
      assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
    });
  }
  await t.step("GET on a POST view", async () => {
    const answer = await send("/echo");
    assertEquals([answer.status, answer.headers.get("allow")], [405, "POST, OPTIONS"]);
  });
});

Deno.test("Allow lists methods in DRF's order, then HEAD, then OPTIONS", async () => {
  const view = apiView(["delete", "POST", "GET", "PURGE", "OPTIONS"], async () => ({}));
  const response = await call(view, { method: "PATCH" });
  assertEquals(response.headers.get("allow"), "GET, POST, DELETE, PURGE, HEAD, OPTIONS");
  await response.body?.cancel();
});

Deno.test("OPTIONS returns the view's metadata and never runs the view", async (t) => {
  await t.step("OPTIONS /async", async () => {
    const started = performance.now();
    const answer = await send("/async", { method: "OPTIONS" });
    assertEquals(performance.now() - started < 900, true, "the one-second view did not run");
    assertEquals(answer.status, 200);
    assertEquals(
      answer.text,
      JSON.stringify({
        name: "Async View",
        description: "",
        renders: ["application/json", "text/html"],
        parses: PARSES,
      }),
    );
    assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
  const names: [string, string][] = [
    ["/health", "Health"],
    ["/echo", "Echo"],
    ["/items/7", "Item Detail"],
    ["/boom", "Boom"],
    ["/validate", "Validate"],
  ];
  for (const [path, name] of names) {
    await t.step(`OPTIONS ${path} is named "${name}"`, async () => {
      assertEquals(((await send(path, { method: "OPTIONS" })).json as { name: string }).name, name);
    });
  }
  await t.step("the name and description can be given", async () => {
    const view = fn(async () => ({})) as () => Promise<unknown>;
    const handler = apiView(["POST"], view, { name: "Orders", description: "All orders." });
    const response = await call(handler, { method: "OPTIONS" });
    assertEquals(await response.json(), {
      name: "Orders",
      description: "All orders.",
      renders: ["application/json", "text/html"],
      parses: PARSES,
    });
    assertEquals(response.headers.get("allow"), "POST, OPTIONS");
    expect(view).not.toHaveBeenCalled();
  });
});

Deno.test("viewName() makes names as DRF's get_view_name does", () => {
  const cases: [string, string][] = [
    ["asyncView", "Async View"],
    ["async_view", "Async View"],
    ["itemDetail", "Item Detail"],
    ["health", "Health"],
    ["HTTPStatus", "Http Status"],
    ["user_list2", "User List2"],
  ];
  for (const [identifier, name] of cases) assertEquals(viewName(identifier), name, identifier);
});

Deno.test("HEAD on a GET view returns GET's status and headers without a body", async (t) => {
  // RFC 9110: a HEAD response's Content-Length, when sent, is the one GET's
  // body would have, here as bytes of UTF-8 (the page's "·" is two).
  for (const accept of ["application/json", "text/html"]) {
    await t.step(`Accept: ${accept}`, async () => {
      const get = await send("/health", { headers: { accept } });
      const head = await send("/health", { method: "HEAD", headers: { accept } });
      assertEquals(head.status, 200);
      assertEquals(head.text, "");
      const expected = new Headers(get.headers);
      expected.set("content-length", String(new TextEncoder().encode(get.text).byteLength));
      assertEquals([...head.headers], [...expected]);
    });
  }
});

Deno.test("HEAD on a view without GET returns 405", async () => {
  const answer = await send("/echo", { method: "HEAD" });
  assertEquals([answer.status, answer.headers.get("allow")], [405, "POST, OPTIONS"]);
});

Deno.test("a view's return value decides the response", async (t) => {
  await t.step("plain data renders as 200 JSON", async () => {
    const response = await call(apiView(["GET"], async () => [1, "two"]));
    assertEquals([response.status, await response.text()], [200, '[1,"two"]']);
  });
  await t.step("an ApiResponse sets status and headers, and keeps Allow and Vary", async () => {
    const view = apiView(["POST"], async () =>
      new ApiResponse({ id: 1 }, {
        status: 201,
        headers: { location: "/items/1", vary: "Cookie" },
      }));
    const response = await call(view, { method: "POST" });
    assertEquals(response.status, 201);
    assertEquals(await response.json(), { id: 1 });
    assertEquals(response.headers.get("location"), "/items/1");
    assertEquals(response.headers.get("vary"), "Cookie, Accept");
    assertEquals(response.headers.get("allow"), "POST, OPTIONS");
  });
  await t.step("a 204 ApiResponse has no body", async () => {
    const view = apiView(["DELETE"], async () => new ApiResponse(undefined, { status: 204 }));
    const response = await call(view, { method: "DELETE" });
    assertEquals([response.status, await response.text()], [204, ""]);
  });
  await t.step("undefined renders an empty body, as DRF's None", async () => {
    const response = await call(apiView(["GET"], async () => undefined));
    assertEquals([response.status, await response.text()], [200, ""]);
  });
  await t.step("a web Response passes through untouched", async () => {
    const view = apiView(
      ["GET"],
      async () => new Response("plain", { status: 202, headers: { "content-type": "text/plain" } }),
    );
    const response = await call(view);
    assertEquals(response.status, 202);
    assertEquals(await response.text(), "plain");
    assertEquals(response.headers.get("content-type"), "text/plain");
    // As DRF's finalize_response, the view's Allow and Vary are added.
    assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
    assertEquals(response.headers.get("vary"), "Accept");
  });
  await t.step("data JSON cannot hold is a 500, not a crash", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await captureConsole(async () => {
      for (const data of [{ big: 1n }, cyclic]) {
        const response = await call(apiView(["GET"], async () => data));
        assertEquals(response.status, 500);
        assertEquals(await response.json(), { detail: "A server error occurred." });
        assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
      }
    });
  });
});

Deno.test("a view that never reads the body never fails on it", async () => {
  const view = apiView(["POST"], async () => ({ ok: true }));
  const response = await call(view, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{not json",
  });
  assertEquals([response.status, await response.json()], [200, { ok: true }]);
});
