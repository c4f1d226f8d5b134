// The notes API in the whole service: routed by buildRoutes over the
// service's KV store, behind the middleware chain.

import { assertEquals } from "@std/assert";
import { createHandler } from "../../main.ts";
import { APIClient } from "../../middleware/drf/test.ts";
import { settings } from "../_service.ts";

async function service() {
  const kv = await Deno.openKv(":memory:");
  const client = new APIClient(createHandler(settings, { kv }));
  return { client, [Symbol.asyncDispose]: async () => kv.close() };
}

Deno.test("the API root links /notes", async () => {
  await using s = await service();
  assertEquals(((await s.client.get("/")).json as Record<string, string>).notes, "/notes");
});

Deno.test("notes made through the service are kept in its KV store and listed newest first", async () => {
  await using s = await service();
  s.client.forceAuthenticate({
    username: "ada",
    isAuthenticated: true,
    isStaff: false,
    isActive: true,
  });
  for (const title of ["one", "two"]) {
    assertEquals((await s.client.post("/notes", { title })).status, 201);
  }
  s.client.forceAuthenticate();
  const list = await s.client.get("/notes");
  assertEquals(list.status, 200);
  assertEquals(
    (list.json as { results: { title: string; owner: string }[] }).results.map((
      n,
    ) => [n.title, n.owner]),
    [["two", "ada"], ["one", "ada"]],
  );
  assertEquals((await s.client.get("/notes/2")).status, 200);
});

Deno.test("paths the router does not make are 404: no trailing slash, no non-integer id", async () => {
  await using s = await service();
  for (const path of ["/notes/", "/notes/abc", "/notes/1/", "/notes/-1"]) {
    const answer = await s.client.get(path);
    assertEquals([answer.status, answer.json], [404, { detail: "Not found." }], path);
  }
});

Deno.test("an anonymous write is refused before the method is looked at", async () => {
  await using s = await service();
  const answer = await s.client.post("/notes", { title: "x" });
  assertEquals([401, 403].includes(answer.status), true);
});
