/**
 * Throttling, after DRF's `rest_framework/throttling.py`: how often a client
 * may call a view. `AnonRateThrottle`, `UserRateThrottle` and
 * `ScopedRateThrottle` keep DRF's sliding log ({@linkcode SimpleRateThrottle},
 * in `simple_rate_throttle.ts`) by client address, by user, or by the
 * view's scope.
 *
 * @module
 */

import type { ApiContext } from "./request.ts";
import { clientIdent, rateOf } from "./_throttle_rates.ts";
import {
  ALLOWED,
  type RateThrottleOptions,
  SimpleRateThrottle,
  type Throttle,
  type ThrottleDecision,
  type ThrottledView,
} from "./simple_rate_throttle.ts";

export {
  clientIdent,
  ImproperlyConfigured,
  parseRate,
  type Rate,
  type ThrottleRates,
} from "./_throttle_rates.ts";
export {
  type RateThrottleOptions,
  SimpleRateThrottle,
  type Throttle,
  type ThrottleDecision,
  type ThrottledView,
} from "./simple_rate_throttle.ts";

/**
 * DRF's `AnonRateThrottle`: anonymous requests only, by client address
 * (scope `anon`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { MemoryThrottleStore } from "./throttle_stores/memory.ts";
 * import { AnonRateThrottle } from "./throttling.ts";
 * let now = 0;
 * const throttle = new AnonRateThrottle({ rate: "1/min", store: new MemoryThrottleStore(), now: () => now });
 * const request = new Request("http://x/");
 * assertEquals(await throttle.allowRequest(request, new ApiContext(request)), { allowed: true, wait: null });
 * now = 15_000;
 * assertEquals(await throttle.allowRequest(request, new ApiContext(request)), { allowed: false, wait: 45 });
 * ```
 */
export class AnonRateThrottle extends SimpleRateThrottle {
  /** A throttle of scope `anon` unless `options.scope` says otherwise. */
  constructor(options: RateThrottleOptions) {
    super(options, "anon");
  }

  /** `throttle_anon_<address>`, or `null` for an authenticated user. */
  cacheKey(request: Request, context: ApiContext): string | null {
    if (context.user.isAuthenticated) return null;
    return `throttle_${this.scope}_${clientIdent(request, context)}`;
  }
}

/**
 * DRF's `UserRateThrottle`: by user when authenticated, else by client
 * address (scope `user`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { MemoryThrottleStore } from "./throttle_stores/memory.ts";
 * import { UserRateThrottle } from "./throttling.ts";
 * const throttle = new UserRateThrottle({ rates: { user: "1000/day" }, store: new MemoryThrottleStore() });
 * const request = new Request("http://x/");
 * const context = new ApiContext(request);
 * context.user = { username: "ada", isAuthenticated: true, isStaff: false, isActive: true };
 * assertEquals(throttle.cacheKey(request, context), "throttle_user_ada");
 * ```
 */
export class UserRateThrottle extends SimpleRateThrottle {
  /** A throttle of scope `user` unless `options.scope` says otherwise. */
  constructor(options: RateThrottleOptions) {
    super(options, "user");
  }

  /** `throttle_user_<user id>`, or `throttle_user_<address>` for an anonymous user. */
  cacheKey(request: Request, context: ApiContext): string {
    return `throttle_${this.scope}_${ident(request, context)}`;
  }
}

/** Options of {@linkcode ScopedRateThrottle}: its rates come from the view's scope. */
export type ScopedRateThrottleOptions = Omit<RateThrottleOptions, "rate" | "scope">;

/**
 * DRF's `ScopedRateThrottle`: the view names its scope (`throttleScope`), and
 * the rate is `rates[scope]`, counted by user or address per scope. A view
 * without a scope is not throttled by it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { MemoryThrottleStore } from "./throttle_stores/memory.ts";
 * import { ScopedRateThrottle } from "./throttling.ts";
 * const throttle = new ScopedRateThrottle({ rates: { uploads: "1/day" }, store: new MemoryThrottleStore() });
 * const request = new Request("http://x/");
 * const view = { throttleScope: "uploads" };
 * assertEquals((await throttle.allowRequest(request, new ApiContext(request), view)).allowed, true);
 * assertEquals((await throttle.allowRequest(request, new ApiContext(request), view)).allowed, false);
 * assertEquals((await throttle.allowRequest(request, new ApiContext(request), {})).allowed, true);
 * ```
 */
export class ScopedRateThrottle implements Throttle {
  readonly #options: ScopedRateThrottleOptions;
  // One rate throttle per scope seen, made on first use as DRF does per request.
  readonly #byScope = new Map<string, UserRateThrottle>();

  /** A throttle over the rates of every scope its views may name. */
  constructor(options: ScopedRateThrottleOptions) {
    this.#options = options;
  }

  /** Throttle by the view's scope; admit when it has none. */
  async allowRequest(
    request: Request,
    context: ApiContext,
    view?: ThrottledView,
  ): Promise<ThrottleDecision> {
    const scope = view?.throttleScope;
    if (!scope) return ALLOWED;
    let throttle = this.#byScope.get(scope);
    if (!throttle) {
      const rate = rateOf(this.constructor.name, scope, this.#options.rates);
      throttle = new UserRateThrottle({ ...this.#options, scope, rate });
      this.#byScope.set(scope, throttle);
    }
    return await throttle.allowRequest(request, context);
  }
}

// DRF uses the user's pk; a user here is known by its id when it has one,
// else by its username (unique, as Django's).
function ident(request: Request, context: ApiContext): string {
  const user = context.user;
  if (!user.isAuthenticated) return clientIdent(request, context);
  const id = (user as { readonly id?: string | number }).id;
  return String(id ?? user.username);
}
