import { assertEquals } from "@std/assert";
import { post, send } from "../_request.ts";

const LIMIT = 2_621_440;

Deno.test("JSON bodies", async (t) => {
  const ok: [string, string, unknown][] = [
    ["an object", '{"a":1}', { a: 1 }],
    ["a list", "[1,2]", [1, 2]],
    ["a string", '"x"', "x"],
    ["a number", "3.5", 3.5],
    ["null", "null", null],
    ["duplicate keys, the last winning", '{"a":1,"a":2}', { a: 2 }],
    ["surrounding whitespace", ' \n{"a":1}\n ', { a: 1 }],
  ];
  for (const [name, body, data] of ok) {
    await t.step(`${name} parses`, async () => {
      const answer = await send("/echo", post(body));
      assertEquals([answer.status, answer.json], [200, { data }]);
    });
  }
  for (const contentType of ["APPLICATION/JSON", "application/json; charset=utf-8"]) {
    await t.step(`Content-Type: ${contentType} parses`, async () => {
      assertEquals((await send("/echo", post('{"a":1}', contentType))).json, { data: { a: 1 } });
    });
  }
  const bad: [string, BodyInit][] = [
    ["invalid JSON", "{a:1}"],
    ["a truncated document", '{"a":'],
    ["whitespace only", "   "],
    ["NaN", "NaN"],
    ["Infinity", "[Infinity]"],
    ["invalid UTF-8", new Uint8Array([0x22, 0xc3, 0x28, 0x22])],
  ];
  for (const [name, body] of bad) {
    await t.step(`${name} returns 400 JSON parse error`, async () => {
      const answer = await send("/echo", post(body));
      assertEquals(answer.status, 400);
      const detail = (answer.json as { detail: string }).detail;
      assertEquals(detail.startsWith("JSON parse error - "), true, detail);
      assertEquals(/\n\s+at |file:/.test(detail), false, "no stack trace");
    });
  }
});

Deno.test("__proto__, constructor and prototype keys stay data and change no prototype", async (t) => {
  await t.step("in JSON", async () => {
    const json = await send(
      "/echo",
      post('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":1}}}'),
    );
    assertEquals(
      json.text,
      '{"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":1}}}}',
    );
  });
  await t.step("in a form", async () => {
    const form = await send(
      "/echo",
      post("__proto__=x&constructor=y&prototype=z", "application/x-www-form-urlencoded"),
    );
    assertEquals(form.text, '{"data":{"__proto__":"x","constructor":"y","prototype":"z"}}');
  });
  await t.step("in multipart", async () => {
    const body = new FormData();
    for (const key of ["__proto__", "constructor", "prototype"]) body.append(key, key);
    body.append("__proto__", new File(["x"], "x.txt", { type: "text/plain" }));
    const multipart = await send("/echo", { method: "POST", body });
    assertEquals(
      multipart.text,
      '{"data":{"__proto__":{"name":"x.txt","type":"text/plain","size":1},' +
        '"constructor":"constructor","prototype":"prototype"}}',
    );
  });
  await t.step("/validate reads a __proto__ name as data", async () => {
    const answer = await send("/validate", post('{"__proto__":{"name":"Ada"}}'));
    assertEquals([answer.status, answer.json], [400, { name: ["This field is required."] }]);
  });
  const plain: Record<string, unknown> = {};
  assertEquals([plain.polluted, Object.getPrototypeOf(plain)], [undefined, Object.prototype]);
});

