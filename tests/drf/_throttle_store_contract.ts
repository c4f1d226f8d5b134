// What every throttle store must do, run against each: DRF's sliding log on
// one key, exact under concurrency.

import { assertEquals } from "@std/assert";
import type { ThrottleStore } from "../../middleware/drf/throttle_stores/store.ts";

const MINUTE = 60_000;
// Far from 0, as real clocks are, so that a store cannot lean on zeros.
const T0 = 1_700_000_000_000;

/** Steps that hold for any store, each on fresh keys of `store`. */
export async function storeContract(t: Deno.TestContext, store: ThrottleStore): Promise<void> {
  const key = () => `throttle_test_${crypto.randomUUID()}`;

  await t.step(
    "admits up to the limit, then refuses with the count and the oldest time",
    async () => {
      const k = key();
      assertEquals(await store.hit(k, 2, MINUTE, T0), { allowed: true, count: 0, oldest: null });
      assertEquals(await store.hit(k, 2, MINUTE, T0 + 500), {
        allowed: true,
        count: 1,
        oldest: T0,
      });
      assertEquals(await store.hit(k, 2, MINUTE, T0 + 900), {
        allowed: false,
        count: 2,
        oldest: T0,
      });
    },
  );

  await t.step("an entry leaves the window exactly one duration after it", async () => {
    const k = key();
    await store.hit(k, 1, MINUTE, T0);
    assertEquals((await store.hit(k, 1, MINUTE, T0 + MINUTE - 1)).allowed, false);
    assertEquals(await store.hit(k, 1, MINUTE, T0 + MINUTE), {
      allowed: true,
      count: 0,
      oldest: null,
    });
  });

  await t.step("a refused request is not recorded", async () => {
    const k = key();
    await store.hit(k, 1, MINUTE, T0);
    for (let s = 1; s < 60; s += 10) {
      assertEquals((await store.hit(k, 1, MINUTE, T0 + s * 1000)).allowed, false);
    }
    // Had the refusals been recorded, the window would still be full.
    assertEquals((await store.hit(k, 1, MINUTE, T0 + MINUTE)).allowed, true);
  });

  await t.step("keys are counted apart", async () => {
    const [a, b] = [key(), key()];
    assertEquals((await store.hit(a, 1, MINUTE, T0)).allowed, true);
    assertEquals((await store.hit(b, 1, MINUTE, T0)).allowed, true);
    assertEquals((await store.hit(a, 1, MINUTE, T0)).allowed, false);
  });

  await t.step("two requests in one millisecond are two entries", async () => {
    const k = key();
    await store.hit(k, 3, MINUTE, T0);
    await store.hit(k, 3, MINUTE, T0);
    assertEquals(await store.hit(k, 3, MINUTE, T0), { allowed: true, count: 2, oldest: T0 });
  });

  await t.step("200 hits at once on one key admit exactly the limit", async () => {
    const k = key();
    const hits = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.hit(k, 50, MINUTE, T0 + i)),
    );
    assertEquals(hits.filter((hit) => hit.allowed).length, 50);
  });
}
