import { assertEquals, assertGreaterOrEqual } from "@std/assert";
import { MESSAGE } from "../../views/async_view.ts";
import { post, send } from "../_request.ts";
import { captureConsole } from "../../middleware/drf/test.ts";
import { ApiContext } from "../../middleware/drf/request.ts";
import { echo } from "../../views/echo.ts";

const ALLOW_GET = "GET, HEAD, OPTIONS";
const ALLOW_POST = "POST, OPTIONS";

Deno.test("GET /async answers the seed's message after a second", async () => {
  const started = performance.now();
  const answer = await send("/async");
  assertGreaterOrEqual(performance.now() - started, 990);
  assertEquals(answer.status, 200);
  assertEquals(answer.text, `{"message":"${MESSAGE}"}`);
  assertEquals(answer.headers.get("content-type"), "application/json");
  assertEquals(answer.headers.get("allow"), ALLOW_GET);
  assertEquals(answer.headers.get("vary"), "Accept");
});

Deno.test("GET /async calls overlap instead of queueing", async () => {
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: 50 }, () => send("/async")));
  const elapsed = performance.now() - started;
  assertEquals(answers.map((a) => a.status), Array(50).fill(200));
  // Fifty one-second waits in turn would take fifty seconds.
  assertEquals(elapsed < 5000, true, `50 requests took ${elapsed} ms`);
});

Deno.test("GET /health answers at once", async () => {
  const answer = await send("/health");
  assertEquals([answer.status, answer.text], [200, '{"status":"ok"}']);
});

Deno.test("/items/<int:id>", async (t) => {
  const cases: [string, number, unknown][] = [
    ["/items/7", 200, { id: 7 }],
    ["/items/007", 200, { id: 7 }],
    ["/items/0", 200, { id: 0 }],
    ["/items/1000", 200, { id: 1000 }],
    ["/items/1001", 404, { detail: "Not found." }],
    ["/items/abc", 404, { detail: "Not found." }],
    ["/items/-1", 404, { detail: "Not found." }],
    ["/items/", 404, { detail: "Not found." }],
    ["/items/7/", 404, { detail: "Not found." }],
  ];
  for (const [path, status, body] of cases) {
    await t.step(`GET ${path} returns ${status}`, async () => {
      const answer = await send(path);
      assertEquals([answer.status, answer.json], [status, body]);
    });
  }
  await t.step("a missing item carries the view's Allow", async () => {
    assertEquals((await send("/items/1001")).headers.get("allow"), ALLOW_GET);
  });
});

Deno.test("POST /echo returns the parsed body", async () => {
  const answer = await send("/echo", post('{"a":[1,{"b":null}],"ü":"ñ"}'));
  assertEquals(answer.status, 200);
  assertEquals(answer.text, '{"data":{"a":[1,{"b":null}],"ü":"ñ"}}');
  assertEquals(answer.headers.get("allow"), ALLOW_POST);
});

Deno.test("POST /echo reads parsed JSON once, to render it, however many keys it has", async () => {
  // A 2.5 MiB body of 296k keys cost up to a second of CPU: the echo looked
  // through every value for uploaded files, which only a multipart body has,
  // and that pass over a 296k-key object cost as much as parsing it.
  const reads = { keys: 0, values: 0 };
  const data = new Proxy(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])), {
    ownKeys: (target) => (reads.keys++, Reflect.ownKeys(target)),
    get: (target, key) => (reads.values++, Reflect.get(target, key)),
  });
  const request = new Request("http://x/echo", post('{"k0":0}'));
  const context = new ApiContext(request);
  context.data = async () => data;
  const response = await echo(request, context);
  assertEquals(Object.keys((await response.json()).data).length, 1000);
  // JSON.stringify's one pass: the key list once, each value once; besides,
  // only `then` (the promise that resolved to it) and `toJSON` are looked up.
  assertEquals(reads.keys, 1);
  assertEquals(reads.values, 1000 + 2);
});

Deno.test("POST /echo describes uploaded files by name, type and size", async () => {
  const form = new FormData();
  form.append("title", "report");
  form.append("file", new File(["hello"], "hello.txt", { type: "text/plain" }));
  const answer = await send("/echo", { method: "POST", body: form });
  assertEquals(answer.json, {
    data: { title: "report", file: { name: "hello.txt", type: "text/plain", size: 5 } },
  });
});

Deno.test("GET /boom returns a generic 500 and no detail of the error", async () => {
  const logged = await captureConsole(async () => {
    const answer = await send("/boom");
    assertEquals(answer.status, 500);
    assertEquals(answer.text, '{"detail":"A server error occurred."}');
    assertEquals(answer.headers.get("allow"), ALLOW_GET);
  });
  assertEquals(logged.length, 1, "the error is logged once");
  assertEquals(String(logged[0]).includes("Boom"), true, "the log has the error");
});

Deno.test("POST /validate", async (t) => {
  await t.step("without a name returns 400 with the field's error", async () => {
    const answer = await send("/validate", post('{"other":1}'));
    assertEquals(answer.status, 400);
    assertEquals(answer.text, '{"name":["This field is required."]}');
    assertEquals(answer.headers.get("allow"), ALLOW_POST);
  });
  await t.step("with an empty body returns 400 too", async () => {
    const answer = await send("/validate", { method: "POST" });
    assertEquals([answer.status, answer.json], [400, { name: ["This field is required."] }]);
  });
  await t.step("with a name returns 201 and drops other keys", async () => {
    const answer = await send("/validate", post('{"name":"Ada","admin":true}'));
    assertEquals([answer.status, answer.text], [201, '{"name":"Ada"}']);
  });
  await t.step("from a form returns 201 too", async () => {
    const answer = await send("/validate", post("name=Ada", "application/x-www-form-urlencoded"));
    assertEquals([answer.status, answer.json], [201, { name: "Ada" }]);
  });
  await t.step("with a list instead of an object returns 400", async () => {
    const answer = await send("/validate", post("[1]"));
    assertEquals(answer.status, 400);
    assertEquals(answer.json, {
      non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
    });
  });
});

Deno.test("an unknown path returns 404 JSON without Allow", async (t) => {
  for (const path of ["/nope", "/async/", "/ASYNC", "//", "/health/extra"]) {
    await t.step(path, async () => {
      const answer = await send(path);
      assertEquals(answer.status, 404);
      assertEquals(answer.text, '{"detail":"Not found."}');
      assertEquals(answer.headers.get("content-type"), "application/json");
      assertEquals(answer.headers.get("allow"), null);
    });
  }
});
