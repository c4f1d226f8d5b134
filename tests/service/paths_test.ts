// Hostile paths: bad escapes, encoded separators and dot segments, huge paths.
// In-process first; then over a socket, because `new Request()` normalises a
// URL (`/a/%2e%2e/b` becomes `/b`) and the wire does not.

import { assertEquals } from "@std/assert";
import { send } from "../_request.ts";
import { canListen, exchange, withServer } from "../_socket.ts";

const NOT_FOUND = { detail: "Not found." };

Deno.test("a path with bad percent-encoding returns 404 JSON", async (t) => {
  const paths = [
    "/items/%zz",
    "/%zz",
    "/%",
    "/items/%",
    "/items/%%37",
    "/items/%ff",
    "/items/%E0%A4%A",
    "/%C0%AFhealth",
    "/health%00",
  ];
  for (const path of paths) {
    await t.step(path, async () => {
      const answer = await send(path);
      assertEquals([answer.status, answer.json], [404, NOT_FOUND]);
    });
  }
});

Deno.test("encoded separators and double encoding never become path structure", async (t) => {
  const paths = [
    "/%2Fhealth",
    "/health%2F",
    "/items/1%2F2",
    "/%5Chealth",
    "/items/7%5C",
    "/async%2F..%2Fhealth",
    "/items/..%2Fhealth",
    "/items/%2e%2e%2Fhealth",
    "/items/%2e%2e%5Chealth",
    "/%252Fhealth",
    "/%2568ealth",
    "/items/%2537",
  ];
  for (const path of paths) {
    await t.step(path, async () => {
      const answer = await send(path);
      assertEquals([answer.status, answer.json], [404, NOT_FOUND]);
    });
  }
  await t.step("a singly encoded letter or digit is just that letter", async () => {
    assertEquals((await send("/%68ealth")).json, { status: "ok" });
    assertEquals((await send("/items/%37")).json, { id: 7 });
  });
});

Deno.test("very long paths and many segments are answered", async (t) => {
  const cases: [string, string, number][] = [
    ["a megabyte of segments", "/a".repeat(500_000), 404],
    ["a hundred thousand slashes", "/".repeat(100_000), 404],
    ["a megabyte of escapes", "/" + "%2F".repeat(350_000), 404],
    ["an id of a hundred thousand digits", "/items/" + "9".repeat(100_000), 404],
    ["an id after a hundred thousand zeros", "/items/" + "0".repeat(100_000) + "7", 200],
  ];
  for (const [name, path, status] of cases) {
    await t.step(name, async () => assertEquals((await send(path)).status, status));
  }
});

Deno.test({
  name: "over a socket, dot segments and encoded ones are never traversal",
  ignore: !canListen,
  fn: () =>
    withServer(async (port) => {
      const targets = [
        "/items/../health",
        "/items/%2e%2e/health",
        "/items/%2E%2E/health",
        "/items/.%2e/health",
        "/./health",
        "/health/.",
        "//health",
        "/items/7/..",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/items/..%2F..%2Fhealth",
        "/items\\..\\health",
        "/items/%zz",
      ];
      for (const target of targets) {
        const answer = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
        assertEquals([answer.status, JSON.parse(answer.body)], [404, NOT_FOUND], target);
      }
      // A raw fragment (no client sends one) is dropped as `new Request()` drops it.
      const fragment = await exchange(port, "GET /health#/../items/7 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(JSON.parse(fragment.body), { status: "ok" });
    }),
});

Deno.test({
  name: "over a socket, a path of 30,000 segments returns 404 JSON",
  ignore: !canListen,
  fn: () =>
    withServer(async (port) => {
      const target = "/a".repeat(30_000);
      const answer = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      assertEquals([answer.status, JSON.parse(answer.body)], [404, NOT_FOUND]);
    }),
});
