import { assertEquals } from "@std/assert";
import { send } from "../_request.ts";
import { canListen, exchange, withServer } from "../_socket.ts";

Deno.test("an unknown method returns 405 with Allow", async (t) => {
  for (const method of ["BREW", "PROPFIND", "CONNECTX", "M-SEARCH", "purge"]) {
    await t.step(method, async () => {
      const answer = await send("/health", { method });
      assertEquals([answer.status, answer.json], [405, {
        detail: `Method "${method}" not allowed.`,
      }]);
      assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
    });
  }
  await t.step("on an unknown path it is a 404 still", async () => {
    assertEquals((await send("/nope", { method: "BREW" })).status, 404);
  });
});

Deno.test("an absurdly long method returns 405 quoting 32 characters of it", async () => {
  const answer = await send("/health", { method: "X".repeat(10_000) });
  assertEquals([answer.status, answer.json], [405, {
    detail: `Method "${"X".repeat(32)}..." not allowed.`,
  }]);
  const exact = await send("/health", { method: "Y".repeat(32) });
  assertEquals(exact.json, { detail: `Method "${"Y".repeat(32)}" not allowed.` });
});

Deno.test({
  name: "over a socket, a 10,000-character method returns a short 405",
  ignore: !canListen,
  fn: () =>
    withServer(async (port) => {
      const method = "M".repeat(10_000);
      const answer = await exchange(port, `${method} /echo HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      assertEquals(answer.status, 405);
      assertEquals(answer.body, `{"detail":"Method \\"${"M".repeat(32)}...\\" not allowed."}`);
      assertEquals(answer.headers.get("allow"), "POST, OPTIONS");
    }),
});
