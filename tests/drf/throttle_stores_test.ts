// The three throttle stores: DRF's sliding log, exact under concurrency, and
// what each adds (bounded memory, the KV value limit, Redis outages).
// The Redis tests run when REDIS_URL names one (.ci/run starts it and sets it).

import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { AnonRateThrottle } from "../../middleware/drf/throttling.ts";
import {
  KV_MAX_REQUESTS,
  KvThrottleStore,
  MemoryThrottleStore,
  openThrottleStore,
} from "../../middleware/drf/throttle_stores/mod.ts";
import { RedisThrottleStore } from "../../middleware/drf/throttle_stores/redis.ts";
import { storeContract } from "./_throttle_store_contract.ts";

const REDIS_URL = Deno.env.get("REDIS_URL");
const MINUTE = 60_000;

Deno.test("memory store: DRF's sliding log", (t) => storeContract(t, new MemoryThrottleStore()));

Deno.test("memory store: a key lapses a window after its last admitted request", async () => {
  const store = new MemoryThrottleStore({ sweepIntervalMs: 1_000 });
  await store.hit("a", 5, MINUTE, 0);
  await store.hit("b", 5, 2 * MINUTE, 0);
  assertEquals(store.size, 2);
  // The next hit after the sweep interval sweeps "a" (lapsed at 60 s), not "b".
  await store.hit("c", 5, MINUTE, MINUTE);
  assertEquals(store.size, 2);
  assertEquals(await store.hit("a", 5, MINUTE, MINUTE), { allowed: true, count: 0, oldest: null });
});

Deno.test("memory store: past maxKeys the key admitted longest ago is forgotten", async () => {
  const store = new MemoryThrottleStore({ maxKeys: 3 });
  for (const key of ["a", "b", "c"]) await store.hit(key, 1, MINUTE, 0);
  // "a" is admitted again (refused, so not moved up): "a" is still the oldest.
  assertEquals((await store.hit("a", 1, MINUTE, 1)).allowed, false);
  await store.hit("d", 1, MINUTE, 2);
  assertEquals(store.size, 3);
  assertEquals((await store.hit("b", 1, MINUTE, 3)).allowed, false);
  assertEquals((await store.hit("a", 1, MINUTE, 3)).allowed, true);
});

Deno.test("kv store: DRF's sliding log", async (t) => {
  await using kv = await Deno.openKv(":memory:");
  await storeContract(t, new KvThrottleStore(kv));
});

Deno.test("kv store: two stores on one KV count together", async () => {
  await using kv = await Deno.openKv(":memory:");
  const [one, two] = [new KvThrottleStore(kv), new KvThrottleStore(kv)];
  const hits = await Promise.all(
    Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).hit("k", 30, MINUTE, i)),
  );
  assertEquals(hits.filter((hit) => hit.allowed).length, 30);
});

Deno.test("kv store: hits too many for one commit are split over turns, all decided", async () => {
  await using kv = await Deno.openKv(":memory:");
  // Fourteen nearly full histories of 64 KB: more than one commit may write (800 KiB).
  const nearlyFull = Float64Array.from({ length: KV_MAX_REQUESTS - 1 }, (_, i) => i);
  for (let k = 0; k < 14; k++) await kv.set(["throttle", `k${k}`], nearlyFull);
  const store = new KvThrottleStore(kv);
  const now = KV_MAX_REQUESTS;
  const hits = await Promise.all(
    Array.from({ length: 28 }, (_, i) => store.hit(`k${i % 14}`, KV_MAX_REQUESTS, MINUTE, now)),
  );
  assertEquals(hits.map((hit) => hit.allowed), [...Array(14).fill(true), ...Array(14).fill(false)]);
  for (let k = 0; k < 14; k++) {
    assertEquals(
      (await kv.get<Float64Array>(["throttle", `k${k}`])).value?.length,
      KV_MAX_REQUESTS,
    );
  }
});

Deno.test("kv store: a rate over what one KV value holds is refused clearly", async () => {
  await using kv = await Deno.openKv(":memory:");
  const store = new KvThrottleStore(kv);
  await assertRejects(
    () => store.hit("k", KV_MAX_REQUESTS + 1, MINUTE, 0),
    RangeError,
    "at most 8000 requests a window",
  );
  assertEquals((await store.hit("k", KV_MAX_REQUESTS, MINUTE, 0)).allowed, true);
  // A throttle says so when it is made, not at its first request.
  assertThrows(
    () => new AnonRateThrottle({ rate: "8001/hour", store }),
    RangeError,
    "A rate of 8001 is more than this store holds (8000)",
  );
  new AnonRateThrottle({ rate: "8000/hour", store });
});

Deno.test("openThrottleStore() refuses an unknown store without echoing it", async () => {
  await using kv = await Deno.openKv(":memory:");
  const error = await assertRejects(() => openThrottleStore("memcached://secret@x", kv), TypeError);
  assertEquals(error.message.includes("secret"), false);
});

Deno.test({
  name: "redis store: DRF's sliding log",
  ignore: !REDIS_URL,
  fn: async (t) => {
    const store = await RedisThrottleStore.connect(REDIS_URL!, { prefix: prefix() });
    try {
      await storeContract(t, store);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "redis store: two connections hitting one key at once admit exactly the limit",
  ignore: !REDIS_URL,
  fn: async () => {
    const options = { prefix: prefix() };
    const one = await RedisThrottleStore.connect(REDIS_URL!, options);
    const two = await RedisThrottleStore.connect(REDIS_URL!, options);
    try {
      const hits = await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? one : two).hit("k", 100, MINUTE, i)),
      );
      assertEquals(hits.filter((hit) => hit.allowed).length, 100);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  },
});

Deno.test({
  name: "redis store: a Redis that forgot the script (restarted, flushed) is sent it again",
  ignore: !REDIS_URL,
  fn: async () => {
    const { createClient } = await import("redis");
    const admin = createClient({ url: REDIS_URL, maintNotifications: "disabled" });
    await admin.connect();
    const store = await RedisThrottleStore.connect(REDIS_URL!, { prefix: prefix() });
    try {
      assertEquals((await store.hit("k", 2, MINUTE, 0)).allowed, true);
      await admin.sendCommand(["SCRIPT", "FLUSH"]);
      assertEquals(await store.hit("k", 2, MINUTE, 1), { allowed: true, count: 1, oldest: 0 });
    } finally {
      await Promise.all([store.close(), admin.close()]);
    }
  },
});

Deno.test({
  name: "redis store: an unreachable Redis fails at once, without its URL in the error",
  ignore: !REDIS_URL,
  fn: async () => {
    // A port nothing listens on: the one a just-closed listener had.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const error = await assertRejects(
      () => RedisThrottleStore.connect(`redis://:hunter2@127.0.0.1:${port}`),
      Error,
      "Redis throttle store: ",
    );
    assertEquals(error.message.includes("hunter2"), false);
  },
});

// Keys of this run only: other runs may share the Redis.
function prefix(): string {
  return `test:${crypto.randomUUID()}:`;
}
