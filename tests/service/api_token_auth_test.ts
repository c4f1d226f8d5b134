import { assertEquals, assertMatch } from "@std/assert";
import { post, send } from "../_request.ts";
import { auth } from "../_service.ts";

await auth.users.create({ username: "tok_ada", password: "pw ada" });
await auth.users.create({ username: "tok_off", password: "pw", isActive: false });

const UNABLE = { non_field_errors: ["Unable to log in with provided credentials."] };
const REQUIRED = ["This field is required."];

function json(body: unknown) {
  return post(JSON.stringify(body));
}

function form(body: Record<string, string>) {
  return post(new URLSearchParams(body).toString(), "application/x-www-form-urlencoded");
}

function multipart(body: Record<string, string>): RequestInit {
  const data = new FormData();
  for (const [name, value] of Object.entries(body)) data.set(name, value);
  return { method: "POST", body: data };
}

Deno.test("POST /api-token-auth answers 200 {token} for JSON, form and multipart, the same token each time", async () => {
  const credentials = { username: "tok_ada", password: "pw ada" };
  const first = await send("/api-token-auth", json(credentials));
  assertEquals(first.status, 200);
  assertEquals(first.headers.get("content-type"), "application/json");
  assertEquals(Object.keys(first.json as object), ["token"]);
  const { token } = first.json as { token: string };
  assertMatch(token, /^[0-9a-f]{40}$/);
  for (const init of [form(credentials), multipart(credentials), json(credentials)]) {
    const again = await send("/api-token-auth", init);
    assertEquals([again.status, again.json], [200, { token }]);
  }
});

Deno.test("wrong credentials are 400 non_field_errors 'Unable to log in with provided credentials.'", async () => {
  for (
    const body of [
      { username: "tok_ada", password: "wrong" },
      { username: "tok_ada", password: "pw ada " }, // the password is not trimmed
      { username: "nobody", password: "pw" },
      { username: "TOK_ADA", password: "pw ada" },
    ]
  ) {
    const answer = await send("/api-token-auth", json(body));
    assertEquals([answer.status, answer.text], [400, JSON.stringify(UNABLE)], JSON.stringify(body));
  }
});

Deno.test("an inactive user's right credentials are refused with the same message", async () => {
  const answer = await send("/api-token-auth", json({ username: "tok_off", password: "pw" }));
  assertEquals([answer.status, answer.json], [400, UNABLE]);
});

Deno.test("the username is trimmed, as DRF's CharField", async () => {
  const answer = await send(
    "/api-token-auth",
    json({ username: " tok_ada\t", password: "pw ada" }),
  );
  assertEquals(answer.status, 200);
});

Deno.test("missing fields are 400 with 'This field is required.' for each, in field order", async () => {
  const both = { username: REQUIRED, password: REQUIRED };
  for (const init of [json({}), post(null, null), form({}), multipart({}), json({ other: 1 })]) {
    const answer = await send("/api-token-auth", init);
    assertEquals([answer.status, answer.text], [400, JSON.stringify(both)]);
  }
  const onlyPassword = await send("/api-token-auth", json({ username: "tok_ada" }));
  assertEquals(onlyPassword.json, { password: REQUIRED });
  const onlyUsername = await send("/api-token-auth", form({ password: "x" }));
  assertEquals(onlyUsername.json, { username: REQUIRED });
});

Deno.test("blank, null and non-string fields get DRF's CharField messages", async () => {
  const cases: [unknown, unknown][] = [
    [{ username: "", password: "" }, {
      username: ["This field may not be blank."],
      password: ["This field may not be blank."],
    }],
    [{ username: "   ", password: "pw" }, { username: ["This field may not be blank."] }],
    [{ username: null, password: null }, {
      username: ["This field may not be null."],
      password: ["This field may not be null."],
    }],
    [{ username: true, password: ["pw"] }, {
      username: ["Not a valid string."],
      password: ["Not a valid string."],
    }],
    [{ username: "a\u0000b", password: "pw" }, { username: ["Null characters are not allowed."] }],
  ];
  for (const [body, errors] of cases) {
    const answer = await send("/api-token-auth", json(body));
    assertEquals([answer.status, answer.json], [400, errors], JSON.stringify(body));
  }
  const blankForm = await send("/api-token-auth", form({ username: "", password: "" }));
  assertEquals(blankForm.json, {
    username: ["This field may not be blank."],
    password: ["This field may not be blank."],
  });
});

Deno.test("a body that is not an object is 400 'Invalid data. Expected a dictionary, but got ...'", async () => {
  for (const [body, type] of [["[]", "list"], ['"x"', "str"], ["3", "int"], ["null", "NoneType"]]) {
    const answer = await send("/api-token-auth", post(body));
    assertEquals(answer.status, 400);
    assertEquals(answer.json, {
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`],
    });
  }
});

Deno.test("/api-token-auth takes POST only: GET is 405 with Allow: POST, OPTIONS", async () => {
  const answer = await send("/api-token-auth");
  assertEquals(answer.status, 405);
  assertEquals(answer.json, { detail: 'Method "GET" not allowed.' });
  assertEquals(answer.headers.get("allow"), "POST, OPTIONS");
});

Deno.test("OPTIONS /api-token-auth names the view as DRF does", async () => {
  const answer = await send("/api-token-auth", { method: "OPTIONS" });
  assertEquals(answer.status, 200);
  assertEquals(answer.headers.get("allow"), "POST, OPTIONS");
  assertEquals((answer.json as { name: string }).name, "Obtain Auth Token");
});

Deno.test("no answer of /api-token-auth repeats the password", async () => {
  for (const password of ["wrong-secret", "x\u0000secret"]) {
    const answer = await send("/api-token-auth", json({ username: "tok_ada", password }));
    assertEquals(answer.text.includes("secret"), false);
  }
});
