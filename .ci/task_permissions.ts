/**
 * CI's least-privilege check: the tasks in {@linkcode CHECKED_TASKS} may not
 * grant `-A`/`--allow-all`, `--allow-run`, `--allow-write`, `--allow-ffi` or
 * an unscoped `--allow-read` (short forms and `deno eval`, which grants
 * everything, included), except that `start` and `serve` may write to `data/`
 * and nowhere else, where the service keeps its Deno KV file. Other tasks (a browser test that must start a
 * browser, a benchmark that spawns servers) may need more and are not checked.
 *
 * Run: `deno run .ci/task_permissions.ts` (no permission needed: deno.json is
 * imported). Exits 1 naming each task and flag it refuses.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };

/** The tasks held to least privilege: what serves, what tests, what type-checks. */
export const CHECKED_TASKS = ["start", "serve", "test", "check"] as const;

/** The one write a task may be granted, by task: the service's own data folder. */
export const ALLOWED_WRITES: Readonly<Record<string, string>> = {
  start: "--allow-write=data",
  serve: "--allow-write=data",
};

/**
 * The forbidden permission flags in a task's command, as written; `allowed`
 * is a flag the task may have all the same.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { forbiddenFlags } from "./task_permissions.ts";
 * assertEquals(forbiddenFlags("deno run --allow-read=. --allow-net main.ts"), []);
 * assertEquals(forbiddenFlags("deno run -A main.ts"), ["-A"]);
 * assertEquals(forbiddenFlags("deno run --allow-write=data x.ts", "--allow-write=data"), []);
 * ```
 */
export function forbiddenFlags(command: string, allowed?: string): string[] {
  const found: string[] = [];
  const words = command.split(/\s+/);
  words.forEach((word, i) => {
    if (word === allowed) return;
    const [flag, value] = word.includes("=")
      ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]
      : [word, undefined];
    if (/^--allow-(all|run|write|ffi)$/.test(flag)) found.push(word);
    else if (flag === "--allow-read" && !value) found.push(word);
    else if (/^-[A-Za-z]+$/.test(flag)) {
      // Short flags, alone or combined: -A (all), -W (write), -R (read).
      if (/[AW]/.test(flag) || (flag.includes("R") && !value)) found.push(word);
    } else if ((word === "eval" || word === "repl") && /(^|\/)deno$/.test(words[i - 1] ?? "")) {
      found.push(`deno ${word}`);
    }
  });
  return found;
}

/** Each checked task with the forbidden flags it has, if any. */
export function checkTasks(tasks: Record<string, unknown>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const name of CHECKED_TASKS) {
    const task = tasks[name];
    const command = typeof task === "string"
      ? task
      : (task as { command?: string } | undefined)?.command ?? "";
    result.set(name, forbiddenFlags(command, ALLOWED_WRITES[name]));
  }
  return result;
}

if (import.meta.main) {
  let failed = false;
  for (const [name, flags] of checkTasks(config.tasks)) {
    if (flags.length > 0) failed = true;
    console.log(`task ${name}: ${flags.length ? `refused ${flags.join(", ")}` : "ok"}`);
  }
  if (failed) Deno.exit(1);
}
