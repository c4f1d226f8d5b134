// The notes API answers as DRF 3.14's ModelViewSet with PageNumberPagination
// (10 a page), SearchFilter, OrderingFilter, TokenAuthentication ("Bearer")
// and IsAuthenticatedOrReadOnly plus an owner-only object permission.

import { assertEquals } from "@std/assert";
import { notesApi, user } from "./_notes_api.ts";

const LIST_ALLOW = "GET, POST, HEAD, OPTIONS";
const DETAIL_ALLOW = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS";
const ADA = { authorization: "Bearer ada-token" };
const BOB = { authorization: "Bearer bob-token" };

Deno.test("GET /notes with no notes is an empty first page", async () => {
  await using api = await notesApi();
  const answer = await api.client.get("/notes");
  assertEquals(answer.status, 200);
  assertEquals(answer.text, '{"count":0,"next":null,"previous":null,"results":[]}');
  assertEquals(answer.headers.get("allow"), LIST_ALLOW);
  assertEquals(answer.headers.get("vary"), "Accept");
});

Deno.test("POST /notes without credentials is a 401 with the Bearer challenge", async () => {
  await using api = await notesApi();
  const answer = await api.client.post("/notes", { title: "Hi" });
  assertEquals(answer.status, 401);
  assertEquals(answer.json, { detail: "Authentication credentials were not provided." });
  assertEquals(answer.headers.get("www-authenticate"), 'Bearer realm="api"');
  assertEquals(answer.headers.get("allow"), LIST_ALLOW);
  api.client.credentials({ authorization: "Bearer nope" });
  const wrong = await api.client.post("/notes", { title: "Hi" });
  assertEquals([wrong.status, wrong.json], [401, { detail: "Invalid token." }]);
});

Deno.test("POST /notes creates: 201, the owner set, read-only fields sent ignored, no Location", async () => {
  await using api = await notesApi();
  api.client.credentials(ADA);
  const answer = await api.client.post("/notes", {
    title: "  First  ",
    id: 99,
    owner: "mallory",
    created: "2000-01-01T00:00:00Z",
  });
  assertEquals(answer.status, 201);
  assertEquals(
    answer.text,
    '{"id":1,"owner":"ada","title":"First","body":"","created":"2024-05-01T12:00:01Z"}',
  );
  assertEquals(answer.headers.get("location"), null);
  assertEquals((await api.client.get("/notes/1")).json, answer.json);
});

