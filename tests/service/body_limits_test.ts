// Body sizes over a real socket, where a declared length can be a lie: the
// answer must come from the head alone, without waiting for the body.

import { assertEquals } from "@std/assert";
import { apiView } from "../../middleware/drf/decorators.ts";
import { canListen, exchange, withServer } from "../_socket.ts";

const ignore = !canListen;
const TEN_GIB = 10 * 1024 ** 3;

function post(path: string, length: number, body = ""): string {
  return `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${length}\r\n\r\n${body}`;
}

Deno.test({
  name: "a declared 10 GiB body returns 413 before any of it is sent",
  ignore,
  fn: () =>
    withServer(async (port) => {
      for (const body of ["", '{"a":']) {
        const answer = await exchange(port, post("/echo", TEN_GIB, body));
        assertEquals(answer.status, 413);
        assertEquals(JSON.parse(answer.body), {
          detail: "Request body is larger than the limit of 2621440 bytes.",
        });
      }
    }),
});

Deno.test({
  name: "a body sent to a view that never reads it is not waited for",
  ignore,
  fn: async (t) => {
    await t.step("a 405 on a view without POST", () =>
      withServer(async (port) => {
        const answer = await exchange(port, post("/health", TEN_GIB));
        assertEquals([answer.status, answer.headers.get("allow")], [405, "GET, HEAD, OPTIONS"]);
      }));
    await t.step("a POST view that does not read its body", () =>
      withServer(
        async (port) => {
          const answer = await exchange(port, post("/ping", TEN_GIB, "{"));
          assertEquals([answer.status, answer.body], [200, '{"pong":true}']);
        },
        apiView(["POST"], async function ping() {
          return { pong: true };
        }),
      ));
  },
});
