import { assertEquals, assertGreaterOrEqual } from "@std/assert";
import { delay } from "@std/async/delay";
import { handler, settings } from "../_service.ts";
import { MESSAGE } from "../../views/async_view.ts";
import { serveSocket, socketLimits } from "../../views/ws.ts";
import { send } from "../_request.ts";
import { canListen } from "../_socket.ts";

const ignore = !canListen;

/** Open a socket to /ws on a fresh server; collect what it receives. */
async function openSocket(path = "/ws") {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const socket = new WebSocket(`ws://127.0.0.1:${server.addr.port}${path}`);
  const received: { at: number; data: unknown }[] = [];
  const started = performance.now();
  socket.onmessage = (event) =>
    received.push({ at: performance.now() - started, data: JSON.parse(event.data) });
  const closed = new Promise<void>((resolve) => socket.onclose = () => resolve());
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  return {
    socket,
    received,
    async until(count: number, ms = 3000) {
      const deadline = performance.now() + ms;
      while (received.length < count && performance.now() < deadline) await delay(5);
      return received.map((r) => r.data);
    },
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
      await server.shutdown();
    },
  };
}

Deno.test({
  name: "/ws answers each message after its seconds, in completion order",
  ignore,
  async fn() {
    const ws = await openSocket();
    try {
      ws.socket.send(JSON.stringify({ id: 1, seconds: 0.4 }));
      ws.socket.send(JSON.stringify({ id: "two", seconds: 0.1 }));
      ws.socket.send(JSON.stringify({ id: { nested: [3] }, seconds: 0 }));
      const answers = await ws.until(3);
      assertEquals(answers, [
        { id: { nested: [3] }, message: MESSAGE },
        { id: "two", message: MESSAGE },
        { id: 1, message: MESSAGE },
      ]);
      // Each answer waits its seconds (never sooner); on a loaded machine it may come later.
      const [, second, first] = ws.received.map((r) => r.at);
      assertGreaterOrEqual(second, 95, `"two" came at ${second} ms`);
      assertGreaterOrEqual(first, 395, `1 came at ${first} ms`);
    } finally {
      await ws.close();
    }
  },
});

Deno.test({
  name: "/ws answers a malformed message with an error and stays open",
  ignore,
  async fn() {
    const ws = await openSocket();
    try {
      const bad = [
        "not json",
        "[1,2]",
        '{"seconds":1}',
        '{"id":1}',
        '{"id":1,"seconds":11}',
        '{"id":1,"seconds":-1}',
        '{"id":1,"seconds":"1"}',
      ];
      for (const message of bad) ws.socket.send(message);
      ws.socket.send(new Uint8Array([1, 2, 3]));
      const errors = await ws.until(bad.length + 1);
      assertEquals(errors.length, bad.length + 1);
      for (const error of errors) {
        assertEquals(Object.keys(error as object), ["error"]);
        assertEquals(typeof (error as { error: unknown }).error, "string");
      }
      assertEquals(errors[3], { error: '"seconds" must be a number from 0 to 10, got nothing.' });
      ws.socket.send(JSON.stringify({ id: "still", seconds: 0 }));
      assertEquals((await ws.until(bad.length + 2)).at(-1), { id: "still", message: MESSAGE });
      assertEquals(ws.socket.readyState, WebSocket.OPEN);
    } finally {
      await ws.close();
    }
  },
});

Deno.test("closing the socket cancels its pending work at once", async () => {
  // A stand-in socket: the protocol needs only events, readyState and send().
  const socket = Object.assign(new EventTarget(), {
    readyState: WebSocket.OPEN,
    sent: [] as string[],
    send(data: string) {
      this.sent.push(data);
    },
  });
  const tasks = serveSocket(socket as unknown as WebSocket, socketLimits(settings), { pending: 0 });
  for (const id of [1, 2]) {
    socket.dispatchEvent(new MessageEvent("message", { data: `{"id":${id},"seconds":10}` }));
  }
  assertEquals(tasks.pending, 2);
  socket.readyState = WebSocket.CLOSED;
  socket.dispatchEvent(new Event("close"));
  await delay(0);
  assertEquals(tasks.pending, 0, "both ten-second waits were cancelled");
  assertEquals(socket.sent, []);
});

Deno.test("a plain GET on /ws returns 426 with Upgrade: websocket", async () => {
  const answer = await send("/ws");
  assertEquals(answer.status, 426);
  assertEquals(answer.headers.get("upgrade"), "websocket");
  assertEquals(answer.headers.get("content-type"), "application/json");
  assertEquals(answer.json, {
    detail: "This endpoint speaks WebSocket: send an upgrade request.",
  });
});

Deno.test("an upgrade request elsewhere, or a malformed one, gets a JSON error", async () => {
  const elsewhere = await send("/async", { headers: { upgrade: "websocket" } });
  assertEquals([elsewhere.status, elsewhere.json], [404, { detail: "Not found." }]);
  const malformed = await send("/ws", { headers: { upgrade: "websocket" } });
  assertEquals([malformed.status, malformed.json], [400, {
    detail: "Invalid WebSocket upgrade request.",
  }]);
});