Deno.test("a form with more than 1000 fields returns 400, as Django's", async (t) => {
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=v`).join("&");
  await t.step("1000 fields are taken", async () => {
    const answer = await send("/echo", post(fields(1000), "application/x-www-form-urlencoded"));
    assertEquals(answer.status, 200);
  });
  for (const [name, body] of [["1001 fields", fields(1001)], ["a million &", "&".repeat(1e6)]]) {
    await t.step(`${name} return 400`, async () => {
      const answer = await send("/echo", post(body, "application/x-www-form-urlencoded"));
      assertEquals([answer.status, answer.json], [400, {
        detail: "The number of fields exceeds the limit of 1000.",
      }]);
    });
  }
});

Deno.test("form bodies are objects of strings", async (t) => {
  const cases: [string, unknown][] = [
    ["a=1&b=two", { a: "1", b: "two" }],
    ["q=a+b%21", { q: "a b!" }],
    ["a=1&a=2", { a: "2" }],
    ["flag", { flag: "" }],
    ["k=%ED%95%9C", { k: "한" }],
  ];
  for (const [body, data] of cases) {
    await t.step(body, async () => {
      const answer = await send("/echo", post(body, "application/x-www-form-urlencoded"));
      assertEquals([answer.status, answer.json], [200, { data }]);
    });
  }
});

Deno.test("multipart bodies give text fields and files", async (t) => {
  await t.step("a repeated field keeps its last value", async () => {
    const form = new FormData();
    form.append("a", "1");
    form.append("a", "2");
    const answer = await send("/echo", { method: "POST", body: form });
    assertEquals(answer.json, { data: { a: "2" } });
  });
  const malformed: [string, string][] = [
    ["no boundary", "multipart/form-data"],
    ["a body that is not multipart", "multipart/form-data; boundary=x"],
  ];
  for (const [name, contentType] of malformed) {
    await t.step(`${name} returns 400`, async () => {
      const answer = await send("/echo", post("garbage", contentType));
      assertEquals(answer.status, 400);
      const detail = (answer.json as { detail: string }).detail;
      assertEquals(detail.startsWith("Multipart form parse error - "), true, detail);
    });
  }
});

Deno.test("empty and body-less requests are {}", async (t) => {
  const cases: [string, RequestInit][] = [
    ["no body", { method: "POST" }],
    ["an empty JSON body", post("")],
    ["an empty form body", post("", "application/x-www-form-urlencoded")],
    ["an empty body of another type", post("", "text/csv")],
    ["an empty body with no type", post("", null)],
  ];
  for (const [name, init] of cases) {
    await t.step(name, async () => {
      const answer = await send("/echo", init);
      assertEquals([answer.status, answer.json], [200, { data: {} }]);
    });
  }
});

Deno.test("a body of a type no parser takes returns 415", async (t) => {
  await t.step("text/csv, quoted verbatim", async () => {
    const answer = await send("/echo", post("a,b", "Text/CSV; charset=latin1"));
    assertEquals(answer.status, 415);
    assertEquals(
      answer.text,
      '{"detail":"Unsupported media type \\"Text/CSV; charset=latin1\\" in request."}',
    );
  });
  await t.step('no Content-Type, quoted as ""', async () => {
    const answer = await send("/echo", post("a,b", null));
    assertEquals(answer.status, 415);
    assertEquals(answer.text, '{"detail":"Unsupported media type \\"\\" in request."}');
  });
  await t.step("a streamed body with no Content-Length", async () => {
    const answer = await send("/echo", post(stream([new Uint8Array([1, 2])]), "image/png"));
    assertEquals(answer.status, 415);
  });
});

Deno.test("a body over the limit returns 413", async (t) => {
  await t.step("by Content-Length", async () => {
    const answer = await send("/echo", post("x".repeat(LIMIT + 1)));
    assertEquals(answer.status, 413);
    assertEquals(answer.json, {
      detail: `Request body is larger than the limit of ${LIMIT} bytes.`,
    });
    assertEquals(answer.headers.get("allow"), "POST, OPTIONS");
  });
  await t.step("streamed without Content-Length, and not read past the limit", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        // A body that would never end: only the limit stops it.
        controller.enqueue(chunk);
      },
    });
    const answer = await send("/echo", post(body));
    assertEquals(answer.status, 413);
    assertEquals(pulled < LIMIT + 4 * chunk.byteLength, true, `read ${pulled} bytes`);
  });
  await t.step("a body just at the limit is taken", async () => {
    const body = `"${"x".repeat(LIMIT - 2)}"`;
    assertEquals((await send("/echo", post(body))).status, 200);
  });
});

function stream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}
