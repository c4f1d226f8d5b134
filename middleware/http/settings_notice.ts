/**
 * The start-up warning for settings this process may not read. `deno serve`
 * runs without `--allow-env` unless given it, and a variable that cannot be
 * read is a setting silently left at its default. Without the permission the
 * process cannot even learn whether the variable is set, so the warning names
 * every setting it could not read.
 *
 * @module
 */

/**
 * Variables `deno serve` has no use for: it binds by its own `--host` and
 * `--port`, and shuts down by its own rule (no grace period of ours).
 */
export const NOT_UNDER_SERVE: readonly string[] = ["HOST", "PORT", "SHUTDOWN_GRACE_MS"];

/** How the process serves: `deno run main.ts --listen` or `deno serve main.ts`. */
export type ServeMode = "listen" | "serve";

/**
 * The variables of `variables` that `mode` uses and this process may not
 * read, as `granted` tells (e.g. from `Deno.permissions.querySync`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { unreadVariables } from "./settings_notice.ts";
 * const granted = (variable: string) => variable === "PORT";
 * assertEquals(unreadVariables(["PORT", "MAX_BODY_BYTES"], granted, "listen"), ["MAX_BODY_BYTES"]);
 * assertEquals(unreadVariables(["HOST", "PORT"], () => false, "serve"), []);
 * ```
 */
export function unreadVariables(
  variables: readonly string[],
  granted: (variable: string) => boolean,
  mode: ServeMode,
): string[] {
  return variables.filter((variable) =>
    !(mode === "serve" && NOT_UNDER_SERVE.includes(variable)) && !granted(variable)
  );
}

/**
 * The warning for `unread` variables, or `undefined` when there are none.
 *
 * @example
 * ```ts
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * import { unreadSettingsWarning } from "./settings_notice.ts";
 * assertEquals(unreadSettingsWarning([], "serve"), undefined);
 * assertStringIncludes(unreadSettingsWarning(["MAX_BODY_BYTES"], "serve")!, "MAX_BODY_BYTES");
 * ```
 */
export function unreadSettingsWarning(
  unread: readonly string[],
  mode: ServeMode,
): string | undefined {
  if (unread.length === 0) return undefined;
  const [command, task] = mode === "serve"
    ? ["deno serve", "deno task serve"]
    : ["main.ts --listen", "deno task start"];
  return `${command}: settings ignored: no permission to read ${unread.join(", ")}, so these run ` +
    `on their defaults whatever the environment says. Grant them with ` +
    `--allow-env=${unread.join(",")} (as \`${task}\` does).`;
}
