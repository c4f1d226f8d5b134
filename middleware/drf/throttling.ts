/**
 * Throttling, after DRF's `rest_framework/throttling.py`: how often a client
 * may call a view. `AnonRateThrottle`, `UserRateThrottle` and
 * `ScopedRateThrottle` keep DRF's sliding log in a {@linkcode ThrottleStore}
 * (`throttle_stores/`): the times of the requests admitted in the last
 * period; a refused request is not recorded.
 *
 * @module
 */

import type { ApiContext } from "./request.ts";
import {
  clientIdent,
  parseRate,
  type Rate,
  rateOf,
  type ThrottleRates,
} from "./_throttle_rates.ts";
import type { ThrottleStore } from "./throttle_stores/store.ts";

export {
  clientIdent,
  ImproperlyConfigured,
  parseRate,
  type Rate,
  type ThrottleRates,
} from "./_throttle_rates.ts";

/** A throttle's answer: admitted, or refused with the seconds until it would not be. */
export interface ThrottleDecision {
  /** Whether the request is admitted (and recorded). */
  readonly allowed: boolean;
  /** For a refused request, seconds until it would be admitted; `null` when unknown. */
  readonly wait: number | null;
}

/** What a throttle may know of the view it guards (DRF passes the view). */
export interface ThrottledView {
  /** DRF's `throttle_scope`: the rate {@linkcode ScopedRateThrottle} applies. */
  readonly throttleScope?: string;
}

/**
 * A throttle, as DRF's `BaseThrottle` (`allow_request` and `wait` in one
 * answer, since one throttle serves many requests at once).
 */
export interface Throttle {
  /** Admit the request, recording it, or refuse it with a wait. */
  allowRequest(
    request: Request,
    context: ApiContext,
    view?: ThrottledView,
  ): Promise<ThrottleDecision>;
}

/** Options of the rate throttles: DRF's class attributes and settings, as values. */
export interface RateThrottleOptions {
  /** Where the history lives (`memory`, `kv` or `redis` in `throttle_stores/`). */
  readonly store: ThrottleStore;
  /** DRF's `rate`, e.g. `"5/min"`; `null` for no limit. Wins over `rates`. */
  readonly rate?: string | null;
  /** DRF's `scope`: names the rate in `rates` and the keys; `anon` or `user` by default. */
  readonly scope?: string;
  /** DRF's `DEFAULT_THROTTLE_RATES`, read when `rate` is not given. */
  readonly rates?: ThrottleRates;
  /** The clock, in ms since the epoch (DRF's `timer`); `Date.now` by default. */
  readonly now?: () => number;
}

const ALLOWED: ThrottleDecision = Object.freeze({ allowed: true, wait: null });

/**
 * DRF's `SimpleRateThrottle`: a sliding log per cache key (`cacheKey`, `null`
 * to let the request through unthrottled). Subclass it for a key of your own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { MemoryThrottleStore } from "./throttle_stores/memory.ts";
 * import { SimpleRateThrottle } from "./throttling.ts";
 * // Everyone together: one history for the whole view.
 * class GlobalThrottle extends SimpleRateThrottle {
 *   cacheKey() {
 *     return `throttle_${this.scope}`;
 *   }
 * }
 * const throttle = new GlobalThrottle({ scope: "global", rates: { global: "1/s" }, store: new MemoryThrottleStore(), now: () => 0 });
 * const request = new Request("http://x/");
 * assertEquals((await throttle.allowRequest(request, new ApiContext(request))).allowed, true);
 * assertEquals(await throttle.allowRequest(request, new ApiContext(request)), { allowed: false, wait: 1 });
 * ```
 */
export abstract class SimpleRateThrottle implements Throttle {
  /** DRF's `scope`. */
  readonly scope: string | undefined;
  /** The rate in force, parsed; `null` for no limit. */
  readonly rate: Rate | null;
  /** The store the history lives in. */
  protected readonly store: ThrottleStore;
  /** The clock, in ms. */
  protected readonly now: () => number;

  /** Resolve the rate as DRF's `__init__`: `rate`, else `rates[scope]`. */
  constructor(options: RateThrottleOptions, defaultScope?: string) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.scope = options.scope ?? defaultScope;
    this.rate = options.rate !== undefined
      ? parseRate(options.rate)
      : parseRate(rateOf(this.constructor.name, this.scope, options.rates));
    const most = this.store.maxRequests;
    if (this.rate && most !== undefined && this.rate.numRequests > most) {
      throw new RangeError(
        `A rate of ${this.rate.numRequests} is more than this store holds (${most})`,
      );
    }
  }

  /** The key of the request's history, DRF's `throttle_<scope>_<ident>`; `null` for none. */
  abstract cacheKey(request: Request, context: ApiContext, view?: ThrottledView): string | null;

  /** DRF's `allow_request`, with its `wait` when refused. */
  allowRequest(
    request: Request,
    context: ApiContext,
    view?: ThrottledView,
  ): Promise<ThrottleDecision> {
    if (this.rate === null) return Promise.resolve(ALLOWED);
    const key = this.cacheKey(request, context, view);
    return key === null ? Promise.resolve(ALLOWED) : this.hit(key, this.rate);
  }

  /** Record a request on `key` if the window has room, else the wait DRF computes. */
  protected async hit(key: string, rate: Rate): Promise<ThrottleDecision> {
    const now = this.now();
    const { numRequests, duration } = rate;
    const found = await this.store.hit(key, numRequests, duration * 1000, now);
    if (found.allowed) return ALLOWED;
    // DRF's wait(): the time until the oldest entry leaves the window, shared
    // among the requests left (one, unless the rate was lowered).
    const remaining = found.oldest === null ? duration : duration - (now - found.oldest) / 1000;
    const available = numRequests - found.count + 1;
    return { allowed: false, wait: available <= 0 ? null : remaining / available };
  }
}

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