Deno.test("POST /notes answers DRF's validation messages", async (t) => {
  await using api = await notesApi();
  api.client.credentials(ADA);
  const cases: [string, unknown, unknown][] = [
    ["no title", {}, { title: ["This field is required."] }],
    ["a blank title", { title: " " }, { title: ["This field may not be blank."] }],
    ["a null title", { title: null }, { title: ["This field may not be null."] }],
    [
      "a title of 201 characters",
      { title: "x".repeat(201) },
      { title: ["Ensure this field has no more than 200 characters."] },
    ],
    ["a title that is a list", { title: ["a"] }, { title: ["Not a valid string."] }],
    ["a null body", { title: "a", body: null }, { body: ["This field may not be null."] }],
    ["a list", [], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
    ["null", null, { non_field_errors: ["No data provided"] }],
  ];
  for (const [name, body, errors] of cases) {
    await t.step(`${name} → 400`, async () => {
      const answer = await api.client.post("/notes", body);
      assertEquals([answer.status, answer.json], [400, errors]);
    });
  }
  assertEquals((await api.client.get("/notes")).json, {
    count: 0,
    next: null,
    previous: null,
    results: [],
  });
});

Deno.test("a blank body is a value; a 200-character title is taken", async () => {
  await using api = await notesApi();
  api.client.credentials(ADA);
  const answer = await api.client.post("/notes", { title: "t".repeat(200), body: "" });
  assertEquals(answer.status, 201);
});

Deno.test("GET /notes/<id>: the note, or 404 Not found.", async () => {
  await using api = await notesApi();
  await api.seed(1);
  const found = await api.client.get("/notes/1");
  assertEquals(found.status, 200);
  assertEquals(found.headers.get("allow"), DETAIL_ALLOW);
  const missing = await api.client.get("/notes/2");
  assertEquals([missing.status, missing.json], [404, { detail: "Not found." }]);
  assertEquals(missing.headers.get("allow"), DETAIL_ALLOW);
});

Deno.test("PUT validates the whole note; a body left out keeps its stored value", async () => {
  await using api = await notesApi();
  api.client.credentials(ADA);
  await api.client.post("/notes", { title: "A", body: "kept" });
  const put = await api.client.put("/notes/1", { title: "B" });
  assertEquals(put.status, 200);
  assertEquals(put.json, {
    id: 1,
    owner: "ada",
    title: "B",
    body: "kept",
    created: "2024-05-01T12:00:01Z",
  });
  const empty = await api.client.put("/notes/1", {});
  assertEquals([empty.status, empty.json], [400, { title: ["This field is required."] }]);
});

Deno.test("PATCH changes only what is sent", async () => {
  await using api = await notesApi();
  api.client.credentials(ADA);
  await api.client.post("/notes", { title: "A", body: "b" });
  const patch = await api.client.patch("/notes/1", { body: "c", owner: "bob" });
  assertEquals([patch.status, (patch.json as { title: string }).title], [200, "A"]);
  assertEquals((patch.json as { body: string; owner: string }).body, "c");
  assertEquals((patch.json as { owner: string }).owner, "ada");
  const blank = await api.client.patch("/notes/1", { title: "" });
  assertEquals([blank.status, blank.json], [400, { title: ["This field may not be blank."] }]);
});

Deno.test("only the owner may change or delete a note: 403 for others, 401 for nobody", async () => {
  await using api = await notesApi();
  await api.seed(1, "ada");
  api.client.credentials(BOB);
  const denied = { detail: "You do not have permission to perform this action." };
  for (
    const answer of [
      await api.client.put("/notes/1", { title: "x" }),
      await api.client.patch("/notes/1", { title: "x" }),
      await api.client.delete("/notes/1"),
    ]
  ) {
    assertEquals([answer.status, answer.json], [403, denied]);
  }
  // The object comes before the data, as DRF's update: 403 even for bad data.
  assertEquals((await api.client.put("/notes/1", {})).status, 403);
  // A missing note is a 404 before any object permission.
  assertEquals((await api.client.delete("/notes/9")).status, 404);
  api.client.credentials();
  const anonymous = await api.client.delete("/notes/1");
  assertEquals(anonymous.status, 401);
  assertEquals(anonymous.headers.get("www-authenticate"), 'Bearer realm="api"');
});

Deno.test("DELETE by the owner: 204 with no body and no Content-Type; then 404", async () => {
  await using api = await notesApi();
  await api.seed(1, "ada");
  api.client.credentials(ADA);
  const deleted = await api.client.delete("/notes/1");
  assertEquals([deleted.status, deleted.text], [204, ""]);
  assertEquals(deleted.headers.get("content-type"), null);
  assertEquals(deleted.headers.get("allow"), DETAIL_ALLOW);
  assertEquals((await api.client.get("/notes/1")).status, 404);
  assertEquals((await api.client.delete("/notes/1")).status, 404);
});

Deno.test("forceAuthenticate acts as the user, and a 403 stays a 403", async () => {
  await using api = await notesApi();
  await api.seed(1, "ada");
  api.client.forceAuthenticate(user("bob"));
  assertEquals((await api.client.post("/notes", { title: "mine" })).json, {
    id: 2,
    owner: "bob",
    title: "mine",
    body: "",
    created: "2024-05-01T12:00:02Z",
  });
  assertEquals((await api.client.delete("/notes/1")).status, 403);
});

Deno.test("methods a route does not map are 405 with its Allow (after the policies, as DRF)", async () => {
  await using api = await notesApi();
  assertEquals((await api.client.put("/notes", {})).status, 401);
  api.client.credentials(ADA);
  const list = await api.client.put("/notes", {});
  assertEquals([list.status, list.json], [405, { detail: 'Method "PUT" not allowed.' }]);
  assertEquals(list.headers.get("allow"), LIST_ALLOW);
  await api.seed(1);
  const detail = await api.client.post("/notes/1", {});
  assertEquals([detail.status, detail.headers.get("allow")], [405, DETAIL_ALLOW]);
});

Deno.test("OPTIONS names the routes as DRF does and shows actions only to who may write", async () => {
  await using api = await notesApi();
  await api.seed(1, "ada");
  const anonymous = await api.client.options("/notes");
  assertEquals(anonymous.json, {
    name: "Note List",
    description: "",
    renders: ["application/json", "text/html"],
    parses: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
  });
  api.client.credentials(ADA);
  const fields = {
    id: { type: "integer", required: false, read_only: true, label: "ID" },
    owner: { type: "field", required: false, read_only: true, label: "Owner" },
    title: { type: "string", required: true, read_only: false, label: "Title", max_length: 200 },
    body: { type: "string", required: false, read_only: false, label: "Body" },
    created: { type: "datetime", required: false, read_only: true, label: "Created" },
  };
  assertEquals((await api.client.options("/notes")).json, {
    ...anonymous.json as object,
    actions: { POST: fields },
  });
  const owner = await api.client.options("/notes/1");
  assertEquals((owner.json as { name: string }).name, "Note Instance");
  assertEquals((owner.json as { actions: unknown }).actions, { PUT: fields });
  api.client.credentials(BOB);
  assertEquals("actions" in ((await api.client.options("/notes/1")).json as object), false);
  api.client.credentials(ADA);
  assertEquals("actions" in ((await api.client.options("/notes/9")).json as object), false);
});
