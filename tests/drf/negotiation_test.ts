import { assertEquals, assertLess, assertThrows } from "@std/assert";
import { NotAcceptable, NotFound } from "../../middleware/drf/exceptions.ts";
import { negotiate } from "../../middleware/drf/negotiation.ts";
import { renderJson } from "../../middleware/drf/renderers/json.ts";
import { send } from "../_request.ts";

const HEALTH = '{"status":"ok"}';
const NOT_ACCEPTABLE = '{"detail":"Could not satisfy the request Accept header."}';

Deno.test("the Accept header picks JSON, or the page, or answers 406", async (t) => {
  const cases: [string | null, number, string][] = [
    [null, 200, HEALTH],
    ["", 200, HEALTH],
    ["*/*", 200, HEALTH],
    ["application/json", 200, HEALTH],
    ["Application/JSON", 200, HEALTH],
    ["application/*", 200, HEALTH],
    ["application/xml, */*;q=0.5", 200, HEALTH],
    ["text/html;q=0.5, application/json", 200, HEALTH],
    ["application/xml", 406, NOT_ACCEPTABLE],
    ["image/png", 406, NOT_ACCEPTABLE],
    ["application/json;q=0", 406, NOT_ACCEPTABLE],
    ["nonsense", 406, NOT_ACCEPTABLE],
  ];
  for (const [accept, status, body] of cases) {
    await t.step(`Accept: ${accept ?? "(none)"} returns ${status}`, async () => {
      const headers: HeadersInit = accept === null ? {} : { accept };
      const answer = await send("/health", { headers });
      assertEquals([answer.status, answer.text], [status, body]);
      assertEquals(answer.headers.get("content-type"), "application/json");
      assertEquals(answer.headers.get("vary"), "Accept");
      assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
    });
  }
});

Deno.test("Accept: application/json; indent=N indents the JSON as DRF does", async (t) => {
  const cases: [string, string][] = [
    ["application/json; indent=2", '{\n  "status": "ok"\n}'],
    ["application/json;indent=4", '{\n    "status": "ok"\n}'],
    ["application/json; indent=20", '{\n        "status": "ok"\n}'],
    ["application/json; indent=0", HEALTH],
    ["application/json; indent=-3", HEALTH],
    ["application/json; indent=two", HEALTH],
    ["*/*; indent=2", '{\n  "status": "ok"\n}'],
    ["application/json; indent=2; q=0.9, application/xml", '{\n  "status": "ok"\n}'],
  ];
  for (const [accept, body] of cases) {
    await t.step(accept, async () => {
      const answer = await send("/health", { headers: { accept } });
      assertEquals([answer.status, answer.text], [200, body]);
    });
  }
  await t.step("nested data indents as Python's json.dumps with DRF's separators", () => {
    const data = { a: [1, { b: "c" }], e: {}, f: [] };
    assertEquals(
      renderJson(data, { indent: 2 }),
      '{\n  "a": [\n    1,\n    {\n      "b": "c"\n    }\n  ],\n  "e": {},\n  "f": []\n}',
    );
  });
});

