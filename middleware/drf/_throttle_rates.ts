// The small pieces of DRF's throttling.py every throttle shares: finding and
// reading a rate (SimpleRateThrottle.get_rate, parse_rate) and naming the
// client (BaseThrottle.get_ident), the latter without DRF's trust in
// X-Forwarded-For.

import type { ApiContext } from "./request.ts";

/** A parsed rate: `numRequests` in every `duration` seconds. */
export interface Rate {
  /** How many requests a window admits. */
  readonly numRequests: number;
  /** The window, in seconds. */
  readonly duration: number;
}

/** DRF's `DEFAULT_THROTTLE_RATES`: a rate (`"100/day"`) by scope; `null` for no limit. */
export type ThrottleRates = Readonly<Record<string, string | null>>;

/** DRF's `ImproperlyConfigured`: a throttle without a rate it can find. */
export class ImproperlyConfigured extends Error {
  override name = "ImproperlyConfigured";
}

const PERIODS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * DRF's `parse_rate`: `"N/period"`, where only the period's first letter
 * counts (`s`, `m`, `h`, `d`: `"5/minute"` is `"5/m"`); `null` for no limit.
 * Throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { parseRate } from "./throttling.ts";
 * assertEquals(parseRate("5/minute"), { numRequests: 5, duration: 60 });
 * assertEquals(parseRate("100/d"), { numRequests: 100, duration: 86400 });
 * assertEquals(parseRate(null), null);
 * assertThrows(() => parseRate("5/fortnight"), TypeError);
 * ```
 */
export function parseRate(rate: string | null): Rate | null {
  if (rate === null) return null;
  const match = /^\s*(\d+)\s*\/(.)/.exec(rate);
  const duration = match ? PERIODS[match[2]] : undefined;
  if (!match || duration === undefined || rate.indexOf("/") !== rate.lastIndexOf("/")) {
    throw new TypeError(
      `Invalid throttle rate "${rate}": a number of requests, "/" and a period ` +
        `starting with s, m, h or d, as "100/day"`,
    );
  }
  return { numRequests: Number(match[1]), duration };
}

/** DRF's `get_rate`: the scope's rate, or DRF's `ImproperlyConfigured` messages. */
export function rateOf(
  throttle: string,
  scope: string | undefined,
  rates: ThrottleRates | undefined,
): string | null {
  if (!scope) {
    throw new ImproperlyConfigured(
      `You must set either \`.scope\` or \`.rate\` for '${throttle}' throttle`,
    );
  }
  if (!rates || !Object.hasOwn(rates, scope)) {
    throw new ImproperlyConfigured(`No default throttle rate set for '${scope}' scope`);
  }
  return rates[scope];
}

// An address is at most 45 characters (IPv6 holding IPv4); a longer "address"
// from a header is cut, so that a key stays small in every store.
const MAX_IDENT = 100;

/**
 * DRF's `get_ident`: who the client is, for throttling. The socket's address,
 * unless the `NUM_PROXIES` setting says how many proxies stand in front: then
 * the address the first of them saw, from `X-Forwarded-For` (its entry that
 * many from the end). Unlike DRF, an unset `NUM_PROXIES` ignores the header:
 * DRF's default trusts all of it, so a client could name itself anew on every
 * request and never be throttled. `""` when there is no socket (a request
 * made in-process).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "./request.ts";
 * import { loadSettings } from "../http/settings.ts";
 * import { clientIdent } from "./throttling.ts";
 * const request = new Request("http://x/", { headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.7" } });
 * const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.2", port: 4711 }, completed: Promise.resolve() } as const;
 * assertEquals(clientIdent(request, new ApiContext(request, info)), "10.0.0.2");
 * const proxied = new ApiContext(request, info, loadSettings({ NUM_PROXIES: "1" }));
 * assertEquals(clientIdent(request, proxied), "203.0.113.7");
 * ```
 */
export function clientIdent(request: Request, context: ApiContext): string {
  const numProxies = context.settings.numProxies;
  const forwarded = numProxies ? request.headers.get("x-forwarded-for") : null;
  if (forwarded !== null) {
    const addresses = forwarded.split(",");
    const client = addresses[addresses.length - Math.min(numProxies!, addresses.length)].trim();
    // An empty entry names nobody: the socket's address stands.
    if (client !== "") return client.slice(0, MAX_IDENT);
  }
  const remote = context.info?.remoteAddr;
  return remote && "hostname" in remote ? remote.hostname : "";
}
