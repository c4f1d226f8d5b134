// What one WebSocket client can cost the server: pending messages per socket
// and per process, the size of an id, unread answers, oversized messages.

import { assertEquals, assertLess } from "@std/assert";
import { delay } from "@std/async/delay";
import { createHandler } from "../../main.ts";
import { loadSettings } from "../../middleware/http/settings.ts";
import { MESSAGE } from "../../views/async_view.ts";
import { type PendingBudget, serveSocket, type SocketLimits } from "../../views/ws.ts";
import { stores } from "../_service.ts";
import { canListen } from "../_socket.ts";
import { clientFrame, closeOf, openRawSocket } from "../_websocket.ts";

const ignore = !canListen;
const NO_LIMITS: SocketLimits = { maxPending: 0, maxPendingTotal: 0, maxUnsentBytes: 0 };

/** A stand-in socket: the protocol needs only events, readyState, send and close. */
class StandIn extends EventTarget {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  sent: unknown[] = [];
  closed: { code?: number; reason?: string } | undefined;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
    this.readyState = WebSocket.CLOSING;
  }
  message(data: unknown) {
    this.dispatchEvent(new MessageEvent("message", { data }));
  }
  hangUp() {
    this.readyState = WebSocket.CLOSED;
    this.dispatchEvent(new Event("close"));
  }
}

function standIn(): StandIn {
  return new StandIn();
}

function serve(socket: StandIn, limits: SocketLimits, budget?: PendingBudget) {
  return serveSocket(socket as unknown as WebSocket, limits, budget ?? { pending: 0 });
}

Deno.test("messages past WS_MAX_PENDING on one socket get an error naming the limit", async () => {
  const socket = standIn();
  const tasks = serve(socket, { ...NO_LIMITS, maxPending: 3 });
  for (let id = 1; id <= 5; id++) socket.message(`{"id":${id},"seconds":0.05}`);
  assertEquals(tasks.pending, 3);
  const refusal = "Too many messages waiting for an answer on this socket (at most 3): " +
    "wait for an answer before sending more.";
  assertEquals(socket.sent, [{ id: 4, error: refusal }, { id: 5, error: refusal }]);
  await delay(200);
  assertEquals(socket.sent.slice(2), [1, 2, 3].map((id) => ({ id, message: MESSAGE })));
  // Answered, they make room again.
  socket.message('{"id":6,"seconds":0}');
  await delay(50);
  assertEquals(socket.sent.at(-1), { id: 6, message: MESSAGE });
  assertEquals(tasks.pending, 0);
});

Deno.test("messages past WS_MAX_PENDING_TOTAL across sockets get an error, until some end", async () => {
  const budget: PendingBudget = { pending: 0 };
  const limits = { ...NO_LIMITS, maxPendingTotal: 2 };
  const [a, b] = [standIn(), standIn()];
  serve(a, limits, budget);
  serve(b, limits, budget);
  a.message('{"id":"a1","seconds":10}');
  b.message('{"id":"b1","seconds":10}');
  b.message('{"id":"b2","seconds":10}');
  assertEquals(budget.pending, 2);
  assertEquals(b.sent, [{
    id: "b2",
    error: "The server has too many messages waiting for an answer: try again later.",
  }]);
  a.hangUp(); // its pending message is cancelled and frees its place
  assertEquals(budget.pending, 1);
  b.message('{"id":"b3","seconds":0}');
  await delay(50);
  assertEquals(b.sent.at(-1), { id: "b3", message: MESSAGE });
  b.hangUp();
  assertEquals(budget.pending, 0);
});

Deno.test("100,000 pending messages on one socket are taken and cancelled in linear time", () => {
  // Each pending message used to add an abort listener to one signal, which
  // costs time linear in the listeners already there: 100,000 took minutes.
  const socket = standIn();
  const budget: PendingBudget = { pending: 0 };
  const tasks = serve(socket, NO_LIMITS, budget);
  const started = performance.now();
  for (let id = 0; id < 100_000; id++) socket.message(`{"id":${id},"seconds":10}`);
  assertEquals(tasks.pending, 100_000);
  socket.hangUp();
  const elapsed = performance.now() - started;
  assertEquals([tasks.pending, budget.pending, socket.sent.length], [0, 0, 0]);
  // Linear work is well under a second here; the bound leaves room for a loaded machine.
  assertLess(elapsed, 10_000, `${elapsed.toFixed(0)} ms`);
});

