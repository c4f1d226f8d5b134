/**
 * The access log: one line a request, written when its response is ready,
 * e.g. `2026-12-02T04:16:10.123Z GET /items/7 200 0.3ms`.
 *
 * Lines go to stdout in batches (`middleware/http/batched_writer.ts`): one
 * `write` every few milliseconds instead of one system call a request, so the
 * log costs little enough to stay on. A graceful shutdown and the process's
 * exit flush what is waiting; a crash may lose the last few milliseconds.
 *
 * @module
 */

import { BatchedWriter } from "./http/batched_writer.ts";
import type { Context } from "./http/context.ts";
import { ClientClosedRequest } from "./http/errors.ts";
import type { Middleware } from "./mod.ts";

let stdout: BatchedWriter | undefined;

/**
 * The process's access log on stdout, made on first use: lines batched into
 * few writes, at most 1 MiB waiting (past it, while stdout is blocked, lines
 * are dropped and a later line says how many), flushed when the process exits
 * (its `unload` event). `await stdoutLog().flush()` before `Deno.exit` in a
 * signal handler is not needed for that, but it also waits for a write
 * already under way.
 *
 * @example
 * ```ts
 * import { assertStrictEquals } from "@std/assert";
 * import { stdoutLog } from "./access_log.ts";
 * assertStrictEquals(stdoutLog(), stdoutLog());
 * await stdoutLog().flush();
 * ```
 */
export function stdoutLog(): BatchedWriter {
  if (stdout === undefined) {
    const log = stdout = new BatchedWriter(Deno.stdout, {
      droppedLine: (count) =>
        `${new Date().toISOString()} access log: ${count} lines dropped, stdout was blocked`,
    });
    addEventListener("unload", () => log.flushSync());
  }
  return stdout;
}

/**
 * Make middleware that logs `TIMESTAMP METHOD /path STATUS 12.3ms` for every
 * request, the timestamp ISO 8601 in UTC, taken when the response is ready. A
 * request whose client left before the response is logged as status `499`
 * with the time until it left.
 *
 * @param write Where lines go (without a newline); {@linkcode stdoutLog} by default.
 * @param now The clock of the timestamps, in ms since the epoch; `Date.now` by default.
 *
 * @example
 * ```ts
 * import { assertMatch } from "@std/assert";
 * import { accessLog } from "./access_log.ts";
 * import { Context } from "./http/context.ts";
 *
 * const lines: string[] = [];
 * const write = (line: string) => lines.push(line);
 * const handler = accessLog(write, () => 0)(async () => new Response("hi"));
 * const request = new Request("http://x/hello?name=ada");
 * await handler(request, new Context(request));
 * assertMatch(lines[0], /^1970-01-01T00:00:00\.000Z GET \/hello 200 \d+\.\dms$/);
 * ```
 */
export function accessLog(
  write: (line: string) => void = stdoutLog().write,
  now: () => number = Date.now,
): Middleware {
  // Formatted once a millisecond, not once a line: under load many lines share it.
  let stampedAt = NaN;
  let stamp = "";
  const log = (request: Request, context: Context, status: number, started: number) => {
    if (context.cancelled instanceof ClientClosedRequest) status = 499;
    const ms = (performance.now() - started).toFixed(1);
    const at = now();
    if (at !== stampedAt) {
      stampedAt = at;
      stamp = new Date(at).toISOString();
    }
    write(`${stamp} ${request.method} ${context.path} ${status} ${ms}ms`);
  };
  return (next) =>
    function accessLog(request, context) {
      const started = performance.now();
      return next(request, context).then((response) => {
        log(request, context, response.status, started);
        return response;
      }, (error) => {
        log(request, context, 500, started);
        throw error;
      });
    };
}
