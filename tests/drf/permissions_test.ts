import { assertEquals } from "@std/assert";
import {
  AllowAny,
  and,
  apiView,
  AuthenticationFailed,
  type Authenticator,
  checkObjectPermissions,
  IsAdminUser,
  IsAuthenticated,
  IsAuthenticatedOrReadOnly,
  not,
  NotAuthenticated,
  or,
  type Permission,
  type User,
  withDefaultPolicies,
} from "../../middleware/drf/mod.ts";
import { callView, readAnswer } from "../../middleware/drf/test.ts";

const NOT_PROVIDED = { detail: "Authentication credentials were not provided." };
const DENIED = { detail: "You do not have permission to perform this action." };

function user(username: string, isStaff = false): User {
  return { username, isStaff, isActive: true, isAuthenticated: true };
}

// Recognises `X-User: name` (`X-User: root` is staff); `X-User: !` fails.
function headerAuth(challenge?: string): Authenticator {
  return {
    async authenticate(request) {
      const name = request.headers.get("x-user");
      if (name === null) return null;
      if (name === "!") throw new AuthenticationFailed("Bad user header.");
      return [user(name, name === "root"), null];
    },
    authenticateHeader: challenge === undefined ? undefined : () => challenge,
  };
}

const ok = async () => ({ ok: true });

