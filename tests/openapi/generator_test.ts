// The generator over routes made for the purpose: throttles, other Standard
// Schema libraries, cursor and limit/offset envelopes, typed filter
// parameters, permissions without authenticators, each checked to stay a
// valid OpenAPI 3.1 document.

import { assertEquals } from "@std/assert";
import * as v from "valibot";
import { z } from "zod";
import {
  AllowAny,
  apiView,
  CursorPagination,
  f,
  IsAuthenticated,
  LimitOffsetPagination,
  MemoryRepository,
  ModelViewSet,
  QueryFilter,
  type Route,
  SchemaGenerator,
  serializer,
  SimpleRouter,
  type Throttle,
} from "../../middleware/drf/mod.ts";
import { validateOpenApi } from "./_validate.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function schemaOf(routes: Route[]): Promise<Json> {
  const document = await new SchemaGenerator({ title: "t", version: "1" }).getSchema(routes);
  assertEquals(await validateOpenApi(document), { valid: true });
  return document;
}

const never: Throttle = { allowRequest: async () => ({ allowed: false, wait: 3 }) };
const bearer = {
  authenticate: async () => null,
  authenticateHeader: () => 'Bearer realm="api"',
};

Deno.test("a throttled view documents 429 with an optional Retry-After", async () => {
  const limited = apiView(["GET"], async function limited() {}, { throttles: [never] });
  const document = await schemaOf([{ pattern: "/limited", handler: limited }]);
  assertEquals(document.paths["/limited"].get.responses["429"], {
    $ref: "#/components/responses/TooManyRequests",
  });
  const tooMany = document.components.responses.TooManyRequests;
  assertEquals(tooMany.headers["Retry-After"].required, false);
  assertEquals(tooMany.headers["Retry-After"].schema.type, "integer");
});

Deno.test("a zod body gives its JSON Schema; a valibot body (none given) a permissive one", async () => {
  const withZod = apiView(["POST"], async function signUp() {}, {
    body: z.object({ email: z.email(), age: z.number().int().optional() }),
  });
  const withValibot = apiView(["POST"], async function rename() {}, {
    body: v.object({ name: v.string() }),
  });
  const document = await schemaOf([
    { pattern: "/sign-up", handler: withZod },
    { pattern: "/rename", handler: withValibot },
  ]);
  const zod = document.components.schemas.SignUpRequest;
  assertEquals(zod.required, ["email"]);
  assertEquals(zod.properties.email.format, "email");
  const valibot = document.paths["/rename"].post.requestBody.content["application/json"].schema;
  assertEquals(valibot, {});
});

Deno.test("cursor and limit/offset pagination document their envelopes and parameters", async () => {
  const repository = new MemoryRepository<{ id: number; name: string; created: Date }>();
  const tag = serializer({ id: f.integer({ readOnly: true }), name: f.string() });
  const cursor = new ModelViewSet({
    name: "Tag",
    repository,
    serializer: tag,
    pagination: new CursorPagination({ pageSize: 5 }),
  });
  const offset = new ModelViewSet({
    name: "Label",
    repository,
    serializer: tag,
    pagination: new LimitOffsetPagination({ defaultLimit: 5 }),
  });
  const document = await schemaOf(
    new SimpleRouter().register("tags", cursor).register("labels", offset).urls,
  );
  const list = (path: string) => document.paths[path].get;
  assertEquals(list("/tags").parameters.map((p: Json) => p.name), ["cursor"]);
  assertEquals(document.components.schemas.PaginatedTagList.required, [
    "next",
    "previous",
    "results",
  ]);
  assertEquals(list("/labels").parameters.map((p: Json) => p.name), ["limit", "offset"]);
  assertEquals(document.components.schemas.PaginatedLabelList.required, [
    "count",
    "next",
    "previous",
    "results",
  ]);
  // One serializer, one component, whichever view shows it.
  assertEquals(document.components.schemas.Label, undefined);
});

Deno.test("typed filter parameters: their schemas as query parameters, and a 400 of field errors", async () => {
  const owner = new QueryFilter(
    serializer({ owner: f.string({ required: false, maxLength: 3 }) }),
    (query) => query,
  );
  const notes = new ModelViewSet({
    name: "Note",
    repository: new MemoryRepository<{ id: number; owner: string }>(),
    serializer: serializer({ id: f.integer({ readOnly: true }), owner: f.string() }),
    filters: [owner],
  });
  const document = await schemaOf(new SimpleRouter().register("notes", notes).urls);
  const list = document.paths["/notes"].get;
  assertEquals(list.parameters[0].name, "owner");
  assertEquals(list.parameters[0].schema.maxLength, 3);
  assertEquals(list.responses["400"], { $ref: "#/components/responses/ValidationFailed" });
});

Deno.test("policies: a challenge is a 401; no challenge makes failed authentication a 403", async () => {
  const challenged = apiView(["GET"], async function a() {}, {
    authentication: [bearer],
    permissions: [IsAuthenticated],
  });
  const silent = apiView(["GET"], async function b() {}, {
    authentication: [{ authenticate: async () => null }],
    permissions: [AllowAny],
  });
  const open = apiView(["GET"], async function c() {}, { permissions: [AllowAny] });
  const document = await schemaOf([
    { pattern: "/a", handler: challenged },
    { pattern: "/b", handler: silent },
    { pattern: "/c", handler: open },
  ]);
  const statuses = (path: string) => Object.keys(document.paths[path].get.responses);
  assertEquals(statuses("/a").filter((s) => s.startsWith("40")).slice(1, 3), ["401", "403"]);
  assertEquals(document.paths["/a"].get.security, [{ bearerAuth: [] }]);
  assertEquals(statuses("/b").includes("401"), false);
  assertEquals(statuses("/b").includes("403"), true);
  assertEquals(statuses("/c").includes("403"), false);
});

Deno.test("the same operationId twice is numbered, as DRF warns of it", async () => {
  const one = apiView(["GET"], async function ping() {});
  const two = apiView(["GET"], async function ping() {});
  const document = await schemaOf([
    { pattern: "/ping", handler: one },
    { pattern: "/v2/ping", handler: two },
  ]);
  assertEquals(
    [document.paths["/ping"].get.operationId, document.paths["/v2/ping"].get.operationId],
    ["retrievePing", "retrievePing2"],
  );
});
