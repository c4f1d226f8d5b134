// The notes API in the whole service: routed by buildRoutes over the
// service's KV store, behind the middleware chain, with its Bearer, then
// Basic authentication over real users and tokens.

import { assertEquals } from "@std/assert";
import { APIClient } from "../../middleware/drf/test.ts";
import { auth, handler } from "../_service.ts";

await auth.users.create({ username: "nora", password: "nora's pw" });
await auth.users.create({ username: "otto", password: "otto's pw" });

const client = new APIClient(handler);
const token = ((await client.post("/api-token-auth", { username: "nora", password: "nora's pw" }))
  .json as { token: string }).token;
const NORA = { authorization: `Bearer ${token}` };
const OTTO_BASIC = { authorization: `Basic ${btoa("otto:otto's pw")}` };

Deno.test("the API root links /notes", async () => {
  client.credentials();
  assertEquals(((await client.get("/")).json as Record<string, string>).notes, "/notes");
});

Deno.test("notes: Bearer creates, Basic of another user is refused, the owner deletes", async () => {
  client.credentials(NORA);
  const created = await client.post("/notes", { title: "Service note", body: "hello" });
  assertEquals(created.status, 201);
  const note = created.json as { id: number; owner: string };
  assertEquals(note.owner, "nora");
  client.credentials(OTTO_BASIC);
  const denied = await client.patch(`/notes/${note.id}`, { title: "mine now" });
  assertEquals([denied.status, denied.json], [403, {
    detail: "You do not have permission to perform this action.",
  }]);
  client.credentials();
  const listed = await client.get("/notes?search=service");
  assertEquals((listed.json as { results: { id: number }[] }).results.map((n) => n.id), [note.id]);
  client.credentials(NORA);
  assertEquals((await client.delete(`/notes/${note.id}`)).status, 204);
  assertEquals((await client.get(`/notes/${note.id}`)).status, 404);
});

Deno.test("an anonymous write is 401 with the Bearer challenge, before the method is looked at", async () => {
  client.credentials();
  for (
    const answer of [await client.post("/notes", { title: "x" }), await client.put("/notes", {})]
  ) {
    assertEquals([answer.status, answer.json], [401, {
      detail: "Authentication credentials were not provided.",
    }]);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("paths the router does not make are 404: no trailing slash, no non-integer id", async () => {
  client.credentials();
  for (const path of ["/notes/", "/notes/abc", "/notes/1/", "/notes/-1"]) {
    const answer = await client.get(path);
    assertEquals([answer.status, answer.json], [404, { detail: "Not found." }], path);
  }
});