async function call(
  permissions: Permission[],
  init: RequestInit & { user?: string } = {},
  authentication: Authenticator[] = [headerAuth("Test")],
) {
  const { user: name, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (name !== undefined) headers.set("x-user", name);
  const view = apiView(["GET", "POST"], ok, { authentication, permissions });
  return readAnswer(await callView(view, { ...rest, headers }));
}

Deno.test("AllowAny lets an anonymous request in", async () => {
  assertEquals((await call([AllowAny])).status, 200);
});

Deno.test("IsAuthenticated: anonymous is 401 with the first authenticator's challenge", async () => {
  const answer = await call([IsAuthenticated]);
  assertEquals([answer.status, answer.json], [401, NOT_PROVIDED]);
  assertEquals(answer.headers.get("www-authenticate"), "Test");
  assertEquals((await call([IsAuthenticated], { user: "ada" })).status, 200);
});

Deno.test("IsAuthenticated: without a challenge to send, anonymous is 403 with the same text", async () => {
  const answer = await call([IsAuthenticated], {}, [headerAuth()]);
  assertEquals([answer.status, answer.json], [403, NOT_PROVIDED]);
  assertEquals(answer.headers.get("www-authenticate"), null);
});

Deno.test("IsAuthenticated on a view without authenticators is 403 'You do not have permission'", async () => {
  const answer = await call([IsAuthenticated], {}, []);
  assertEquals([answer.status, answer.json], [403, DENIED]);
  assertEquals(answer.headers.get("www-authenticate"), null);
});

Deno.test("IsAdminUser: an authenticated non-staff user is 403 without a challenge", async () => {
  const answer = await call([IsAdminUser], { user: "ada" });
  assertEquals([answer.status, answer.json], [403, DENIED]);
  assertEquals(answer.headers.get("www-authenticate"), null);
  assertEquals((await call([IsAdminUser], { user: "root" })).status, 200);
  assertEquals((await call([IsAdminUser])).status, 401);
});

Deno.test("IsAuthenticatedOrReadOnly: anyone reads, only the authenticated write", async () => {
  assertEquals((await call([IsAuthenticatedOrReadOnly])).status, 200);
  assertEquals((await call([IsAuthenticatedOrReadOnly], { method: "HEAD" })).status, 200);
  assertEquals((await call([IsAuthenticatedOrReadOnly], { method: "OPTIONS" })).status, 200);
  const write = await call([IsAuthenticatedOrReadOnly], { method: "POST" });
  assertEquals([write.status, write.json], [401, NOT_PROVIDED]);
  assertEquals(
    (await call([IsAuthenticatedOrReadOnly], { method: "POST", user: "ada" })).status,
    200,
  );
});

Deno.test("a failed authentication is 401 with the FIRST authenticator's challenge", async () => {
  const first = { authenticate: async () => null, authenticateHeader: () => "First" };
  const answer = await call([AllowAny], { user: "!" }, [first, headerAuth("Second")]);
  assertEquals([answer.status, answer.json], [401, { detail: "Bad user header." }]);
  assertEquals(answer.headers.get("www-authenticate"), "First");
  const noChallenge = await call([AllowAny], { user: "!" }, [headerAuth()]);
  assertEquals([noChallenge.status, noChallenge.json], [403, { detail: "Bad user header." }]);
});

Deno.test("the first authenticator that recognises the request wins; later ones are not asked", async () => {
  let asked = 0;
  const counting: Authenticator = { authenticate: async () => (asked++, null) };
  const view = apiView(["GET"], async (_r, context) => context.user.username, {
    authentication: [headerAuth("Test"), counting],
  });
  const answer = await readAnswer(await callView(view, { headers: { "x-user": "ada" } }));
  assertEquals([answer.json, asked], ["ada", 0]);
  await readAnswer(await callView(view));
  assertEquals(asked, 1);
});

Deno.test("a permission's own message is the 403's detail", async () => {
  const weekdays: Permission = { hasPermission: () => false, message: "Closed on Sundays." };
  const answer = await call([weekdays], { user: "ada" });
  assertEquals([answer.status, answer.json], [403, { detail: "Closed on Sundays." }]);
});

Deno.test("every permission must allow, in order; the first refusal answers", async () => {
  const calls: string[] = [];
  const log = (name: string, result: boolean): Permission => ({
    hasPermission: () => (calls.push(name), result),
    message: `${name} says no.`,
  });
  const answer = await call([log("a", true), log("b", false), log("c", false)], { user: "ada" });
  assertEquals([answer.json, calls], [{ detail: "b says no." }, ["a", "b"]]);
});

Deno.test("async permissions are awaited", async () => {
  const slow: Permission = { hasPermission: () => Promise.resolve(false), message: "Later." };
  assertEquals((await call([slow], { user: "ada" })).json, { detail: "Later." });
});

Deno.test("policies run before the method check: anonymous POST/PUT/OPTIONS/HEAD are 401, not 405", async () => {
  const view = apiView(["GET"], ok, {
    authentication: [headerAuth("Test")],
    permissions: [IsAuthenticated],
  });
  for (const method of ["POST", "PUT", "OPTIONS", "HEAD", "GET"]) {
    const answer = await readAnswer(await callView(view, { method }));
    assertEquals(answer.status, 401, method);
    assertEquals(answer.headers.get("www-authenticate"), "Test", method);
    assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS", method);
  }
  const authenticated = await callView(view, { method: "POST", headers: { "x-user": "ada" } });
  assertEquals((await readAnswer(authenticated)).status, 405);
});

// Composition, with DRF 3.14's semantics of AND, OR and NOT.

const yes: Permission = { hasPermission: () => true, message: "yes" };
const no: Permission = { hasPermission: () => false, message: "no" };
const objectNo: Permission = {
  hasPermission: () => true,
  hasObjectPermission: () => false,
  message: "objectNo",
};

Deno.test("and/or/not decide the request as &, | and ~ do", async () => {
  const cases: [Permission, number][] = [
    [and(yes, yes), 200],
    [and(yes, no), 403],
    [and(no, yes), 403],
    [and(yes, yes, no), 403],
    [or(no, yes), 200],
    [or(no, no), 403],
    [or(no, no, yes), 200],
    [not(no), 200],
    [not(yes), 403],
    [not(and(yes, no)), 200],
  ];
  for (const [permission, status] of cases) {
    assertEquals((await call([permission], { user: "ada" })).status, status);
  }
});

Deno.test("a composed permission's refusal is DRF's default message, not an operand's", async () => {
  for (const permission of [and(yes, no), or(no, no), not(yes)]) {
    assertEquals((await call([permission], { user: "ada" })).json, DENIED);
  }
});

Deno.test("a composed refusal of an anonymous request is still 'not authenticated' (401)", async () => {
  const answer = await call([or(IsAdminUser, and(IsAuthenticated, no))]);
  assertEquals([answer.status, answer.json], [401, NOT_PROVIDED]);
});

Deno.test("and() and or() short-circuit: the second operand is not asked", async () => {
  let asked = 0;
  const counted: Permission = { hasPermission: () => (asked++, true) };
  await call([and(no, counted)], { user: "ada" });
  await call([or(yes, counted)], { user: "ada" });
  assertEquals(asked, 0);
});

// A view that acts on an object checks it, as a resource view does.
function objectView(
  permissions: Permission[],
  object: unknown,
  authentication = [headerAuth("Test")],
) {
  return apiView(["GET", "DELETE"], async (request, context) => {
    await checkObjectPermissions(request, context, object);
    return { deleted: true };
  }, { authentication, permissions });
}

const isOwner: Permission = {
  hasPermission: () => true,
  hasObjectPermission: (_request, context, note) =>
    (note as { owner: string }).owner === context.user.username,
  message: "Only the owner may do that.",
};

Deno.test("checkObjectPermissions: the owner passes, another user gets the permission's message", async () => {
  const view = objectView([IsAuthenticatedOrReadOnly, isOwner], { owner: "ada" });
  const own = await readAnswer(
    await callView(view, { method: "DELETE", headers: { "x-user": "ada" } }),
  );
  assertEquals([own.status, own.json], [200, { deleted: true }]);
  const other = await readAnswer(
    await callView(view, { method: "DELETE", headers: { "x-user": "bob" } }),
  );
  assertEquals([other.status, other.json], [403, { detail: "Only the owner may do that." }]);
});

Deno.test("checkObjectPermissions refuses an anonymous request as 401 with the challenge", async () => {
  const view = objectView([isOwner], { owner: "ada" });
  const answer = await readAnswer(await callView(view));
  assertEquals([answer.status, answer.json], [401, NOT_PROVIDED]);
  assertEquals(answer.headers.get("www-authenticate"), "Test");
});

Deno.test("checkObjectPermissions: permissions without an object hook allow every object", async () => {
  const view = objectView([IsAuthenticated, AllowAny], { owner: "ada" });
  assertEquals((await callView(view, { headers: { "x-user": "bob" } })).status, 200);
  const open = objectView([], { owner: "ada" }, []);
  assertEquals((await callView(open)).status, 200);
});

Deno.test("or() on an object: an operand counts only if it allows the request AND the object", async () => {
  // DRF 3.14: (op1.has_permission and op1.has_object_permission) or (op2...).
  // refusesRequest has no object hook (allows every object) but refuses the
  // request, so it cannot grant the object; objectNo refuses the object.
  const refusesRequest: Permission = { hasPermission: () => false };
  const object = { owner: "ada" };
  const neither = await readAnswer(
    await callView(objectView([or(refusesRequest, objectNo)], object), {
      headers: { "x-user": "bob" },
    }),
  );
  assertEquals([neither.status, neither.json], [403, DENIED]);
  // The usual use: staff, or the owner; nobody else.
  const staffOrOwner = objectView([or(IsAdminUser, isOwner)], object);
  assertEquals((await callView(staffOrOwner, { headers: { "x-user": "ada" } })).status, 200);
  assertEquals((await callView(staffOrOwner, { headers: { "x-user": "root" } })).status, 200);
  const stranger = await readAnswer(await callView(staffOrOwner, { headers: { "x-user": "bob" } }));
  assertEquals([stranger.status, stranger.json], [403, DENIED]);
});

Deno.test("and() on an object: both operands' object checks must allow", async () => {
  const view = objectView([and(IsAuthenticated, isOwner)], { owner: "ada" });
  assertEquals((await callView(view, { headers: { "x-user": "ada" } })).status, 200);
  assertEquals((await callView(view, { headers: { "x-user": "bob" } })).status, 403);
});

Deno.test("not() on an object: a permission without an object hook makes every object refused", async () => {
  // DRF 3.14's NOT negates has_object_permission, which is True by default.
  const view = objectView([not(IsAdminUser)], { owner: "ada" });
  const answer = await readAnswer(await callView(view, { headers: { "x-user": "ada" } }));
  assertEquals([answer.status, answer.json], [403, DENIED]);
  // Negated twice, the object check is the permission's own again.
  const owner = objectView([not(not(isOwner))], { owner: "ada" });
  assertEquals((await callView(owner, { headers: { "x-user": "ada" } })).status, 200);
  assertEquals((await callView(owner, { headers: { "x-user": "bob" } })).status, 403);
});

Deno.test("NotAuthenticated thrown by a view follows the same 401/403 rule", async () => {
  const thrower = async () => {
    throw new NotAuthenticated();
  };
  const withChallenge = apiView(["GET"], thrower, { authentication: [headerAuth("Test")] });
  const a = await readAnswer(await callView(withChallenge));
  assertEquals([a.status, a.headers.get("www-authenticate"), a.json], [401, "Test", NOT_PROVIDED]);
  const bare = apiView(["GET"], thrower);
  const b = await readAnswer(await callView(bare));
  assertEquals([b.status, b.headers.get("www-authenticate"), b.json], [403, null, NOT_PROVIDED]);
});

Deno.test("withDefaultPolicies gives a view the defaults it leaves out; its own lists win", async () => {
  const open = apiView(["GET"], ok, { permissions: [] });
  const plain = apiView(["GET"], ok);
  const staffOnly = apiView(["GET"], ok, { permissions: [IsAdminUser] });
  const notAView = async () => new Response("raw");
  const routes = withDefaultPolicies([
    { pattern: "/open", handler: open },
    { pattern: "/plain", handler: plain },
    { pattern: "/staff", handler: staffOnly },
    { pattern: "/raw", handler: notAView },
  ], { authentication: [headerAuth("Default")], permissions: [IsAuthenticated] });
  const [o, p, s, r] = routes.map((route) => route.handler);
  assertEquals((await callView(o)).status, 200);
  const anonymous = await readAnswer(await callView(p));
  assertEquals([anonymous.status, anonymous.headers.get("www-authenticate")], [401, "Default"]);
  assertEquals((await callView(p, { headers: { "x-user": "ada" } })).status, 200);
  assertEquals((await callView(s, { headers: { "x-user": "ada" } })).status, 403);
  assertEquals((await callView(s, { headers: { "x-user": "root" } })).status, 200);
  assertEquals(r, notAView);
  // The view made before the defaults is unchanged.
  assertEquals((await callView(plain)).status, 200);
});
