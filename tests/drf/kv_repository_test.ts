import { assertEquals, assertRejects } from "@std/assert";
import { KvRepository } from "../../middleware/drf/kv_repository.ts";
import { ApiError, MemoryRepository, Query } from "../../middleware/drf/mod.ts";

interface Note {
  id: number;
  owner: string;
  title: string;
  created: Date;
}

function notes(kv: Deno.Kv) {
  return new KvRepository<Note>(kv, { prefix: "notes", indexes: ["owner", "created"] });
}

async function keys(kv: Deno.Kv, ...prefix: Deno.KvKeyPart[]) {
  const found = [];
  for await (const entry of kv.list({ prefix: ["notes", ...prefix] })) {
    found.push(entry.key.slice(1));
  }
  return found;
}

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);

Deno.test("create, get, update and delete keep the indexes and the count in step", async () => {
  await using kv = await Deno.openKv(":memory:");
  const repo = notes(kv);
  const a = await repo.create({ owner: "ada", title: "a", created: at(0) });
  await repo.create({ owner: "bob", title: "b", created: at(1) });
  assertEquals(a.id, 1);
  assertEquals(await repo.get(1), a);
  assertEquals(await keys(kv, "index", "owner"), [["index", "owner", "ada", 1], [
    "index",
    "owner",
    "bob",
    2,
  ]]);
  await repo.update(1, { owner: "cy", title: "a2" });
  assertEquals(await keys(kv, "index", "owner"), [["index", "owner", "bob", 2], [
    "index",
    "owner",
    "cy",
    1,
  ]]);
  assertEquals((await repo.get(1))?.title, "a2");
  assertEquals(await repo.update(9, { title: "x" }), undefined);
  assertEquals(await repo.delete(2), true);
  assertEquals(await repo.delete(2), false);
  assertEquals(await keys(kv, "index", "owner"), [["index", "owner", "cy", 1]]);
  assertEquals(await keys(kv, "index", "created"), [["index", "created", at(0).getTime(), 1]]);
  assertEquals(await repo.count(new Query()), 1);
});

Deno.test("ids stay unique when creates race, in one process and across two", async () => {
  await using kv = await Deno.openKv(":memory:");
  const [one, two] = [notes(kv), notes(kv)]; // two repositories: as two processes on one file
  const made = await Promise.all(
    Array.from(
      { length: 60 },
      (_, i) => (i % 2 ? one : two).create({ owner: "a", title: `${i}`, created: at(i) }),
    ),
  );
  const ids = made.map((n) => n.id).sort((a, b) => a - b);
  assertEquals(ids, Array.from({ length: 60 }, (_, i) => i + 1));
  assertEquals(await one.count(new Query()), 60);
  assertEquals((await keys(kv, "index", "created")).length, 60);
});

Deno.test("queries answer as the in-memory repository does, from an index or a scan", async () => {
  await using kv = await Deno.openKv(":memory:");
  const kvRepo = notes(kv);
  const memory = new MemoryRepository<Note>();
  const owners = ["ada", "bob", "cy"];
  for (let i = 0; i < 25; i++) {
    // Some notes share a created time: ties go by id, in the order's direction.
    const values = {
      owner: owners[i % 3],
      title: `Note ${(i * 7) % 11}`,
      created: at(Math.floor(i / 2)),
    };
    await kvRepo.create(values);
    await memory.create(values);
  }
  const queries = [
    new Query(),
    new Query().orderBy("-created", "-id"),
    new Query().orderBy("created", "id"),
    new Query().orderBy("title", "id"),
    new Query().filter({ op: "eq", field: "owner", value: "bob" }).orderBy("-created", "-id"),
    new Query().filter({ op: "search", fields: ["title", "owner"], terms: ["NOTE", "a"] }),
    new Query().filter({ op: "lt", field: "created", value: at(5) }).orderBy("-created", "-id"),
    new Query().filter({ op: "gte", field: "created", value: at(5) }).orderBy("created", "id"),
  ];
  for (const query of queries) {
    for (const slice of [{}, { offset: 3, limit: 4 }, { offset: 30, limit: 5 }]) {
      assertEquals(await kvRepo.find(query, slice), await memory.find(query, slice));
    }
    assertEquals(await kvRepo.count(query), await memory.count(query));
  }
});

Deno.test("a record too large for Deno KV is a 413, not a 500", async () => {
  await using kv = await Deno.openKv(":memory:");
  const error = await assertRejects(
    () => notes(kv).create({ owner: "a", title: "x".repeat(70_000), created: at(0) }),
    ApiError,
  );
  assertEquals([error.status, error.data], [413, { detail: "The record is too large to store." }]);
  assertEquals(await notes(kv).count(new Query()), 0);
});
