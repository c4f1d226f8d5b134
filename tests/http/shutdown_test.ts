import { assertEquals, assertRejects } from "@std/assert";
import { delay } from "@std/async/delay";
import { handler } from "../_service.ts";
import { listen } from "../../middleware/http/server.ts";
import { canListen } from "../_socket.ts";

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
