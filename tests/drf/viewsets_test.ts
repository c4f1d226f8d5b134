// View sets beyond the notes: extra actions with typed params, a view set
// validating with zod, typed filter parameters, the generic views, and what
// the route table tells a reader.

import { MemoryThrottleStore } from "../../middleware/drf/throttle_stores/memory.ts";
import { assertEquals } from "@std/assert";
import * as z from "zod";
import { router } from "../../middleware/http/router.ts";
import {
  ApiContext,
  f,
  ListCreateApiView,
  MemoryRepository,
  ModelViewSet,
  Query,
  QueryFilter,
  serializer,
  SimpleRouter,
  viewConfig,
} from "../../middleware/drf/mod.ts";
import { APIClient } from "../../middleware/drf/test.ts";

interface Tag {
  id: number;
  name: string;
  color: string;
}

function tags() {
  const repository = new MemoryRepository<Tag>();
  const viewSet = new ModelViewSet({
    name: "Tag",
    repository,
    serializer: serializer({
      id: f.integer({ readOnly: true }),
      name: f.string(),
      color: f.string(),
    }),
    filters: [
      new QueryFilter(
        serializer({ color: f.choice(["red", "blue"], { required: false }) }),
        (query, { color }) =>
          color ? query.filter({ op: "eq", field: "color", value: color }) : query,
      ),
    ],
  })
    .action({
      detail: true,
      methods: ["POST"],
      body: serializer({ name: f.string() }),
    }, async function rename(_request, context) {
      const id: number = context.params.id; // typed by the lookup: <int:id>
      const { name } = await context.data();
      return await repository.update(id, { name });
    })
    .action({ detail: false, urlPath: "count", name: "Tag count" }, async () => ({
      count: await repository.count(new Query()),
    }));
  return { repository, viewSet };
}

Deno.test("extra actions route as DRF's @action: detail and list, their own Allow and names", async () => {
  const { viewSet } = tags();
  const routes = new SimpleRouter().register("tags", viewSet).urls;
  assertEquals(routes.map((r) => [r.pattern, r.name]), [
    ["/tags", "tag-list"],
    ["/tags/count", "tag-count"],
    ["/tags/<int:id>", "tag-detail"],
    ["/tags/<int:id>/rename", "tag-rename"],
  ]);
  assertEquals(routes.map((r) => viewConfig(r.handler)?.name), [
    "Tag List",
    "Tag count",
    "Tag Instance",
    "Rename",
  ]);
  const handle = router(routes);
  const client = new APIClient((request) => handle(request, new ApiContext(request)));
  await client.post("/tags", { name: "a", color: "red" });
  const renamed = await client.post("/tags/1/rename", { name: "b" });
  assertEquals([renamed.status, renamed.json], [200, { id: 1, name: "b", color: "red" }]);
  assertEquals(renamed.headers.get("allow"), "POST, OPTIONS");
  assertEquals((await client.get("/tags/count")).json, { count: 1 });
});

Deno.test("typed filter parameters: validated by their schema, a 400 in DRF's shape", async () => {
  const { viewSet } = tags();
  const handle = router(new SimpleRouter().register("tags", viewSet).urls);
  const client = new APIClient((request) => handle(request, new ApiContext(request)));
  await client.post("/tags", { name: "a", color: "red" });
  await client.post("/tags", { name: "b", color: "blue" });
  assertEquals((await client.get("/tags?color=blue")).json, [{ id: 2, name: "b", color: "blue" }]);
  const bad = await client.get("/tags?color=green");
  assertEquals([bad.status, bad.json], [400, { color: ['"green" is not a valid choice.'] }]);
});

Deno.test("a view set validates with zod unchanged; PATCH sees the stored note with the changes", async () => {
  const repository = new MemoryRepository<{ id: number; title: string; done: boolean }>();
  const todo = new ModelViewSet({
    name: "Todo",
    repository,
    serializer: z.object({ title: z.string().min(1), done: z.boolean().default(false) }),
  });
  const handle = router(new SimpleRouter().register("todos", todo).urls);
  const client = new APIClient((request) => handle(request, new ApiContext(request)));
  const created = await client.post("/todos", { title: "x" });
  assertEquals([created.status, created.json], [201, { title: "x", done: false, id: 1 }]);
  const bad = await client.post("/todos", { title: 3 });
  assertEquals([bad.status, Object.keys(bad.json as object)], [400, ["title"]]);
  const patched = await client.patch("/todos/1", { done: true });
  assertEquals(patched.json, { title: "x", done: true, id: 1 });
});

Deno.test("ListCreateApiView: a generic view on its own; Location from a url field", async () => {
  const view = new ListCreateApiView({
    name: "Link List",
    repository: new MemoryRepository<{ id: number; url: string }>(),
    serializer: serializer({ id: f.integer({ readOnly: true }), url: f.url() }),
  }).handler();
  const client = APIClient.forView(view);
  const created = await client.post("/links", { url: "https://example.com/a" });
  assertEquals([created.status, created.headers.get("location")], [201, "https://example.com/a"]);
  const bad = await client.post("/links", { url: "nope" });
  assertEquals(bad.json, { url: ["Enter a valid URL."] });
  assertEquals((await client.get("/links")).headers.get("allow"), "GET, POST, HEAD, OPTIONS");
});

Deno.test("each route's view config tells a reader its operations, schemas, paging and filters", async () => {
  await using kv = await Deno.openKv(":memory:");
  const { buildRoutes } = await import("../../main.ts");
  const routes = buildRoutes({ kv, throttle: new MemoryThrottleStore() }).http;
  const list = viewConfig(routes.find((r) => r.pattern === "/notes")!.handler)!;
  assertEquals(list.actions, { GET: "list", POST: "create" });
  assertEquals(list.operations?.GET.many, true);
  assertEquals(list.operations?.GET.pagination?.parameters().map((p) => p.name), ["page"]);
  assertEquals(list.operations?.GET.filters?.flatMap((b) => b.parameters().map((p) => p.name)), [
    "search",
    "ordering",
  ]);
  assertEquals(list.operations?.POST.status, 201);
  const input = list.operations?.POST.request?.["~standard"] as unknown as {
    jsonSchema: { input(o: { target: string }): { required: string[] } };
  };
  assertEquals(input.jsonSchema.input({ target: "draft-2020-12" }).required, ["title"]);
  const detail = viewConfig(routes.find((r) => r.pattern === "/notes/<int:id>")!.handler)!;
  assertEquals(detail.actions, {
    GET: "retrieve",
    PUT: "update",
    PATCH: "partial_update",
    DELETE: "destroy",
  });
  assertEquals([detail.operations?.PATCH.partial, detail.operations?.DELETE.status], [true, 204]);
});
