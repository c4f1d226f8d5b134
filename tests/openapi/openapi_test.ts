// GET /openapi.json: a valid OpenAPI 3.1 document of the whole service, made
// from its route table, views, schemas and policies.

import { assert, assertEquals } from "@std/assert";
import { loadSettings } from "../../middleware/http/settings.ts";
import { ApiContext, apiView, type Route, SchemaGenerator } from "../../middleware/drf/mod.ts";
import { openApi } from "../../views/openapi.ts";
import { handler } from "../_service.ts";
import { validateOpenApi } from "./_validate.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const response = await handler(new Request("http://localhost/openapi.json"));
const document: Json = await response.json();
const operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, operation]) => ({ path, method, operation }))
);

Deno.test("GET /openapi.json is 200 JSON and passes the OpenAPI 3.1 validator", async () => {
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "application/json");
  assertEquals(document.openapi, "3.1.0");
  assertEquals(document.info, { title: "drf-deno", version: "1.0.0" });
  assertEquals(await validateOpenApi(document), { valid: true });
});

Deno.test("the OpenAPI validator refuses a broken document (the check can fail)", async () => {
  const broken = structuredClone(document);
  broken.paths["/notes"].get.responses["200"].content["application/json"].schema = {
    $ref: "#/components/schemas/Nothing",
  };
  assertEquals((await validateOpenApi(broken)).valid, false);
  delete broken.info.version;
  assertEquals((await validateOpenApi(broken)).valid, false);
});

Deno.test("the notes API's operations have DRF's operationIds, summaries and the notes tag", () => {
  const notes = operations.filter((o) => o.path.startsWith("/notes"));
  assertEquals(
    notes.map((o) => [o.method, o.path, o.operation.operationId, o.operation.summary]),
    [
      ["get", "/notes", "listNotes", "List notes"],
      ["post", "/notes", "createNote", "Create a note"],
      ["get", "/notes/{id}", "retrieveNote", "Retrieve a note"],
      ["put", "/notes/{id}", "updateNote", "Update a note"],
      ["patch", "/notes/{id}", "partialUpdateNote", "Partially update a note"],
      ["delete", "/notes/{id}", "destroyNote", "Delete a note"],
    ],
  );
  assert(notes.every((o) => o.operation.tags[0] === "notes"));
  const ids = operations.map((o) => o.operation.operationId);
  assertEquals(new Set(ids).size, ids.length);
});

Deno.test("path parameters: /notes/<int:id> is /notes/{id} with an integer id", () => {
  assertEquals(document.paths["/notes/{id}"].get.parameters, [{
    name: "id",
    in: "path",
    required: true,
    description: "A unique integer value identifying this note.",
    schema: { type: "integer", minimum: 0 },
  }]);
});

Deno.test("the notes list documents its page envelope and its query parameters", () => {
  const list = document.paths["/notes"].get;
  assertEquals(list.parameters.map((p: Json) => p.name), ["page", "search", "ordering"]);
  const page = document.components.schemas.PaginatedNoteList;
  assertEquals(page.required, ["count", "next", "previous", "results"]);
  assertEquals(page.properties.results, {
    type: "array",
    items: { $ref: "#/components/schemas/Note" },
  });
});

Deno.test("the note's schemas come from its serializer: shown, taken, and taken by PATCH", () => {
  const { Note, NoteRequest, PatchedNoteRequest } = document.components.schemas;
  assertEquals(Object.keys(Note.properties), ["id", "owner", "title", "body", "created"]);
  assertEquals(Note.properties.created.format, "date-time");
  assertEquals(Object.keys(NoteRequest.properties), ["title", "body"]);
  assertEquals(NoteRequest.required, ["title"]);
  assertEquals(NoteRequest.properties.title.maxLength, 200);
  assertEquals(PatchedNoteRequest.required, undefined);
  const put = document.paths["/notes/{id}"].put.requestBody.content;
  assertEquals(Object.keys(put), [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
  ]);
});

Deno.test("security: Bearer and Basic schemes; anonymous reads of notes, not writes", () => {
  assertEquals(document.components.securitySchemes, {
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      description: "Bearer: `WWW-Authenticate: Bearer`.",
    },
    basicAuth: {
      type: "http",
      scheme: "basic",
      description: 'HTTP Basic: `WWW-Authenticate: Basic realm="api"`.',
    },
  });
  const both = [{ bearerAuth: [] }, { basicAuth: [] }];
  assertEquals(document.paths["/notes"].get.security, [...both, {}]);
  assertEquals(document.paths["/notes"].post.security, both);
  assertEquals(document.paths["/me"].get.security, both);
  assertEquals(document.paths["/health"].get.security, []);
});

Deno.test("each operation documents the errors the framework can answer it with", () => {
  const statuses = (path: string, method: string) =>
    Object.keys(document.paths[path][method].responses);
  assertEquals(statuses("/notes", "post"), [
    "201",
    "400",
    "401",
    "403",
    "404",
    "405",
    "406",
    "408",
    "413",
    "415",
    "500",
    "503",
  ]);
  assertEquals(statuses("/notes/{id}", "delete"), [
    "204",
    "400",
    "401",
    "403",
    "404",
    "405",
    "406",
    "500",
    "503",
  ]);
  assertEquals(statuses("/health", "get"), ["200", "400", "404", "405", "406", "500", "503"]);
  const unauthorized = document.paths["/notes"].post.responses["401"];
  assertEquals(unauthorized.headers["WWW-Authenticate"].required, true);
  assertEquals(document.components.responses.MethodNotAllowed.headers.Allow.required, true);
  assertEquals(document.components.schemas.Error.required, ["detail"]);
});

Deno.test("the API root, the schema itself and the WebSocket route are left out", () => {
  for (const path of ["/", "/openapi.json", "/ws"]) assertEquals(document.paths[path], undefined);
  assertEquals(document.paths["/validate"].post.responses["201"].description, "Success.");
});

Deno.test("servers: a relative / by default, PUBLIC_URL when set, never the Host header", async () => {
  assertEquals(document.servers, [{ url: "/" }]);
  const routes: Route[] = [];
  const view = openApi(() => routes, { title: "t", version: "1" });
  const settings = loadSettings({ PUBLIC_URL: "https://api.example.com" });
  const request = new Request("http://evil.example/openapi.json", {
    headers: { host: "evil.example" },
  });
  const served = await (await view(request, new ApiContext(request, undefined, settings))).json();
  assertEquals(served.servers, [{ url: "https://api.example.com" }]);
});

Deno.test("the document is built once per service: a route added later does not show", async () => {
  const routes: Route[] = [{ pattern: "/a", handler: apiView(["GET"], async function a() {}) }];
  const view = openApi(() => routes, { title: "t", version: "1" });
  const get = async () => {
    const request = new Request("http://x/openapi.json");
    return Object.keys((await (await view(request, new ApiContext(request))).json()).paths);
  };
  assertEquals(await get(), ["/a"]);
  routes.push({ pattern: "/b", handler: apiView(["GET"], async function b() {}) });
  assertEquals(await get(), ["/a"]);
  // A new generator over the same table sees it.
  const fresh = await new SchemaGenerator({ title: "t", version: "1" }).getSchema(routes);
  assertEquals(Object.keys(fresh.paths), ["/a", "/b"]);
});
