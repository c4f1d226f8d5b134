// Indentation must not multiply what a client sends: a legal body of deeply
// nested arrays, echoed indented (by `indent=8` or the browsable API's 4),
// grew 1000-fold (250 MB for 255 KB) and, a little larger, ended in a 500.

import { assert, assertEquals, assertLess, assertStringIncludes } from "@std/assert";
import { renderJson } from "../../middleware/drf/renderers/json.ts";
import { post, send } from "../_request.ts";

// `copies` arrays nested 510 deep, in one array: 511 levels, within the 512 limit.
function nested(copies: number): string {
  const one = "[".repeat(510) + "]".repeat(510);
  return `[${Array(copies).fill(one).join(",")}]`;
}

Deno.test("echoing deep nesting indented stays within a small multiple of the data", async (t) => {
  for (const copies of [250, 300]) {
    const body = nested(copies);
    const compact = `{"data":${body}}`;
    await t.step(`${copies} copies with indent=8 return compact JSON`, async () => {
      const answer = await send("/echo", {
        ...post(body),
        headers: { "content-type": "application/json", accept: "application/json; indent=8" },
      });
      assertEquals(answer.status, 200);
      assertEquals(answer.headers.get("content-type"), "application/json");
      assertEquals(answer.text, compact);
    });
    await t.step(`${copies} copies as the browsable API return a page cut to size`, async () => {
      const answer = await send("/echo", {
        ...post(body),
        headers: { "content-type": "application/json", accept: "text/html" },
      });
      assertEquals(answer.status, 200);
      assertLess(answer.text.length, 8 * compact.length);
      assertStringIncludes(answer.text, "not indented");
    });
  }
});

Deno.test("small and ordinary data is still indented as asked", async (t) => {
  await t.step("indent=8 on an object", async () => {
    const answer = await send("/echo", {
      ...post('{"a":[1,{"b":"c"}]}'),
      headers: { "content-type": "application/json", accept: "application/json; indent=8" },
    });
    assertEquals(answer.text, JSON.stringify({ data: { a: [1, { b: "c" }] } }, null, 8));
  });
  await t.step("a 1 MB array of objects, 2 levels deep", () => {
    const data = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item ${i}` }));
    assertEquals(renderJson(data, { indent: 4 }), JSON.stringify(data, null, 4));
  });
});

Deno.test("the page shows at most its limit of the JSON, and says it was cut", async () => {
  // 2 MB of strings: compact, past the page's view.
  const body = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => `${i}`.padEnd(100, "x")));
  const answer = await send("/echo?format=api", post(body));
  assertEquals(answer.status, 200);
  assertStringIncludes(answer.text, "cut");
  assertLess(answer.text.length, 2_000_000);
  assert(answer.text.includes("<!doctype html>"));
});