Deno.test("?format= overrides negotiation", async (t) => {
  await t.step("?format=json returns JSON", async () => {
    const answer = await send("/health?format=json");
    assertEquals([answer.status, answer.text], [200, HEALTH]);
  });
  await t.step("?format=xml returns 404", async () => {
    const answer = await send("/health?format=xml");
    assertEquals([answer.status, answer.text], [404, '{"detail":"Not found."}']);
    assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
  await t.step("?format=json with an Accept that excludes JSON returns 406", async () => {
    const answer = await send("/health?format=json", { headers: { accept: "image/png" } });
    assertEquals([answer.status, answer.text], [406, NOT_ACCEPTABLE]);
  });
  // DRF renders what negotiation refuses with its first renderer, JSON,
  // whatever the Accept header prefers (APIView.perform_content_negotiation).
  const refusals: [string, string, number, string][] = [
    ["/health?format=json", "text/html", 406, NOT_ACCEPTABLE],
    ["/health?format=json", "text/html;q=1, image/png", 406, NOT_ACCEPTABLE],
    ["/health?format=api", "application/json", 406, NOT_ACCEPTABLE],
    ["/health?format=xml", "text/html", 404, '{"detail":"Not found."}'],
  ];
  for (const [path, accept, status, body] of refusals) {
    await t.step(`${path} with Accept: ${accept} returns ${status} as JSON`, async () => {
      const answer = await send(path, { headers: { accept } });
      assertEquals([answer.status, answer.text], [status, body]);
      assertEquals(answer.headers.get("content-type"), "application/json");
      assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
    });
  }
  await t.step("the last format counts, as Django's QueryDict.get", async () => {
    assertEquals((await send("/health?format=xml&format=json")).status, 200);
  });
  await t.step("other query parameters are ignored", async () => {
    const answer = await send("/items/7?page=2&formats=x&format=");
    assertEquals([answer.status, answer.json], [200, { id: 7 }]);
  });
});

Deno.test("checks run in DRF's order: negotiation, then method, then parsing", async (t) => {
  await t.step("PUT /async with Accept: application/xml returns 406", async () => {
    const answer = await send("/async", { method: "PUT", headers: { accept: "application/xml" } });
    assertEquals([answer.status, answer.text], [406, NOT_ACCEPTABLE]);
  });
  await t.step("POST /async with a broken JSON body returns 405", async () => {
    const answer = await send("/async", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{broken",
    });
    assertEquals(answer.status, 405);
  });
  await t.step("POST /health?format=xml returns 404 before 405", async () => {
    assertEquals((await send("/health?format=xml", { method: "POST" })).status, 404);
  });
});

Deno.test("negotiate() throws NotFound and NotAcceptable as values", () => {
  assertThrows(() => negotiate(null, "yaml"), NotFound);
  assertThrows(() => negotiate("image/png", undefined), NotAcceptable);
  assertEquals(negotiate("image/png, application/json;indent=3", undefined).indent, 3);
});

Deno.test("JSON keeps non-ASCII raw and escapes U+2028 and U+2029, as DRF", () => {
  assertEquals(renderJson({ k: "한국어 \u2028\u2029" }), '{"k":"한국어 \\u2028\\u2029"}');
});

Deno.test("an Accept header is read up to its first 32 ranges and 1,024 characters", async (t) => {
  const others = (n: number) => Array.from({ length: n }, (_, i) => `application/x-${i}`);
  await t.step("text/html as the 32nd range returns the page", async () => {
    const accept = [...others(31), "text/html"].join(", ");
    const answer = await send("/health", { headers: { accept } });
    assertEquals(answer.headers.get("content-type"), "text/html; charset=utf-8");
  });
  await t.step("text/html as the 33rd range is not read: 406", async () => {
    const accept = [...others(32), "text/html"].join(",");
    const answer = await send("/health", { headers: { accept } });
    assertEquals([answer.status, answer.text], [406, NOT_ACCEPTABLE]);
  });
  await t.step("text/html past the first 1,024 characters is not read: 406", async () => {
    const accept = `application/x-${"y".repeat(1100)}, text/html`;
    const answer = await send("/health", { headers: { accept } });
    assertEquals([answer.status, answer.text], [406, NOT_ACCEPTABLE]);
  });
  await t.step("3,000 headers of 6,501 ranges (32 KB) each take little work", () => {
    // Each was parsed whole on every request: 5 ms or more apiece, 15 s for
    // these. Read up to the bound they take tens of ms; 3 s is huge room.
    const ranges = Array.from({ length: 6_500 }, (_, i) => `a/b${i % 100}`).join(",");
    const started = performance.now();
    for (let i = 0; i < 3_000; i++) {
      assertThrows(() => negotiate(`${ranges},x/${i}`, undefined), NotAcceptable);
    }
    assertLess(performance.now() - started, 3_000);
  });
});

Deno.test("an error no view answers follows ?format= too: an unknown path with ?format=json is JSON", async () => {
  const answer = await send("/nope?format=json", { headers: { accept: "text/html" } });
  assertEquals(answer.status, 404);
  assertEquals(answer.headers.get("content-type"), "application/json");
  assertEquals(answer.json, { detail: "Not found." });
  const page = await send("/nope", { headers: { accept: "text/html" } });
  assertEquals(page.headers.get("content-type"), "text/html; charset=utf-8");
});
