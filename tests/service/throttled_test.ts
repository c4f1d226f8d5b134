// GET /throttled: anyone, 3 a minute anonymously and 5 a minute as a user;
// the client is the socket's address unless NUM_PROXIES trusts proxies; the
// store THROTTLE_STORE names is the one the route counts in.

import { assertEquals, assertMatch } from "@std/assert";
import { createHandler, openStores, type ServeHandler } from "../../main.ts";
import { ApiContext, type Authenticator } from "../../middleware/drf/mod.ts";
import { post, readAnswer } from "../../middleware/drf/test.ts";
import { authStores } from "../../middleware/drf/auth_stores.ts";
import { MemoryThrottleStore } from "../../middleware/drf/throttle_stores/mod.ts";
import { loadSettings } from "../../middleware/http/settings.ts";
import { throttledView } from "../../views/throttled.ts";

const OK = '{"status":"ok"}';
const REDIS_URL = Deno.env.get("REDIS_URL");

// The service with fresh stores, so that no other test's requests count.
async function service(env: Record<string, string> = {}) {
  const settings = loadSettings({ ACCESS_LOG: "0", KV_PATH: ":memory:", ...env });
  const stores = await openStores(settings);
  return { handler: createHandler(settings, stores), stores };
}

// Send as a client at `address` would, over a socket.
async function from(
  handler: ServeHandler,
  address: string,
  init: RequestInit & { path?: string } = {},
) {
  const remoteAddr = { transport: "tcp", hostname: address, port: 50_000 } as const;
  const request = new Request(`http://localhost${init.path ?? "/throttled"}`, init);
  return readAnswer(await handler(request, { remoteAddr, completed: Promise.resolve() }));
}

Deno.test("GET /throttled admits 3 anonymous requests a minute, then 429 with Retry-After", async () => {
  const { handler, stores } = await service();
  await using _ = stores;
  for (let i = 0; i < 3; i++) {
    const answer = await from(handler, "192.0.2.10");
    assertEquals([answer.status, answer.text], [200, OK]);
  }
  const refused = await from(handler, "192.0.2.10");
  assertEquals(refused.status, 429);
  // The real clock: a minute, less the moments the test took.
  assertMatch(
    refused.text,
    /^\{"detail":"Request was throttled. Expected available in \d+ seconds?\."\}$/,
  );
  const wait = Number(refused.headers.get("retry-after"));
  assertEquals(wait >= 1 && wait <= 60, true, `Retry-After: ${wait}`);
  assertEquals(refused.text.includes(`in ${wait} second`), true);
  assertEquals((await from(handler, "192.0.2.11")).status, 200);
});

// Recognises `Authorization: Bearer <name>` as that user, as the real Bearer will.
const fakeBearer: Authenticator = {
  authenticate: async (request) => {
    const name = /^Bearer (\w+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!name) return null;
    return [{ username: name, isAuthenticated: true, isStaff: false, isActive: true }, name];
  },
  authenticateHeader: () => "Bearer",
};

Deno.test("the /throttled view: a user has 5 a minute, apart from anonymous ones", async () => {
  let ms = 1_700_000_000_000;
  const view = throttledView({
    authentication: [fakeBearer],
    store: new MemoryThrottleStore(),
    now: () => ms,
  });
  const call = async (authorization?: string) => {
    const request = new Request("http://localhost/throttled", {
      headers: authorization ? { authorization } : {},
    });
    const remoteAddr = { transport: "tcp", hostname: "192.0.2.20", port: 1 } as const;
    return readAnswer(
      await view(request, new ApiContext(request, { remoteAddr, completed: Promise.resolve() })),
    );
  };
  for (let i = 0; i < 5; i++) {
    ms += 1000;
    assertEquals((await call("Bearer ada")).text, OK);
  }
  ms += 1000;
  const refused = await call("Bearer ada");
  assertEquals(refused.status, 429);
  assertEquals(refused.json, {
    detail: "Request was throttled. Expected available in 55 seconds.",
  });
  assertEquals(refused.headers.get("retry-after"), "55");
  // Another user, and the anonymous client of the same address, count on their own.
  assertEquals((await call("Bearer grace")).status, 200);
  for (let i = 0; i < 3; i++) assertEquals((await call()).status, 200);
  const anonymous = await call();
  assertEquals([anonymous.status, anonymous.headers.get("retry-after")], [429, "60"]);
});