Deno.test("an id longer than 1024 characters of JSON is refused", () => {
  const socket = standIn();
  const tasks = serve(socket, NO_LIMITS);
  socket.message(JSON.stringify({ id: "x".repeat(1022), seconds: 0 })); // 1024 with its quotes
  socket.message(JSON.stringify({ id: "x".repeat(60_000), seconds: 0 }));
  assertEquals(tasks.pending, 1);
  assertEquals(socket.sent, [{
    error: '"id" must be at most 1024 characters of JSON, got 60002.',
  }]);
  socket.hangUp();
});

Deno.test("a socket whose unsent answers pass WS_MAX_UNSENT_BYTES is closed with 1008", async () => {
  const socket = standIn();
  const tasks = serve(socket, { ...NO_LIMITS, maxUnsentBytes: 1000 });
  socket.message('{"id":1,"seconds":0}');
  socket.message('{"id":2,"seconds":10}');
  await delay(50);
  assertEquals(socket.sent, [{ id: 1, message: MESSAGE }]);
  socket.bufferedAmount = 1001; // the client stopped reading
  socket.message('{"id":3,"seconds":0}');
  assertEquals(socket.closed, {
    code: 1008,
    reason: "Answers are not being read: over 1000 bytes unsent.",
  });
  assertEquals(tasks.pending, 0, "its pending work is cancelled at once");
  socket.message('{"id":4,"seconds":0}');
  await delay(50);
  assertEquals(socket.sent.length, 1, "nothing more is taken or sent");
});

Deno.test({
  name: "a client that never reads its answers is cut off before they are all sent",
  ignore,
  async fn() {
    const settings = loadSettings({ ACCESS_LOG: "0", WS_MAX_UNSENT_BYTES: "65536" });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      createHandler(settings, stores),
    );
    const ws = await openRawSocket(server.addr.port);
    try {
      // 20,000 messages whose answers are 1 KB each: 20 MB if all were sent.
      const message = clientFrame(1, JSON.stringify({ id: "x".repeat(1000), seconds: 0 }));
      const all = new Uint8Array(message.length * 20_000);
      for (let i = 0; i < 20_000; i++) all.set(message, i * message.length);
      const writing = ws.write(all).catch(() => {});
      await delay(1000); // not reading: the server's send buffers fill
      let answers = 0;
      let close: { code: number; reason: string } | undefined;
      let timedOut = false;
      const quiet = setTimeout(() => {
        timedOut = true;
        ws.close();
      }, 15_000);
      while (!close) {
        const frame = await ws.next();
        if (!frame) break; // the server ended the connection
        if (frame.opcode === 8) close = closeOf(frame);
        else answers++;
      }
      clearTimeout(quiet);
      // The server closed it (1008 when the close frame gets through; a
      // reset when the client's unread messages are still coming in).
      assertEquals(timedOut, false, `the connection stayed open after ${answers} answers`);
      if (close) {
        assertEquals(close, {
          code: 1008,
          reason: "Answers are not being read: over 65536 bytes unsent.",
        });
      }
      assertLess(answers, 20_000);
      ws.close();
      await writing;
    } finally {
      ws.close();
    }
  },
});

Deno.test({
  name: "a message over 64 KiB closes the socket with 1009; one within it is answered",
  ignore,
  async fn() {
    const settings = loadSettings({ ACCESS_LOG: "0" });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      createHandler(settings, stores),
    );
    const ws = await openRawSocket(server.addr.port);
    try {
      const padded = `{"id":1,"seconds":0}${" ".repeat(65_536 - 20)}`;
      await ws.write(clientFrame(1, padded));
      const answer = await ws.next();
      if (!answer) throw new Error("no answer");
      assertEquals(JSON.parse(new TextDecoder().decode(answer.payload)), {
        id: 1,
        message: MESSAGE,
      });
      await ws.write(clientFrame(1, padded + " "));
      const frame = await ws.next();
      if (!frame) throw new Error("no close frame");
      assertEquals([frame.opcode, closeOf(frame)], [8, {
        code: 1009,
        reason: "Message is longer than 65536 characters.",
      }]);
    } finally {
      ws.close();
    }
  },
});
