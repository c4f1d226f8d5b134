// LimitOffsetPagination and CursorPagination, over the KV repository.

import { assertEquals } from "@std/assert";
import {
  ApiContext,
  CursorPagination,
  KvRepository,
  LimitOffsetPagination,
  Query,
} from "../../middleware/drf/mod.ts";

interface Item {
  id: number;
  created: Date;
}

async function items(kv: Deno.Kv, createdAt: (i: number) => number) {
  const repo = new KvRepository<Item>(kv, { prefix: "items", indexes: ["created"] });
  for (let i = 1; i <= 7; i++) await repo.create({ created: new Date(createdAt(i)) });
  return repo;
}

const at = (path: string) => new ApiContext(new Request(`http://localhost${path}`));

Deno.test("limit/offset: DRF's envelope, links and edges", async () => {
  await using kv = await Deno.openKv(":memory:");
  const repo = await items(kv, (i) => i * 1000);
  const paginator = new LimitOffsetPagination({ defaultLimit: 3, maxLimit: 5 });
  const query = new Query().orderBy("id");
  const page = async (path: string) => {
    const p = await paginator.paginate(repo, query, at(path));
    return p.envelope(p.records.map((r) => r.id));
  };
  assertEquals(await page("/i"), {
    count: 7,
    next: "/i?limit=3&offset=3",
    previous: null,
    results: [1, 2, 3],
  });
  assertEquals(await page("/i?offset=3&limit=3"), {
    count: 7,
    next: "/i?limit=3&offset=6",
    previous: "/i?limit=3",
    results: [4, 5, 6],
  });
  assertEquals((await page("/i?offset=5&limit=2")).previous, "/i?limit=2&offset=3");
  assertEquals((await page("/i?limit=100")).results, [1, 2, 3, 4, 5]); // capped at maxLimit
  assertEquals((await page("/i?limit=0")).results, [1, 2, 3]); // not a positive limit: the default
  assertEquals((await page("/i?offset=-2")).results, [1, 2, 3]); // a bad offset is 0
  assertEquals(await page("/i?offset=9"), {
    count: 7,
    next: null,
    previous: "/i?limit=3&offset=6",
    results: [],
  });
});

Deno.test("cursor: forward and back through every page, equal positions included", async (t) => {
  for (
    const [name, createdAt] of [
      ["distinct positions", (i: number) => i * 1000],
      ["runs of equal positions", (i: number) => Math.floor(i / 3) * 1000],
    ] as const
  ) {
    await t.step(name, async () => {
      await using kv = await Deno.openKv(":memory:");
      const repo = await items(kv, createdAt);
      const paginator = new CursorPagination({ pageSize: 2, ordering: ["-created", "-id"] });
      const visit = async (path: string) => {
        const page = await paginator.paginate(repo, new Query(), at(path));
        return page.envelope(page.records.map((r) => r.id)) as {
          next: string | null;
          previous: string | null;
          results: number[];
        };
      };
      const pages: number[][] = [];
      let page = await visit("/i");
      assertEquals(page.previous, null);
      pages.push(page.results);
      while (page.next) {
        page = await visit(page.next);
        pages.push(page.results);
      }
      assertEquals(pages.flat(), [7, 6, 5, 4, 3, 2, 1]);
      const back: number[][] = [page.results];
      while (page.previous) {
        page = await visit(page.previous);
        back.unshift(page.results);
      }
      // Going back over runs of equal positions may skip or repeat items:
      // DRF's own "paging artifact" when the direction changes. The first
      // page is always reached again.
      if (name === "distinct positions") assertEquals(back.flat(), [7, 6, 5, 4, 3, 2, 1]);
      assertEquals(back[0][0], 7);
    });
  }
});

Deno.test("a cursor that does not decode is 404 Invalid cursor", async () => {
  await using kv = await Deno.openKv(":memory:");
  const repo = await items(kv, (i) => i);
  const paginator = new CursorPagination({ pageSize: 2 });
  // (Characters outside base64 are dropped first, as Python's b64decode: "%%%" is page 1.)
  for (const cursor of ["a", "bz14", btoa("o=-1"), btoa("r=x"), btoa("p=zz"), btoa("p=d:never")]) {
    try {
      await paginator.paginate(repo, new Query(), at(`/i?cursor=${encodeURIComponent(cursor)}`));
      throw new Error(`no error for ${cursor}`);
    } catch (error) {
      assertEquals((error as { data: unknown }).data, { detail: "Invalid cursor" }, cursor);
      assertEquals((error as { status: number }).status, 404);
    }
  }
});
