// A client generated from /openapi.json creates, lists, updates and deletes
// a note: openapi-typescript's types of the document (tests/openapi/_openapi.d.ts,
// kept current by `deno task lint:openapi`) with openapi-fetch, whose fetch
// calls the service's handler in-process. `deno task check` type-checks the
// calls below against the generated types.

import { assertEquals } from "@std/assert";
import createClient from "openapi-fetch";
import type { paths } from "./_openapi.d.ts";
import { auth, handler } from "../_service.ts";

await auth.users.create({ username: "uma", password: "uma's pw" });

const client = createClient<paths>({
  baseUrl: "http://localhost",
  fetch: (request: Request) => handler(request),
});

Deno.test("a generated client signs in, creates, lists, updates and deletes a note", async () => {
  const signIn = await client.POST("/api-token-auth", {
    body: { username: "uma", password: "uma's pw" },
  });
  const token = (signIn.data as { token: string }).token;
  const headers = { authorization: `Bearer ${token}` };

  const created = await client.POST("/notes", {
    body: { title: "From the client", body: "typed" },
    headers,
  });
  assertEquals(created.response.status, 201);
  const note = created.data!;
  assertEquals([note.title, note.body, note.owner], ["From the client", "typed", "uma"]);

  const listed = await client.GET("/notes", { params: { query: { search: "client" } } });
  assertEquals(listed.data?.count, 1);
  assertEquals(listed.data?.results.map((n) => n.id), [note.id]);

  const updated = await client.PATCH("/notes/{id}", {
    params: { path: { id: note.id } },
    body: { title: "Renamed" },
    headers,
  });
  assertEquals(updated.data?.title, "Renamed");

  const refused = await client.PUT("/notes/{id}", {
    params: { path: { id: note.id } },
    body: { title: "" },
    headers,
  });
  assertEquals(refused.error, { title: ["This field may not be blank."] });

  const deleted = await client.DELETE("/notes/{id}", {
    params: { path: { id: note.id } },
    headers,
  });
  assertEquals(deleted.response.status, 204);
  const gone = await client.GET("/notes/{id}", { params: { path: { id: note.id } } });
  assertEquals([gone.response.status, gone.error], [404, { detail: "Not found." }]);
});
