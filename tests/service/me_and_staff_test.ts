import { assertEquals } from "@std/assert";
import { post, send } from "../_request.ts";
import { auth } from "../_service.ts";

await auth.users.create({ username: "ada", password: "ada's pw" });
await auth.users.create({ username: "grace", password: "grace's pw", isStaff: true });

const NOT_PROVIDED = { detail: "Authentication credentials were not provided." };
const DENIED = { detail: "You do not have permission to perform this action." };

async function tokenOf(username: string, password: string): Promise<string> {
  const answer = await send("/api-token-auth", post(JSON.stringify({ username, password })));
  return (answer.json as { token: string }).token;
}

const ADA = { authorization: `Bearer ${await tokenOf("ada", "ada's pw")}` };
const GRACE = { authorization: `Bearer ${await tokenOf("grace", "grace's pw")}` };
const ADA_BASIC = { authorization: `Basic ${btoa("ada:ada's pw")}` };
const GRACE_BASIC = { authorization: `Basic ${btoa("grace:grace's pw")}` };

Deno.test("GET /me answers {username, is_staff} for Bearer and for Basic", async () => {
  for (const headers of [ADA, ADA_BASIC]) {
    const answer = await send("/me", { headers });
    assertEquals([answer.status, answer.text], [200, '{"username":"ada","is_staff":false}']);
    assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
    assertEquals(answer.headers.get("vary"), "Accept");
  }
  const staff = await send("/me", { headers: GRACE });
  assertEquals(staff.text, '{"username":"grace","is_staff":true}');
});

Deno.test("GET /me anonymous is 401 'not provided' with WWW-Authenticate: Bearer", async () => {
  const answer = await send("/me");
  assertEquals([answer.status, answer.text], [401, JSON.stringify(NOT_PROVIDED)]);
  assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
  assertEquals(answer.headers.get("content-type"), "application/json");
});

Deno.test("GET /me with a wrong token or password is 401 with DRF's message and the Bearer challenge", async () => {
  const cases: [string, string][] = [
    ["Bearer 0123456789abcdef0123456789abcdef01234567", "Invalid token."],
    [`Basic ${btoa("ada:nope")}`, "Invalid username/password."],
    ["Bearer", "Invalid token header. No credentials provided."],
  ];
  for (const [authorization, detail] of cases) {
    const answer = await send("/me", { headers: { authorization } });
    assertEquals([answer.status, answer.json], [401, { detail }], authorization);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
});

Deno.test("GET /staff answers {username} for staff, by Bearer and by Basic", async () => {
  for (const headers of [GRACE, GRACE_BASIC]) {
    const answer = await send("/staff", { headers });
    assertEquals([answer.status, answer.text], [200, '{"username":"grace"}']);
  }
});

Deno.test("GET /staff for a user who is not staff is 403 without a challenge", async () => {
  for (const headers of [ADA, ADA_BASIC]) {
    const answer = await send("/staff", { headers });
    assertEquals([answer.status, answer.json], [403, DENIED]);
    assertEquals(answer.headers.get("www-authenticate"), null);
  }
});

Deno.test("GET /staff anonymous is 401 (not 403): no authenticator succeeded", async () => {
  const answer = await send("/staff");
  assertEquals([answer.status, answer.json], [401, NOT_PROVIDED]);
  assertEquals(answer.headers.get("www-authenticate"), "Bearer");
});

Deno.test("policies come before the method: anonymous POST, PUT, DELETE to /me are 401, not 405", async () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const answer = await send("/me", { method });
    assertEquals([answer.status, answer.json], [401, NOT_PROVIDED], method);
    assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  }
  const authenticated = await send("/me", { method: "POST", headers: ADA });
  assertEquals([authenticated.status, authenticated.json], [405, {
    detail: 'Method "POST" not allowed.',
  }]);
  const notStaff = await send("/staff", { method: "POST", headers: ADA });
  assertEquals(notStaff.status, 403);
});

Deno.test("OPTIONS and HEAD are checked too", async () => {
  const options = await send("/me", { method: "OPTIONS" });
  assertEquals([options.status, options.json], [401, NOT_PROVIDED]);
  const head = await send("/me", { method: "HEAD" });
  assertEquals([head.status, head.text, head.headers.get("www-authenticate")], [401, "", "Bearer"]);
  const allowedHead = await send("/me", { method: "HEAD", headers: ADA });
  assertEquals([allowedHead.status, allowedHead.text], [200, ""]);
  const allowedOptions = await send("/me", { method: "OPTIONS", headers: ADA });
  assertEquals((allowedOptions.json as { name: string }).name, "Me");
  const staffOptions = await send("/staff", { method: "OPTIONS", headers: ADA });
  assertEquals([staffOptions.status, staffOptions.json], [403, DENIED]);
});

Deno.test("a 401 or 403 for a browser is the browsable page, with the same status and challenge", async () => {
  const accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  const answer = await send("/me", { headers: { accept } });
  assertEquals(answer.status, 401);
  assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  assertEquals(answer.headers.get("content-type"), "text/html; charset=utf-8");
  const forbidden = await send("/staff", { headers: { accept, ...ADA } });
  assertEquals(forbidden.status, 403);
});
