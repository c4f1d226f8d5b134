// Tests over a real socket, for what only a socket shows: framing (chunked
// bodies, HEAD) and that the handler serves under Deno.serve as it is.

import { assertEquals } from "@std/assert";
import { MESSAGE } from "../../views/async_view.ts";
import { canListen, withServer } from "../_socket.ts";

const ignore = !canListen;
if (ignore) console.warn("server_test.ts: skipped, it needs --allow-net=127.0.0.1 to listen");

Deno.test({
  name: "GET /async over a socket answers the message",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const base = `http://127.0.0.1:${port}`;
      const response = await fetch(`${base}/async`);
      assertEquals(response.status, 200);
      assertEquals(response.headers.get("content-type"), "application/json");
      assertEquals(await response.json(), { message: MESSAGE });
    }),
});

Deno.test({
  name: "HEAD over a socket sends headers and no body",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const base = `http://127.0.0.1:${port}`;
      const response = await fetch(`${base}/health`, { method: "HEAD" });
      assertEquals(response.status, 200);
      assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
      // GET's length (`{"status":"ok"}`), as raw Deno.serve sends, not 0.
      assertEquals(response.headers.get("content-length"), "15");
      assertEquals(await response.text(), "");
    }),
});

Deno.test({
  name: "a chunked body over the limit returns 413 and the server keeps serving",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const base = `http://127.0.0.1:${port}`;
      let sent = 0;
      const chunk = new Uint8Array(256 * 1024).fill(0x20);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // Bounded: 16 MiB at most, far past the 2.5 MiB limit.
          if (sent >= 16 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${base}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      assertEquals(response.status, 413);
      assertEquals(await response.json(), {
        detail: "Request body is larger than the limit of 2621440 bytes.",
      });
      const after = await fetch(`${base}/health`);
      assertEquals(await after.json(), { status: "ok" });
    }),
});

Deno.test({
  name: "a body without Content-Type over a socket returns 415 quoting an empty type",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const base = `http://127.0.0.1:${port}`;
      const response = await fetch(`${base}/echo`, {
        method: "POST",
        body: new TextEncoder().encode("a,b"),
      });
      assertEquals(response.status, 415);
      assertEquals(await response.json(), { detail: 'Unsupported media type "" in request.' });
    }),
});
