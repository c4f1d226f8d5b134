/**
 * What a throttle keeps its history in: DRF's cache, reduced to the one
 * operation `SimpleRateThrottle.allow_request` does on it, made atomic.
 *
 * @module
 */

/** What {@linkcode ThrottleStore.hit} found, and whether it recorded the request. */
export interface ThrottleHit {
  /** Whether the request was admitted, and so recorded. */
  readonly allowed: boolean;
  /** How many requests the window held before this one (DRF's `len(self.history)`). */
  readonly count: number;
  /** The time (ms) of the oldest request still in the window; `null` when empty. */
  readonly oldest: number | null;
}

/**
 * The history of each throttle key (DRF's `throttle_<scope>_<ident>`), as
 * DRF's sliding log: the times of the requests admitted in the last
 * `durationMs`.
 *
 * `hit` is one atomic step, never a read then a write: forget the key's
 * entries at or before `now - durationMs`; if fewer than `limit` remain,
 * record `now` and admit, else refuse without recording. Two processes on one
 * store never admit more than `limit` between them.
 */
export interface ThrottleStore {
  /** Admit and record a request at `now` (ms) if the key's window has room. */
  hit(key: string, limit: number, durationMs: number, now: number): Promise<ThrottleHit>;
  /** Let go of what the store holds (a connection); the store is not used after. */
  close(): Promise<void>;
  /** The most requests a window may hold here, when the store has a limit. */
  readonly maxRequests?: number;
}
