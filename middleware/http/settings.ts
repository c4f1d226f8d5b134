/**
 * The service's settings, after Django's `settings.py`: parsed from the
 * environment's variables, which `main.ts` alone reads and hands in, so that a
 * test builds a service with other settings without touching `Deno.env`.
 *
 * @module
 */

/** Every setting, with its environment variable in the comment. */
export interface Settings {
  /** `HOST`: the address `deno task start` listens on. */
  readonly host: string;
  /** `PORT`: the port `deno task start` listens on. */
  readonly port: number;
  /** `MAX_BODY_BYTES`: the largest request body taken, as Django's 2.5 MiB. */
  readonly maxBodyBytes: number;
  /** `REQUEST_TIMEOUT_MS`: a view's deadline unless it sets its own; 0 for none. */
  readonly requestTimeoutMs: number;
  /** `SHUTDOWN_GRACE_MS`: how long requests in flight may finish after SIGINT/SIGTERM. */
  readonly shutdownGraceMs: number;
  /** `ACCESS_LOG`: one line a request to stdout, unless `0`, `false` or `off`. */
  readonly accessLog: boolean;
  /** `MAX_IN_FLIGHT`: requests served at once before new ones get 503; 0 for no limit. */
  readonly maxInFlight: number;
  /** `BODY_IDLE_TIMEOUT_MS`: the longest wait for the next byte of a body (408 past it). */
  readonly bodyIdleTimeoutMs: number;
  /** `MAX_JSON_DEPTH`: the deepest nesting a JSON body may have (400 past it). */
  readonly maxJsonDepth: number;
  /** `KV_PATH`: the Deno KV file the service keeps its data in; `:memory:` for none on disk. */
  readonly kvPath: string;
  /**
   * `PUBLIC_URL`: where clients reach the service (e.g. `https://api.example.com`),
   * which pagination links start from; `""` for relative links. Never taken
   * from the `Host` header.
   */
  readonly publicUrl: string;
  /**
   * `NUM_PROXIES`: how many proxies stand in front, so that throttles take the
   * client from `X-Forwarded-For`; `null` (unset) ignores that header.
   */
  readonly numProxies: number | null;
  /** `THROTTLE_STORE`: where throttle history lives: `memory`, `kv` or `redis://host:port`. */
  readonly throttleStore: string;
  /** `WS_MAX_PENDING`: messages one WebSocket may have waiting for an answer; 0 for no limit. */
  readonly wsMaxPending: number;
  /** `WS_MAX_PENDING_TOTAL`: the same across every socket of the process; 0 for no limit. */
  readonly wsMaxPendingTotal: number;
  /** `WS_MAX_UNSENT_BYTES`: answer bytes a socket may leave unsent before it is closed. */
  readonly wsMaxUnsentBytes: number;
}

/** The names of the variables {@linkcode loadSettings} takes. */
export const ENV_VARIABLES = [
  "HOST",
  "PORT",
  "MAX_BODY_BYTES",
  "REQUEST_TIMEOUT_MS",
  "SHUTDOWN_GRACE_MS",
  "ACCESS_LOG",
  "MAX_IN_FLIGHT",
  "BODY_IDLE_TIMEOUT_MS",
  "MAX_JSON_DEPTH",
  "KV_PATH",
  "PUBLIC_URL",
  "NUM_PROXIES",
  "THROTTLE_STORE",
  "WS_MAX_PENDING",
  "WS_MAX_PENDING_TOTAL",
  "WS_MAX_UNSENT_BYTES",
] as const;

/**
 * Make the settings from environment variables, keeping defaults for those
 * that are unset. Throws a `TypeError` for a malformed number or store.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./settings.ts";
 * assertEquals(loadSettings({ PORT: "9000" }).port, 9000);
 * ```
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  return {
    host: env.HOST || "0.0.0.0",
    port: integer(env, "PORT", 8000),
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 2_621_440),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000),
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 10_000),
    accessLog: !/^(0|false|off|no)$/i.test(env.ACCESS_LOG ?? ""),
    maxInFlight: integer(env, "MAX_IN_FLIGHT", 20_000),
    bodyIdleTimeoutMs: integer(env, "BODY_IDLE_TIMEOUT_MS", 30_000),
    maxJsonDepth: integer(env, "MAX_JSON_DEPTH", 512),
    kvPath: env.KV_PATH || "data/kv.sqlite3",
    publicUrl: publicUrl(env.PUBLIC_URL),
    numProxies: env.NUM_PROXIES ? integer(env, "NUM_PROXIES", 0) : null,
    throttleStore: throttleStore(env.THROTTLE_STORE || "memory"),
    wsMaxPending: integer(env, "WS_MAX_PENDING", 1_000),
    wsMaxPendingTotal: integer(env, "WS_MAX_PENDING_TOTAL", 20_000),
    wsMaxUnsentBytes: integer(env, "WS_MAX_UNSENT_BYTES", 1_048_576),
  };
}

// An http(s) URL with no query or fragment, without its trailing slash.
function publicUrl(value: string | undefined): string {
  if (!value) return "";
  const url = URL.parse(value);
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    throw new TypeError(
      `PUBLIC_URL must be an http(s) URL without query or fragment, got "${value}"`,
    );
  }
  return value.replace(/\/+$/, "");
}

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^[0-9]+$/.test(value)) {
    throw new TypeError(`${name} must be a whole number, got "${value}"`);
  }
  return Number(value);
}

function throttleStore(value: string): string {
  if (value === "memory" || value === "kv" || /^redis:\/\/[^/?#\s]+(\/\d*)?$/.test(value)) {
    return value;
  }
  // The value itself is not repeated: a Redis URL may hold a password.
  throw new TypeError("THROTTLE_STORE must be memory, kv or redis://host:port");
}

/** The settings when no variable is set: what tests get unless they say otherwise. */
export const DEFAULT_SETTINGS: Settings = loadSettings({});
