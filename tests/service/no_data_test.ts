// Tests never touch the developer's data/: the test task grants no write (nor
// read) permission at all, so no test can reach a store there, and the service
// under test keeps its store in memory.

import { assertEquals, assertNotEquals } from "@std/assert";
import { captureConsole } from "../../middleware/drf/test.ts";
import { routes, settings } from "../_service.ts";
import { send } from "../_request.ts";

Deno.test("the test run may not write, or read, anything on disk, data/ included", () => {
  for (
    const descriptor of [
      { name: "write" },
      { name: "write", path: "data" },
      { name: "write", path: "data/kv.sqlite3" },
      { name: "read", path: "data" },
    ] as const
  ) {
    assertNotEquals(Deno.permissions.querySync(descriptor).state, "granted", descriptor.name);
  }
});

Deno.test("the service under test keeps its store in memory", () => {
  assertEquals(settings.kvPath, ":memory:");
});

Deno.test("every method on every route answers without touching a store on disk", async () => {
  // A view that opened a store under data/ would fail here (no permission):
  // a 500 and a logged error.
  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"];
  const paths = routes.map((route) => route.pattern.replace(/<[^>]+>/g, "7"));
  const statuses: string[] = [];
  const logged = await captureConsole(async () => {
    await Promise.all(paths.flatMap((path) =>
      methods.map(async (method) => {
        const answer = await send(path, { method });
        if (answer.status >= 500 && path !== "/boom") statuses.push(`${method} ${path}`);
      })
    ));
  });
  assertEquals(statuses, []);
  // /boom's own error, logged once per method that runs it (GET, HEAD).
  assertEquals(logged.length, 2);
});
