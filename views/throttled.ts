/**
 * `/throttled`: a view that anyone may call, but only so often: 3 a minute
 * anonymously (by client address), 5 a minute as a user. Past that, `429`
 * with `Retry-After`.
 *
 * @module
 */

import {
  AnonRateThrottle,
  apiView,
  type Authenticator,
  type Handler,
  type ThrottleRates,
  type ThrottleStore,
  UserRateThrottle,
} from "../middleware/drf/mod.ts";

/** The view's rates, by DRF's scopes. */
export const THROTTLED_RATES: ThrottleRates = { anon: "3/min", user: "5/min" };

/** What {@linkcode throttledView} is made of. */
export interface ThrottledViewOptions {
  /** Who is asking: Bearer, then Basic, in the service. */
  readonly authentication: readonly Authenticator[];
  /** Where the throttles keep their history. */
  readonly store: ThrottleStore;
  /** The throttles' clock (ms); `Date.now` by default. */
  readonly now?: () => number;
  /** Other rates (benchmarks); {@linkcode THROTTLED_RATES} by default. */
  readonly rates?: ThrottleRates;
}

/**
 * Make `/throttled`: GET answers `{"status":"ok"}` to anyone (DRF's
 * `AllowAny`, i.e. no permission to check), throttled by `AnonRateThrottle`
 * and `UserRateThrottle`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { callView } from "../middleware/drf/test.ts";
 * import { MemoryThrottleStore } from "../middleware/drf/throttle_stores/memory.ts";
 * import { throttledView } from "./throttled.ts";
 * const view = throttledView({ authentication: [], store: new MemoryThrottleStore(), now: () => 0 });
 * for (let i = 0; i < 3; i++) assertEquals((await callView(view)).status, 200);
 * const refused = await callView(view);
 * assertEquals(refused.status, 429);
 * assertEquals(refused.headers.get("retry-after"), "60");
 * ```
 */
export function throttledView(options: ThrottledViewOptions): Handler {
  const { store, now, rates = THROTTLED_RATES } = options;
  return apiView(["GET"], async function throttled() {
    return { status: "ok" };
  }, {
    authentication: options.authentication,
    // AllowAny: DRF's AllowAny admits every request, as no permission at all does.
    permissions: [],
    throttles: [
      new AnonRateThrottle({ rates, store, now }),
      new UserRateThrottle({ rates, store, now }),
    ],
  });
}
