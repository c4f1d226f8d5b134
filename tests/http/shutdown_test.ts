// Graceful shutdown over real sockets. Each step waits for what it depends on
// (requests seen by the server, the listener closed) rather than for a fixed
// time, so a loaded machine only makes it slower.

import { assertEquals, assertRejects } from "@std/assert";
import { delay } from "@std/async/delay";
import { handler } from "../_service.ts";
import { listen } from "../../middleware/http/server.ts";
import { canListen, connect, readResponse } from "../_socket.ts";

const ignore = !canListen;

/** The service's handler, counting the requests that reached it. */
function counted(inner: Deno.ServeHandler = handler) {
  const seen = { requests: 0 };
  const serve: Deno.ServeHandler = (request, info) => {
    seen.requests++;
    return inner(request, info);
  };
  return { seen, serve };
}

/** Wait until `done()` holds, for 5 s at most. */
async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done() && waited < 5000; waited += 5) await delay(5);
  assertEquals(done(), true, what);
}

/** Whether a new connection is refused, retried for up to 5 s. */
async function refused(port: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    try {
      await (await fetch(`http://127.0.0.1:${port}/health`)).body?.cancel();
    } catch (error) {
      if (error instanceof TypeError) return;
      throw error;
    }
    await delay(50);
  }
  await assertRejects(() => fetch(`http://127.0.0.1:${port}/health`), TypeError);
}

Deno.test({
  name: "a shutdown with 100 /async requests in flight lets all of them finish",
  ignore,
  async fn() {
    const { seen, serve } = counted();
    const server = listen(serve, { hostname: "127.0.0.1", port: 0, graceMs: 5000 });
    const base = `http://127.0.0.1:${server.addr.port}`;
    const clients = Array.from({ length: 100 }, () => Deno.createHttpClient({}));
    try {
      const answers = clients.map((client) =>
        fetch(`${base}/async`, { client }).then(async (r) => [r.status, await r.json()])
      );
      await waitFor(() => seen.requests === 100, "all hundred are in flight");
      const shutdown = server.shutdown();
      await refused(server.addr.port);
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
    const { seen, serve } = counted(() => never.promise);
    const server = listen(serve, { hostname: "127.0.0.1", port: 0, graceMs: 100 });
    const client = Deno.createHttpClient({});
    const pending = fetch(`http://127.0.0.1:${server.addr.port}/`, { client }).catch(() => {});
    await waitFor(() => seen.requests === 1, "the request is in flight");
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
    const { seen, serve } = counted();
    const server = listen(serve, { hostname: "127.0.0.1", port: 0, graceMs: 5000 });
    const encoder = new TextEncoder();
    const conn = await connect(server.addr.port);
    try {
      await conn.write(encoder.encode(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
          'Content-Length: 14\r\n\r\n{"a":',
      ));
      await waitFor(() => seen.requests === 1, "the upload is in flight");
      const shutdown = server.shutdown();
      // Meanwhile a new request is turned away, and told to close.
      const away = await fetch(`http://127.0.0.1:${server.addr.port}/health`);
      const turnedAway = [away.status, away.headers.get("connection"), await away.json()];
      await conn.write(encoder.encode('"upload"}'));
      const answer = await readResponse(conn);
      assertEquals([answer.status, answer.body], [200, '{"data":{"a":"upload"}}']);
      assertEquals(await shutdown, true);
      assertEquals(turnedAway, [503, "close", { detail: "The server is shutting down." }]);
      await refused(server.addr.port);
    } finally {
      conn.close();
    }
  },
});
