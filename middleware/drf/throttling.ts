/**
 * Throttling, after DRF's `rest_framework/throttling.py`: how often a client
 * may call a view.
 *
 * @module
 */

import type { ApiContext } from "./request.ts";

/** A throttle's answer: admitted, or refused with the seconds until it would not be. */
export interface ThrottleDecision {
  /** Whether the request is admitted (and recorded). */
  readonly allowed: boolean;
  /** For a refused request, seconds until it would be admitted; `null` when unknown. */
  readonly wait: number | null;
}

/**
 * A throttle, as DRF's `BaseThrottle` (`allow_request` and `wait` in one
 * answer, since one throttle serves many requests at once).
 */
export interface Throttle {
  /** Admit the request, recording it, or refuse it with a wait. */
  allowRequest(request: Request, context: ApiContext): Promise<ThrottleDecision>;
}
