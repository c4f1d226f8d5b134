// DRF's throttles on an injected clock: rates, the sliding window and its
// wait, anonymous, user and scoped throttles, and what the dispatch makes of
// them (every throttle consulted, the longest wait, 429 with Retry-After).

import { assertEquals, assertThrows } from "@std/assert";
import {
  AnonRateThrottle,
  ApiContext,
  apiView,
  type Authenticator,
  ImproperlyConfigured,
  parseRate,
  ScopedRateThrottle,
  SimpleRateThrottle,
  type Throttle,
  UserRateThrottle,
} from "../../middleware/drf/mod.ts";
import { captureConsole, readAnswer } from "../../middleware/drf/test.ts";
import { MemoryThrottleStore } from "../../middleware/drf/throttle_stores/mod.ts";

// A clock the test moves: seconds since some start, as ms.
function clock() {
  let ms = 1_700_000_000_000;
  return { now: () => ms, at: (seconds: number) => ms = 1_700_000_000_000 + seconds * 1000 };
}

const ADA = { username: "ada", isAuthenticated: true, isStaff: false, isActive: true };
// Recognises `Authorization: Test <name>` as that user.
const testAuth: Authenticator = {
  authenticate: async (request) => {
    const name = /^Test (\w+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    return name ? [{ ...ADA, username: name }, null] : null;
  },
};

function view(throttles: Throttle[], throttleScope?: string) {
  const handler = apiView(["GET"], async () => ({ status: "ok" }), {
    authentication: [testAuth],
    throttles,
    throttleScope,
  });
  return async (init: { method?: string; user?: string; from?: string } = {}) => {
    const headers: Record<string, string> = init.user ? { authorization: `Test ${init.user}` } : {};
    const request = new Request("http://x/view", { method: init.method ?? "GET", headers });
    const remoteAddr = {
      transport: "tcp",
      hostname: init.from ?? "192.0.2.1",
      port: 4000,
    } as const;
    const context = new ApiContext(request, { remoteAddr, completed: Promise.resolve() });
    return readAnswer(await handler(request, context));
  };
}

Deno.test("parseRate() takes N/s|m|h|d, only the period's first letter counting", () => {
  assertEquals(parseRate("5/s"), { numRequests: 5, duration: 1 });
  assertEquals(parseRate("5/minute"), parseRate("5/m"));
  assertEquals(parseRate("5/min"), { numRequests: 5, duration: 60 });
  assertEquals(parseRate("10/hour"), { numRequests: 10, duration: 3600 });
  assertEquals(parseRate("1000/day"), { numRequests: 1000, duration: 86400 });
  assertEquals(parseRate("0/d"), { numRequests: 0, duration: 86400 });
  assertEquals(parseRate(null), null);
  for (const bad of ["5", "5/", "/m", "x/m", "5/week", "5/M", "5/m/h", "-1/m", "5.5/m"]) {
    assertThrows(() => parseRate(bad), TypeError, "Invalid throttle rate", bad);
  }
});

Deno.test("a rate comes from `rate`, else from `rates` by scope, with DRF's errors", () => {
  const store = new MemoryThrottleStore();
  assertEquals(new AnonRateThrottle({ store, rate: "2/h" }).rate, parseRate("2/h"));
  assertEquals(new AnonRateThrottle({ store, rates: { anon: "3/m" } }).rate, parseRate("3/m"));
  assertEquals(new UserRateThrottle({ store, rates: { user: null } }).rate, null);
  assertEquals(
    new UserRateThrottle({ store, scope: "burst", rates: { burst: "9/s" } }).scope,
    "burst",
  );
  assertThrows(
    () => new AnonRateThrottle({ store, rates: { user: "1/s" } }),
    ImproperlyConfigured,
    "No default throttle rate set for 'anon' scope",
  );
  class IpThrottle extends SimpleRateThrottle {
    cacheKey = () => "ip";
  }
  assertThrows(
    () => new IpThrottle({ store }),
    ImproperlyConfigured,
    "You must set either `.scope` or `.rate` for 'IpThrottle' throttle",
  );
});

Deno.test("the sliding window: the 4th request in a minute waits for the 1st to leave", async () => {
  const { now, at } = clock();
  const call = view([
    new AnonRateThrottle({ rate: "3/min", store: new MemoryThrottleStore(), now }),
  ]);
  for (const second of [0, 10, 20]) {
    at(second);
    assertEquals((await call()).status, 200, `at ${second} s`);
  }
  at(25);
  const refused = await call();
  assertEquals(refused.status, 429);
  assertEquals(
    refused.text,
    '{"detail":"Request was throttled. Expected available in 35 seconds."}',
  );
  assertEquals(refused.headers.get("retry-after"), "35");
  at(59.5);
  const almost = await call();
  assertEquals(almost.json, { detail: "Request was throttled. Expected available in 1 second." });
  assertEquals(almost.headers.get("retry-after"), "1");
  // The request at 0 s leaves the window at 60 s; those at 10 and 20 s stay.
  at(60);
  assertEquals((await call()).status, 200);
  at(61);
  assertEquals((await call()).headers.get("retry-after"), "9");
});

Deno.test("a refused request is not recorded: refusals never push the window on", async () => {
  const { now, at } = clock();
  const call = view([
    new AnonRateThrottle({ rate: "1/min", store: new MemoryThrottleStore(), now }),
  ]);
  at(0);
  await call();
  for (let second = 1; second < 60; second++) {
    at(second);
    assertEquals((await call()).status, 429);
  }
  at(60);
  assertEquals((await call()).status, 200);
});

Deno.test("anon throttles count anonymous requests by address; users are not theirs", async () => {
  const { now } = clock();
  const call = view([
    new AnonRateThrottle({ rate: "1/min", store: new MemoryThrottleStore(), now }),
  ]);
  assertEquals((await call({ from: "192.0.2.1" })).status, 200);
  assertEquals((await call({ from: "192.0.2.1" })).status, 429);
  assertEquals((await call({ from: "192.0.2.2" })).status, 200);
  for (let i = 0; i < 5; i++) assertEquals((await call({ user: "ada" })).status, 200);
});

Deno.test("user throttles count a user wherever it comes from, anonymous ones by address", async () => {
  const { now } = clock();
  const store = new MemoryThrottleStore();
  const call = view([new UserRateThrottle({ rate: "2/min", store, now })]);
  assertEquals((await call({ user: "ada", from: "192.0.2.1" })).status, 200);
  assertEquals((await call({ user: "ada", from: "192.0.2.2" })).status, 200);
  assertEquals((await call({ user: "ada", from: "192.0.2.3" })).status, 429);
  assertEquals((await call({ user: "grace", from: "192.0.2.1" })).status, 200);
  // The anonymous client of 192.0.2.1 has a history of its own.
  assertEquals((await call({ from: "192.0.2.1" })).status, 200);
  assertEquals((await call({ from: "192.0.2.1" })).status, 200);
  assertEquals((await call({ from: "192.0.2.1" })).status, 429);
});

Deno.test("scoped throttles apply the view's scope's rate, each scope apart", async () => {
  const { now } = clock();
  const scoped = new ScopedRateThrottle({
    rates: { uploads: "1/day", contacts: "2/day" },
    store: new MemoryThrottleStore(),
    now,
  });
  const uploads = view([scoped], "uploads");
  const contacts = view([scoped], "contacts");
  const open = view([scoped]);
  assertEquals((await uploads()).status, 200);
  const refused = await uploads();
  assertEquals(refused.status, 429);
  assertEquals(refused.headers.get("retry-after"), "86400");
  assertEquals((await contacts()).status, 200);
  assertEquals((await contacts()).status, 200);
  assertEquals((await contacts()).status, 429);
  for (let i = 0; i < 5; i++) assertEquals((await open()).status, 200);
  // A user is counted apart from the anonymous client of the same address.
  assertEquals((await uploads({ user: "ada" })).status, 200);
  // A scope without a rate is the service's mistake: a 500, logged.
  const logged = await captureConsole(async () => {
    assertEquals((await view([scoped], "nope")()).status, 500);
  });
  assertEquals(String(logged[0]).includes("No default throttle rate set for 'nope' scope"), true);
});

Deno.test("every throttle is consulted and the longest wait wins, in either order", async () => {
  for (const order of ["short first", "long first"]) {
    const { now, at } = clock();
    const store = new MemoryThrottleStore();
    const short = new AnonRateThrottle({ rate: "1/s", store, now });
    const long = new UserRateThrottle({ rate: "2/min", store, now });
    const call = view(order === "short first" ? [short, long] : [long, short]);
    at(0);
    assertEquals((await call()).status, 200);
    // Refused by the 1/s throttle; the 2/min one still admits, and records it.
    at(0.5);
    assertEquals((await call()).headers.get("retry-after"), "1", order);
    at(0.6);
    const refused = await call();
    assertEquals(refused.headers.get("retry-after"), "60", order);
    assertEquals(refused.json, {
      detail: "Request was throttled. Expected available in 60 seconds.",
    });
  }
});

Deno.test("a window fuller than its rate (the rate was lowered) refuses without a wait", async () => {
  const { now } = clock();
  const store = new MemoryThrottleStore();
  const before = view([new AnonRateThrottle({ rate: "3/min", store, now })]);
  for (let i = 0; i < 3; i++) await before();
  const after = await view([new AnonRateThrottle({ rate: "2/min", store, now })])();
  // DRF's wait() is None then: no time promised, no Retry-After.
  assertEquals([after.status, after.json], [429, { detail: "Request was throttled." }]);
  assertEquals(after.headers.get("retry-after"), null);
});

Deno.test("a throttled client gets 429 before any 405, and HEAD and OPTIONS count", async () => {
  const { now } = clock();
  const call = view([
    new AnonRateThrottle({ rate: "4/min", store: new MemoryThrottleStore(), now }),
  ]);
  assertEquals((await call({ method: "POST" })).status, 405);
  assertEquals((await call({ method: "HEAD" })).status, 200);
  assertEquals((await call({ method: "OPTIONS" })).status, 200);
  assertEquals((await call()).status, 200);
  const refused = await call({ method: "POST" });
  assertEquals(refused.status, 429);
  assertEquals(refused.headers.get("allow"), "GET, HEAD, OPTIONS");
  assertEquals((await call({ method: "OPTIONS" })).status, 429);
});
