// Every response shape the document gives is true: for each notes
// operation, requests that make its documented error statuses are sent to
// the whole service, and each real body is checked against the schema the
// document gives that status (JSON Schema 2020-12, with Ajv), with the
// headers the document says are required.

import { assert, assertEquals } from "@std/assert";
import { auth, handler } from "../_service.ts";
import { responseChecker } from "./_validate.ts";

type Json = Record<string, unknown>;

await auth.users.create({ username: "rita", password: "rita's pw" });
await auth.users.create({ username: "sam", password: "sam's pw" });
const document: Json = await (await handler(new Request("http://localhost/openapi.json"))).json();
const checker = responseChecker(document);
const RITA = { authorization: `Basic ${btoa("rita:rita's pw")}` };
const SAM = { authorization: `Basic ${btoa("sam:sam's pw")}` };
const JSON_TYPE = { "content-type": "application/json" };

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  return await handler(new Request(`http://localhost${path}`, init));
}

/** Send, then check the status, the body and the required headers against the document. */
async function documented(
  operation: [path: string, method: string],
  status: number,
  answer: Response,
): Promise<unknown> {
  const [path, method] = operation;
  assertEquals(answer.status, status, `${method} ${path}`);
  const text = await answer.text();
  const body = text === "" ? null : JSON.parse(text);
  assertEquals(checker.check(path, method, status, body), [], `${method} ${path} ${status}`);
  const headers = (checker.response(path, method, status).headers ?? {}) as Record<string, Json>;
  for (const [name, header] of Object.entries(headers)) {
    if (header.required) assert(answer.headers.has(name), `${status} without ${name}`);
  }
  return body;
}

const created = await send("/notes", {
  method: "POST",
  headers: { ...RITA, ...JSON_TYPE },
  body: JSON.stringify({ title: "Rita's note" }),
});
const { id } = await created.json() as { id: number };
const LIST: [string, string] = ["/notes", "get"];
const CREATE: [string, string] = ["/notes", "post"];
const RETRIEVE: [string, string] = ["/notes/{id}", "get"];
const UPDATE: [string, string] = ["/notes/{id}", "put"];
const PARTIAL: [string, string] = ["/notes/{id}", "patch"];
const DESTROY: [string, string] = ["/notes/{id}", "delete"];

Deno.test("successes: each notes operation answers as documented", async () => {
  await documented(LIST, 200, await send("/notes?search=rita&ordering=title"));
  await documented(RETRIEVE, 200, await send(`/notes/${id}`));
  const body = JSON.stringify({ title: "Changed" });
  await documented(
    UPDATE,
    200,
    await send(`/notes/${id}`, { method: "PUT", headers: { ...RITA, ...JSON_TYPE }, body }),
  );
  await documented(
    PARTIAL,
    200,
    await send(`/notes/${id}`, { method: "PATCH", headers: { ...RITA, ...JSON_TYPE }, body }),
  );
  const other = await send("/notes", { method: "POST", headers: { ...RITA, ...JSON_TYPE }, body });
  const made = await documented(CREATE, 201, other) as { id: number };
  await documented(
    DESTROY,
    204,
    await send(`/notes/${made.id}`, { method: "DELETE", headers: RITA }),
  );
});

