import { assertEquals } from "@std/assert";
import {
  apiView,
  type Authenticator,
  authStores,
  IsAuthenticated,
  type Token,
} from "../../middleware/drf/mod.ts";
import { callView, readAnswer } from "../../middleware/drf/test.ts";

const kv = await Deno.openKv(":memory:");
const { users, tokens, bearerThenBasic } = authStores({ kv }, { iterations: 1000 });
await users.create({ username: "ada", password: "pw" });
await users.create({ username: "zoë", password: "pässword" });
await users.create({ username: "grace", password: "pw", isStaff: true });
await users.create({ username: "gone", password: "pw" });
const ADA = (await tokens.getOrCreate("ada", "pw")).key;
const GONE = (await tokens.getOrCreate("gone", "pw")).key;
await users.setActive("gone", false);

// Answers who it saw and what auth held.
const whoami = apiView(["GET"], async (_request, context) => ({
  username: context.user.username,
  authenticated: context.user.isAuthenticated,
  staff: context.user.isStaff,
  auth: context.auth,
}), { authentication: bearerThenBasic, permissions: [IsAuthenticated] });

async function as(authorization: string | null, view = whoami) {
  const headers = authorization === null ? undefined : { authorization };
  return readAnswer(await callView(view, { headers }));
}

function basic(credentials: string): string {
  const bytes = new TextEncoder().encode(credentials);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

Deno.test("Bearer <token> authenticates its owner; context.auth is the Token without its key", async () => {
  const answer = await as(`Bearer ${ADA}`);
  assertEquals(answer.status, 200);
  const body = answer.json as { username: string; auth: Token };
  assertEquals([body.username, body.auth.username], ["ada", "ada"]);
  assertEquals(JSON.stringify(body).includes(ADA), false);
});

Deno.test("the Bearer scheme is case-insensitive and tabs separate as spaces do", async () => {
  for (const header of [`bearer ${ADA}`, `BEARER ${ADA}`, `BeArEr\t${ADA}`, `Bearer   ${ADA}  `]) {
    assertEquals((await as(header)).status, 200, header);
  }
});

Deno.test("a wrong token is 401 'Invalid token.' with WWW-Authenticate: Bearer", async () => {
  for (const key of ["0".repeat(40), ADA.toUpperCase(), ADA.slice(0, 39), "x"]) {
    const answer = await as(`Bearer ${key}`);
    assertEquals([answer.status, answer.json], [401, { detail: "Invalid token." }]);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("malformed Bearer headers get DRF's messages, byte for byte", async () => {
  const cases: [string, string][] = [
    ["Bearer", "Invalid token header. No credentials provided."],
    ["bearer   ", "Invalid token header. No credentials provided."],
    [`Bearer ${ADA} extra`, "Invalid token header. Token string should not contain spaces."],
    ["Bearer a b c", "Invalid token header. Token string should not contain spaces."],
    [
      "Bearer \xff\xfe",
      "Invalid token header. Token string should not contain invalid characters.",
    ],
  ];
  for (const [header, detail] of cases) {
    const answer = await as(header);
    assertEquals([answer.status, answer.text], [401, JSON.stringify({ detail })], header);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("a token in valid UTF-8 but unknown is 'Invalid token.'", async () => {
  const utf8 = String.fromCharCode(...new TextEncoder().encode("clé"));
  assertEquals((await as(`Bearer ${utf8}`)).json, { detail: "Invalid token." });
});

Deno.test("the token of an inactive user is 401 'User inactive or deleted.'", async () => {
  const answer = await as(`Bearer ${GONE}`);
  assertEquals([answer.status, answer.json], [401, { detail: "User inactive or deleted." }]);
});

Deno.test("the token of a deleted user is 'Invalid token.', as DRF's cascade leaves it", async () => {
  await users.create({ username: "temp", password: "pw" });
  const { key } = await tokens.getOrCreate("temp", "pw");
  await kv.delete(["auth_user", "temp"]);
  assertEquals((await as(`Bearer ${key}`)).json, { detail: "Invalid token." });
});

Deno.test("Basic with the right name and password authenticates; the scheme is case-insensitive", async () => {
  for (const scheme of ["Basic", "basic", "BASIC"]) {
    const answer = await as(basic("ada:pw").replace("Basic", scheme));
    assertEquals([answer.status, (answer.json as { username: string }).username], [200, "ada"]);
    assertEquals((answer.json as { auth: unknown }).auth, null);
  }
});

Deno.test("Basic: UTF-8 credentials, a colon in the password, latin-1 as DRF's fallback", async () => {
  assertEquals((await as(basic("zoë:pässword"))).status, 200);
  await users.create({ username: "colon", password: "a:b:c" });
  assertEquals((await as(basic("colon:a:b:c"))).status, 200);
  // "zoë:pässword" in latin-1 is not UTF-8; DRF decodes it as latin-1.
  const latin1 = `Basic ${btoa("zo\xeb:p\xe4ssword")}`;
  assertEquals((await as(latin1)).status, 200);
});

Deno.test("Basic failures are 401 with DRF's messages; the challenge is the FIRST authenticator's (Bearer)", async () => {
  const cases: [string, string][] = [
    ["Basic", "Invalid basic header. No credentials provided."],
    ["Basic YWRhOnB3 extra", "Invalid basic header. Credentials string should not contain spaces."],
    ["Basic YWRhOnB", "Invalid basic header. Credentials not correctly base64 encoded."],
    ["Basic Y", "Invalid basic header. Credentials not correctly base64 encoded."],
    ["Basic YQ=", "Invalid basic header. Credentials not correctly base64 encoded."],
    [basic("ada:wrong"), "Invalid username/password."],
    [basic("nobody:pw"), "Invalid username/password."],
    [basic("ada"), "Invalid username/password."],
    [basic(":"), "Invalid username/password."],
  ];
  for (const [header, detail] of cases) {
    const answer = await as(header);
    assertEquals([answer.status, answer.text], [401, JSON.stringify({ detail })], header);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("Basic decodes base64 as Python does: stray characters skipped, a complete pad ends it", async () => {
  const clean = basic("ada:pw").slice(6); // YWRhOnB3
  assertEquals((await as(`Basic ${clean}!!`)).status, 200);
  await users.create({ username: "padded", password: "pw1" });
  const padded = basic("padded:pw1").slice(6);
  assertEquals(padded.endsWith("=="), true);
  assertEquals((await as(`Basic ${padded}trailing`)).status, 200);
});

Deno.test("Basic: an inactive user's right password is 'Invalid username/password.' (Django's ModelBackend)", async () => {
  const answer = await as(basic("gone:pw"));
  assertEquals([answer.status, answer.json], [401, { detail: "Invalid username/password." }]);
});

Deno.test('Basic alone: its challenge is Basic realm="api"', async () => {
  const basicOnly = apiView(["GET"], async () => ({}), {
    authentication: [bearerThenBasic[1]],
    permissions: [IsAuthenticated],
  });
  const anonymous = await as(null, basicOnly);
  assertEquals(anonymous.status, 401);
  assertEquals(anonymous.headers.get("www-authenticate"), 'Basic realm="api"');
  assertEquals(anonymous.json, { detail: "Authentication credentials were not provided." });
  const wrong = await as(basic("ada:nope"), basicOnly);
  assertEquals(wrong.headers.get("www-authenticate"), 'Basic realm="api"');
});

Deno.test("other schemes are not recognised: anonymous, 401 'not provided' with Bearer", async () => {
  for (const header of ["Token abc", "Digest x", "Bearerx abc", "", "   "]) {
    const answer = await as(header);
    assertEquals(answer.status, 401, header);
    assertEquals(answer.json, { detail: "Authentication credentials were not provided." });
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("a failed Bearer stops the chain: valid Basic credentials are never tried", async () => {
  let asked = 0;
  const spy: Authenticator = { authenticate: async () => (asked++, null) };
  const view = apiView(["GET"], async () => ({}), { authentication: [bearerThenBasic[0], spy] });
  const answer = await as("Bearer nope", view);
  assertEquals([answer.status, asked], [401, 0]);
});

Deno.test("no authentication error ever echoes the credentials it was given", async () => {
  for (const header of [`Bearer ${ADA}x`, basic("ada:secret-pw"), `Bearer ${ADA} ${ADA}`]) {
    const answer = await as(header);
    assertEquals(answer.text.includes(ADA) || answer.text.includes("secret-pw"), false);
  }
});

Deno.test("the service's users hash with Django 5.2's 1,000,000 iterations unless told otherwise", async () => {
  await using fresh = await Deno.openKv(":memory:");
  assertEquals(authStores({ kv: fresh }).iterations, 1_000_000);
  assertEquals(authStores({ kv }).iterations, 1000);
});
