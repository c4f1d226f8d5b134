/**
 * The service's settings, read once from the environment, after Django's
 * `settings.py`. A variable the process may not read (no `--allow-env` for it)
 * or that is unset keeps its default, so tests need no permissions.
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
}

/** The names of the variables {@linkcode loadSettings} reads. */
export const ENV_VARIABLES = ["HOST", "PORT", "MAX_BODY_BYTES"] as const;

/**
 * Read the settings from the environment, keeping defaults for variables that
 * are unset or not readable. Throws a `TypeError` for a malformed number.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "./settings.ts";
 * assertEquals(loadSettings({ PORT: "9000" }).port, 9000);
 * ```
 */
export function loadSettings(env: Record<string, string | undefined> = readEnv()): Settings {
  return {
    host: env.HOST || "0.0.0.0",
    port: integer(env, "PORT", 8000),
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 2_621_440),
  };
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^[0-9]+$/.test(value)) {
    throw new TypeError(`${name} must be a whole number, got "${value}"`);
  }
  return Number(value);
}

function readEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const variable of ENV_VARIABLES) {
    if (Deno.permissions.querySync({ name: "env", variable }).state === "granted") {
      env[variable] = Deno.env.get(variable);
    }
  }
  return env;
}

/** The settings of this process. */
export const settings: Settings = loadSettings();
