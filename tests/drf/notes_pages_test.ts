// The notes list: DRF's PageNumberPagination envelope and every edge of it,
// SearchFilter and OrderingFilter results.

import { assertEquals } from "@std/assert";
import { notesApi } from "./_notes_api.ts";

type Page = {
  count: number;
  next: string | null;
  previous: string | null;
  results: { id: number; title: string }[];
};

async function page(api: Awaited<ReturnType<typeof notesApi>>, path: string) {
  const answer = await api.client.get(path);
  return { status: answer.status, json: answer.json as Page };
}

const ids = (p: Page) => p.results.map((n) => n.id);

Deno.test("10 a page, newest first; next and previous links as DRF makes them", async () => {
  await using api = await notesApi();
  await api.seed(25);
  const first = (await page(api, "/notes")).json;
  assertEquals([first.count, first.next, first.previous], [25, "/notes?page=2", null]);
  assertEquals(ids(first), [25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
  const second = (await page(api, "/notes?page=2")).json;
  // The previous link of page 2 drops `page` (DRF's remove_query_param).
  assertEquals([second.next, second.previous], ["/notes?page=3", "/notes"]);
  const third = (await page(api, "/notes?page=3")).json;
  assertEquals([third.next, third.previous, ids(third)], [null, "/notes?page=2", [5, 4, 3, 2, 1]]);
  assertEquals((await page(api, "/notes?page=last")).json, third);
});

Deno.test("a page that is not a number or has no results is 404 Invalid page.", async (t) => {
  await using api = await notesApi();
  await api.seed(11);
  for (const query of ["page=3", "page=0", "page=-1", "page=abc", "page=", "page=1.0", "page=2x"]) {
    await t.step(query, async () => {
      const answer = await api.client.get(`/notes?${query}`);
      assertEquals([answer.status, answer.json], [404, { detail: "Invalid page." }]);
    });
  }
  await t.step("spaces around a number are Python's int()", async () => {
    assertEquals((await page(api, "/notes?page=%202%20")).status, 200);
  });
  await t.step("the last of repeated pages wins (Django's QueryDict)", async () => {
    assertEquals(ids((await page(api, "/notes?page=1&page=2")).json), [1]);
  });
});

Deno.test("page 1 of nothing is an empty page; page 2 of nothing is 404", async () => {
  await using api = await notesApi();
  assertEquals((await page(api, "/notes?page=1")).json.results, []);
  assertEquals((await page(api, "/notes?page=last")).json.results, []);
  assertEquals((await page(api, "/notes?page=2")).status, 404);
});

Deno.test("links keep the other query parameters, re-encoded in sorted order", async () => {
  await using api = await notesApi();
  await api.seed(25);
  const first = (await page(api, "/notes?search=note&ordering=title&format=json")).json;
  assertEquals(first.next, "/notes?format=json&ordering=title&page=2&search=note");
  const second = (await page(api, "/notes?search=Note%201&page=2&ordering=-title")).json;
  assertEquals(second.count, 12); // "Note" and "1": Note 1, 10 to 19 and 21
  assertEquals(second.previous, "/notes?ordering=-title&search=Note+1");
  assertEquals(second.next, null);
});

Deno.test("links are absolute under PUBLIC_URL, never from the Host header", async () => {
  await using api = await notesApi({ PUBLIC_URL: "https://api.example.com/" });
  await api.seed(11);
  const answer = await api.client.get("/notes", undefined, { headers: { host: "evil.example" } });
  assertEquals((answer.json as Page).next, "https://api.example.com/notes?page=2");
});

Deno.test("search: terms split on spaces and commas, each in title or body, any case", async () => {
  await using api = await notesApi();
  const notes = [["Deno KV", "a store"], ["Django", "REST framework"], ["deno serve", "KV too"], [
    "Other",
    "",
  ]];
  for (const [title, body] of notes) {
    await api.repository.create({ owner: "ada", title, body, created: new Date(0) });
  }
  const search = async (q: string) => ids((await page(api, `/notes?search=${q}`)).json).sort();
  assertEquals(await search("deno"), [1, 3]);
  assertEquals(await search("DENO,kv"), [1, 3]);
  assertEquals(await search("deno%20store"), [1]);
  assertEquals(await search("rest"), [2]);
  assertEquals(await search("deno,django"), []);
  assertEquals(await search("%20,%20"), [1, 2, 3, 4]);
});

Deno.test("ordering: by title or created, - descending, unknown names dropped, ties by creation", async () => {
  await using api = await notesApi();
  await api.seed(4, "ada", (i) => ["b", "a", "b", "c"][i - 1]);
  const order = async (q: string) => ids((await page(api, `/notes?ordering=${q}`)).json);
  assertEquals(await order("title"), [2, 1, 3, 4]);
  assertEquals(await order("-title"), [4, 1, 3, 2]);
  assertEquals(await order("created"), [1, 2, 3, 4]);
  assertEquals(await order("-created"), [4, 3, 2, 1]);
  assertEquals(await order("title,-created"), [2, 3, 1, 4]);
  assertEquals(await order("owner"), [4, 3, 2, 1]);
  assertEquals(await order("owner,title"), [2, 1, 3, 4]);
  assertEquals(await order("--title"), [4, 3, 2, 1]);
  assertEquals(await order(""), [4, 3, 2, 1]);
});

Deno.test("notes created in the same millisecond are newest first by id", async () => {
  await using api = await notesApi();
  for (let i = 0; i < 3; i++) {
    await api.repository.create({ owner: "ada", title: `${i}`, body: "", created: new Date(0) });
  }
  assertEquals(ids((await page(api, "/notes")).json), [3, 2, 1]);
});
