import { assertEquals } from "@std/assert";
import { exceedsJsonDepth } from "../../middleware/drf/parsers/json_depth.ts";
import { post, send } from "../_request.ts";

const LIMIT = 512;

function nested(depth: number, open = "[", close = "]"): string {
  return open.repeat(depth) + close.repeat(depth);
}

Deno.test("exceedsJsonDepth() counts arrays and objects, not brackets in strings", () => {
  const cases: [string, number, boolean][] = [
    ["1", 0, false],
    ["[]", 0, true],
    ["[]", 1, false],
    ['{"a":[{"b":[]}]}', 4, false],
    ['{"a":[{"b":[]}]}', 3, true],
    ["[[],[],[]]", 2, false],
    ['["[[[[[[", "{{{{{{"]', 1, false],
    ['["\\"[[[[[["]', 1, false],
    ['["\\\\", [[[]]]]', 3, true],
    ['["unterminated [[[[[[', 1, false],
    [nested(100_000), LIMIT, true],
  ];
  for (const [text, limit, exceeds] of cases) {
    assertEquals(exceedsJsonDepth(text, limit), exceeds, `${text.slice(0, 30)} at ${limit}`);
  }
});

Deno.test("a JSON body nested deeper than the limit returns 400, not 500", async (t) => {
  const detail = `JSON parse error - Nesting is deeper than the limit of ${LIMIT}.`;
  await t.step(`${LIMIT} levels are taken and echoed`, async () => {
    const body = '{"a":'.repeat(LIMIT - 1) + "[1]" + "}".repeat(LIMIT - 1);
    const answer = await send("/echo", post(body));
    assertEquals([answer.status, answer.text], [200, `{"data":${body}}`]);
  });
  const deep: [string, string][] = [
    [`${LIMIT + 1} arrays`, nested(LIMIT + 1)],
    [`${LIMIT + 1} objects`, '{"a":'.repeat(LIMIT + 1) + "1" + "}".repeat(LIMIT + 1)],
    // Far past the limit, in objects and in a document that never closes.
    ["100,000 objects", '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)],
    ["a million arrays, unclosed", "[".repeat(1_000_000)],
  ];
  for (const [name, body] of deep) {
    await t.step(`${name} return 400`, async () => {
      const answer = await send("/echo", post(body));
      assertEquals([answer.status, answer.json], [400, { detail }]);
    });
  }
  await t.step("/validate refuses it the same way", async () => {
    const answer = await send("/validate", post(nested(LIMIT + 1)));
    assertEquals([answer.status, answer.json], [400, { detail }]);
  });
});