Deno.test("400: field errors and parse errors of bodies, a bad Host for any operation", async () => {
  const post = (body: string) =>
    send("/notes", { method: "POST", headers: { ...RITA, ...JSON_TYPE }, body });
  const fields = await documented(CREATE, 400, await post('{"title":""}'));
  assertEquals(fields, { title: ["This field may not be blank."] });
  const whole = await documented(CREATE, 400, await post("[]"));
  assertEquals(whole, { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
  const parse = await documented(CREATE, 400, await post("{")) as { detail: string };
  assert(parse.detail.startsWith("JSON parse error - "));
  for (const [path, method] of [UPDATE, PARTIAL]) {
    const answer = await send(`/notes/${id}`, {
      method: method.toUpperCase(),
      headers: { ...RITA, ...JSON_TYPE },
      body: JSON.stringify({ title: "x".repeat(201) }),
    });
    await documented([path, method], 400, answer);
  }
  for (const [path, method] of [LIST, RETRIEVE, DESTROY]) {
    const url = path.replace("{id}", String(id));
    const answer = await send(url, { method: method.toUpperCase(), headers: { host: "bad host" } });
    assertEquals(await documented([path, method], 400, answer), { detail: "Invalid Host header." });
  }
});

Deno.test("401 with WWW-Authenticate: missing credentials for a write, a bad token for any", async () => {
  const anonymous = await send("/notes", { method: "POST", headers: JSON_TYPE, body: "{}" });
  await documented(CREATE, 401, anonymous);
  const bad = { authorization: "Bearer nope" };
  for (const [path, method] of [LIST, RETRIEVE, UPDATE, PARTIAL, DESTROY]) {
    const url = path.replace("{id}", String(id));
    const answer = await send(url, { method: method.toUpperCase(), headers: bad });
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
    assertEquals(await documented([path, method], 401, answer), { detail: "Invalid token." });
  }
});

Deno.test("403: another user's note may not be changed or deleted", async () => {
  for (const [path, method] of [UPDATE, PARTIAL, DESTROY]) {
    const answer = await send(`/notes/${id}`, {
      method: method.toUpperCase(),
      headers: { ...SAM, ...JSON_TYPE },
      body: method === "delete" ? undefined : JSON.stringify({ title: "Sam's now" }),
    });
    assertEquals(await documented([path, method], 403, answer), {
      detail: "You do not have permission to perform this action.",
    });
  }
});

Deno.test("404: a missing note, an invalid page, an unknown ?format=", async () => {
  for (const [path, method] of [RETRIEVE, UPDATE, PARTIAL, DESTROY]) {
    const answer = await send("/notes/999999", {
      method: method.toUpperCase(),
      headers: { ...RITA, ...JSON_TYPE },
      body: method === "get" || method === "delete" ? undefined : JSON.stringify({ title: "t" }),
    });
    assertEquals(await documented([path, method], 404, answer), { detail: "Not found." });
  }
  assertEquals(await documented(LIST, 404, await send("/notes?page=99")), {
    detail: "Invalid page.",
  });
  await documented(CREATE, 404, await send("/notes?format=xml", { method: "POST", headers: RITA }));
});

Deno.test("405 with Allow: a method the path does not take", async () => {
  // A signed-in user, so that the permission checks (before the method) pass.
  const answer = await send("/notes", { method: "DELETE", headers: RITA });
  assertEquals(answer.headers.get("allow"), "GET, POST, HEAD, OPTIONS");
  await documented(LIST, 405, answer);
  await documented(RETRIEVE, 405, await send(`/notes/${id}`, { method: "POST", headers: RITA }));
});

Deno.test("406: an Accept header nothing satisfies", async () => {
  const accept = { accept: "application/xml" };
  for (const [path, method] of [LIST, CREATE, RETRIEVE, UPDATE, PARTIAL, DESTROY]) {
    const url = path.replace("{id}", String(id));
    const answer = await send(url, {
      method: method.toUpperCase(),
      headers: { ...RITA, ...accept },
    });
    assertEquals(await documented([path, method], 406, answer), {
      detail: "Could not satisfy the request Accept header.",
    });
  }
});

Deno.test("413 and 415: a body over the limit, a media type no parser takes", async () => {
  for (const [path, method] of [CREATE, UPDATE, PARTIAL]) {
    const url = path.replace("{id}", String(id));
    const csv = await send(url, {
      method: method.toUpperCase(),
      headers: { ...RITA, "content-type": "text/csv" },
      body: "a,b",
    });
    assertEquals(await documented([path, method], 415, csv), {
      detail: 'Unsupported media type "text/csv" in request.',
    });
  }
  const big = await send("/notes", {
    method: "POST",
    headers: { ...RITA, ...JSON_TYPE },
    body: JSON.stringify({ title: "x".repeat(3 * 1024 * 1024) }),
  });
  await documented(CREATE, 413, big);
});

Deno.test("the checker refuses a body the document does not give (the check can fail)", () => {
  assert(checker.check("/notes", "post", 400, { detail: 3 }).length > 0);
  assert(checker.check("/notes/{id}", "get", 200, { id: "one" }).length > 0);
});
