// Clients that send a body slowly or not at all, over a real socket: the idle
// timer between body chunks is the point, and only a socket can stall.

import { assertEquals } from "@std/assert";
import { delay } from "@std/async/delay";
import { apiView } from "../../middleware/drf/decorators.ts";
import { errorBoundary } from "../../middleware/error_boundary.ts";
import { shedLoad } from "../../middleware/load_shedding.ts";
import { readBody } from "../../middleware/http/read_body.ts";
import { canListen, connect, exchange, readResponse, withServer } from "../_socket.ts";

const ignore = !canListen;
// Long enough that a trickle a fifth of it apart is never idle, however loaded
// the machine (at 200 ms, 100 ms apart left too little room).
const IDLE_MS = 500;
const encoder = new TextEncoder();

// A view that reads its body with a short idle limit, behind a load shedder
// that lets one request in at a time, so a request that is not freed shows.
const app = errorBoundary(
  shedLoad(1)(
    apiView(["POST"], async function upload(request) {
      return { size: (await readBody(request, 1000, IDLE_MS)).byteLength };
    }),
  ),
);

function head(framing: string): string {
  return `POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n${framing}\r\n\r\n`;
}

Deno.test({
  name: "a body that stops arriving returns 408 JSON and frees the request",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const stalls: [string, string][] = [
        ["with Content-Length", head("Content-Length: 100") + "0123456789"],
        ["chunked", head("Transfer-Encoding: chunked") + "a\r\n0123456789\r\n"],
        ["before its first byte", head("Content-Length: 100")],
      ];
      for (const [name, request] of stalls) {
        const answer = await exchange(port, request);
        assertEquals(answer.status, 408, name);
        assertEquals(answer.headers.get("content-type"), "application/json");
        assertEquals(JSON.parse(answer.body), {
          detail: `Request body timed out after ${IDLE_MS} ms without data.`,
        });
        // The one slot of the load shedder is free again: the next is served.
        const next = await exchange(port, head("Content-Length: 2") + "ok");
        assertEquals([next.status, next.body], [200, '{"size":2}'], name);
      }
    }, app),
});

Deno.test({
  name: "a body that trickles faster than the idle limit is read to the end",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const conn = await connect(port);
      try {
        await conn.write(encoder.encode(head("Content-Length: 8")));
        // Eight bytes over 1.6 idle limits: slow in total, never idle.
        for (const byte of "12345678") {
          await delay(IDLE_MS / 5);
          await conn.write(encoder.encode(byte));
        }
        const answer = await readResponse(conn);
        assertEquals([answer.status, answer.body], [200, '{"size":8}']);
      } finally {
        conn.close();
      }
    }, app),
});

Deno.test({
  name: "idle and stalled connections do not stop others being served",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const held: Deno.TcpConn[] = [];
      try {
        for (let i = 0; i < 100; i++) held.push(await connect(port));
        for (let i = 0; i < 50; i++) {
          const conn = await connect(port);
          held.push(conn);
          // Half a head, or a head and a body that stops: each waits forever.
          await conn.write(encoder.encode(
            i % 2
              ? "GET /health HTTP/1.1\r\nHo"
              : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                "Content-Length: 100\r\n\r\n{",
          ));
        }
        const answers = await Promise.all(
          Array.from(
            { length: 20 },
            () => exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"),
          ),
        );
        assertEquals(
          answers.map((a) => [a.status, a.body]),
          Array(20).fill([200, '{"status":"ok"}']),
        );
      } finally {
        for (const conn of held) conn.close();
      }
    }),
});
