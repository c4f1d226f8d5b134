/**
 * DRF's `BaseThrottle` and `SimpleRateThrottle`, after
 * `rest_framework/throttling.py`: what every throttle answers, and the
 * sliding log kept per cache key in a {@linkcode ThrottleStore}
 * (`throttle_stores/`): the times of the requests admitted in the last
 * period; a refused request is not recorded.
 *
 * @module
 */

import type { ApiContext } from "./request.ts";
import { parseRate, type Rate, rateOf, type ThrottleRates } from "./_throttle_rates.ts";
import type { ThrottleStore } from "./throttle_stores/store.ts";

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

/** The answer that admits a request (frozen: shared by every admitted request). */
export const ALLOWED: ThrottleDecision = Object.freeze({ allowed: true, wait: null });

/**
 * DRF's `SimpleRateThrottle`: a sliding log per cache key (`cacheKey`, `null`
 * to let the request through unthrottled). Subclass it for a key of your own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { MemoryThrottleStore } from "./throttle_stores/memory.ts";
 * import { SimpleRateThrottle } from "./simple_rate_throttle.ts";
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