Deno.test("X-Forwarded-For is ignored unless NUM_PROXIES is set", async (t) => {
  for (const env of [{}, { NUM_PROXIES: "0" }] as Record<string, string>[]) {
    await t.step(`with ${JSON.stringify(env)}, a client cannot rename itself`, async () => {
      const { handler, stores } = await service(env);
      await using _ = stores;
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const headers = { "x-forwarded-for": `198.51.100.${i}` };
        statuses.push((await from(handler, "192.0.2.30", { headers })).status);
      }
      assertEquals(statuses, [200, 200, 200, 429]);
    });
  }
  await t.step("with NUM_PROXIES=1, the address the proxy saw is the client", async () => {
    const { handler, stores } = await service({ NUM_PROXIES: "1" });
    await using _ = stores;
    const send = (forwarded: string) =>
      from(handler, "10.0.0.2", { headers: { "x-forwarded-for": forwarded } });
    for (let i = 0; i < 3; i++) assertEquals((await send("198.51.100.7")).status, 200);
    assertEquals((await send("198.51.100.7")).status, 429);
    // What the client wrote before the proxy's entry does not change who it is.
    assertEquals((await send("203.0.113.99, 198.51.100.7")).status, 429);
    assertEquals((await send("198.51.100.8")).status, 200);
  });
  await t.step("with NUM_PROXIES=2, the entry two from the end", async () => {
    const { handler, stores } = await service({ NUM_PROXIES: "2" });
    await using _ = stores;
    const send = (forwarded: string) =>
      from(handler, "10.0.0.2", { headers: { "x-forwarded-for": forwarded } });
    for (let i = 0; i < 3; i++) {
      assertEquals((await send(`203.0.113.${i}, 198.51.100.7, 10.0.0.1`)).status, 200);
    }
    assertEquals((await send("198.51.100.7, 10.0.0.1")).status, 429);
    // No header: the socket's address.
    assertEquals((await from(handler, "10.0.0.2")).status, 200);
  });
});

Deno.test("THROTTLE_STORE=kv counts /throttled in the service's Deno KV", async () => {
  const { handler, stores } = await service({ THROTTLE_STORE: "kv" });
  await using _ = stores;
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await from(handler, "192.0.2.40")).status);
  assertEquals(statuses, [200, 200, 200, 429]);
  const keys = await Array.fromAsync(stores.kv.list({ prefix: ["throttle"] }), (e) => e.key);
  assertEquals(keys, [["throttle", "throttle_anon_192.0.2.40"], [
    "throttle",
    "throttle_user_192.0.2.40",
  ]]);
});

Deno.test({
  name: "THROTTLE_STORE=redis://... counts /throttled in Redis",
  ignore: !REDIS_URL,
  fn: async () => {
    const { handler, stores } = await service({ THROTTLE_STORE: REDIS_URL! });
    await using _ = stores;
    // An address no other run uses, since runs may share the Redis.
    const address = `test-${crypto.randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => from(handler, address)));
    assertEquals(answers.filter((a) => a.status === 200).length, 3);
    assertEquals(answers.filter((a) => a.status === 429).length, 7);
  },
});

Deno.test("loadSettings() reads NUM_PROXIES and THROTTLE_STORE, refusing bad values", () => {
  assertEquals(loadSettings({}).numProxies, null);
  assertEquals(loadSettings({ NUM_PROXIES: "" }).numProxies, null);
  assertEquals(loadSettings({ NUM_PROXIES: "2" }).numProxies, 2);
  assertEquals(loadSettings({}).throttleStore, "memory");
  assertEquals(loadSettings({ THROTTLE_STORE: "kv" }).throttleStore, "kv");
  const redis = "redis://:pw@cache.internal:6380/2";
  assertEquals(loadSettings({ THROTTLE_STORE: redis }).throttleStore, redis);
  for (const bad of ["Memory", "redis://", "http://cache:6379", "redis://h:1/x"]) {
    let message = "";
    try {
      loadSettings({ THROTTLE_STORE: bad });
    } catch (error) {
      message = (error as TypeError).message;
    }
    assertEquals(message, "THROTTLE_STORE must be memory, kv or redis://host:port", bad);
  }
  let message = "";
  try {
    loadSettings({ NUM_PROXIES: "one" });
  } catch (error) {
    message = (error as TypeError).message;
  }
  assertEquals(message, 'NUM_PROXIES must be a whole number, got "one"');
});

Deno.test("GET /throttled authenticates as the service does: Bearer, then Basic, 5 a minute a user", async () => {
  const settings = loadSettings({ ACCESS_LOG: "0", KV_PATH: ":memory:" });
  await using stores = await openStores(settings);
  const auth = authStores(stores, { iterations: 1000 });
  await auth.users.create({ username: "ada", password: "ada's pw" });
  const handler = createHandler(settings, stores);
  const login = await handler(
    new Request(
      "http://localhost/api-token-auth",
      post('{"username":"ada","password":"ada\'s pw"}'),
    ),
  );
  const { token } = (await readAnswer(login)).json as { token: string };
  const bearer = { headers: { authorization: `Bearer ${token}` } };
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await from(handler, "192.0.2.30", bearer)).status);
  assertEquals(statuses, [200, 200, 200, 200, 200, 429]);
  // Basic names the same user, whose five are spent; another client is anonymous and free.
  const basic = { headers: { authorization: `Basic ${btoa("ada:ada's pw")}` } };
  assertEquals((await from(handler, "192.0.2.31", basic)).status, 429);
  assertEquals((await from(handler, "192.0.2.31")).status, 200);
  const wrong = await from(handler, "192.0.2.32", { headers: { authorization: "Bearer nope" } });
  assertEquals([wrong.status, wrong.json], [401, { detail: "Invalid token." }]);
  assertEquals(wrong.headers.get("www-authenticate"), "Bearer");
});
