import { assertEquals, assertRejects } from "@std/assert";
import { delay } from "@std/async/delay";
import { handler } from "../_service.ts";
import { listen } from "../../middleware/http/server.ts";
import { canListen, connect, readResponse } from "../_socket.ts";

const ignore = !canListen;

Deno.test({
  name: "a shutdown with 100 /async requests in flight lets all of them finish",
  ignore,
  async fn() {
    const server = listen(handler, { hostname: "127.0.0.1", port: 0, graceMs: 5000 });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const clients = Array.from({ length: 100 }, () => Deno.createHttpClient({}));
    try {
      const answers = clients.map((client) =>
        fetch(`${base}/async`, { client }).then(async (r) => [r.status, await r.json()])
      );
      await delay(300); // all hundred are in flight
      const shutdown = server.shutdown();
      await delay(50);
      await assertRejects(() => fetch(`${base}/health`), TypeError);
      const results = await Promise.all(answers);
      assertEquals(results.filter(([status]) => status === 200).length, 100);
      assertEquals(await shutdown, true);
    } finally {
      clients.forEach((client) => client.close());
    }
  },
});

Deno.test({
  name: "a shutdown gives up after its grace period",
  ignore,
  async fn() {
    const never = Promise.withResolvers<Response>();
    const server = listen(() => never.promise, { hostname: "127.0.0.1", port: 0, graceMs: 100 });
    const client = Deno.createHttpClient({});
    const pending = fetch(`http://127.0.0.1:${server.addr.port}/`, { client }).catch(() => {});
    await delay(50);
    const started = performance.now();
    assertEquals(await server.shutdown(), false);
    assertEquals(performance.now() - started < 1000, true);
    never.resolve(new Response("late"));
    await pending;
    client.close();
  },
});

Deno.test({
  name: "a shutdown during a slow upload lets the upload finish, then stops",
  ignore,
  async fn() {
    // Deno's own graceful shutdown ends the bodies still arriving at once (the
    // view read "Request body ended before it was complete."): the server
    // waits for them before it hands over to it.
    const server = listen(handler, { hostname: "127.0.0.1", port: 0, graceMs: 5000 });
    const encoder = new TextEncoder();
    const conn = await connect(server.addr.port);
    try {
      await conn.write(encoder.encode(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
          'Content-Length: 14\r\n\r\n{"a":',
      ));
      await delay(100);
      const shutdown = server.shutdown();
      await delay(200);
      // Meanwhile a new request is turned away, and told to close.
      const away = await fetch(`http://127.0.0.1:${server.addr.port}/health`);
      const turnedAway = [away.status, away.headers.get("connection"), await away.json()];
      await conn.write(encoder.encode('"upload"}'));
      const answer = await readResponse(conn);
      assertEquals([answer.status, answer.body], [200, '{"data":{"a":"upload"}}']);
      assertEquals(await shutdown, true);
      assertEquals(turnedAway, [503, "close", { detail: "The server is shutting down." }]);
      await assertRejects(() => fetch(`http://127.0.0.1:${server.addr.port}/health`), TypeError);
    } finally {
      conn.close();
    }
  },
});
