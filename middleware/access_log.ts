/**
 * The access log: one line a request, written when its response is ready,
 * e.g. `2026-12-02T04:16:10.123Z GET /items/7 200 0.3ms`.
 *
 * Lines go to stdout in batches (`middleware/http/batched_writer.ts`): one
 * `write` every few milliseconds instead of one system call a request, each
 * line encoded straight into the batch, so the log costs little enough to stay
 * on. A graceful shutdown and the process's exit flush what is waiting; a
 * crash may lose the last few milliseconds.
 *
 * @module
 */

import { BatchedWriter, type LineSink } from "./http/batched_writer.ts";
import type { Context } from "./http/context.ts";
import { ClientClosedRequest } from "./http/errors.ts";
import type { Middleware } from "./mod.ts";

/** The access log's time. */
export interface Clock {
  /** Milliseconds from a fixed point, never going back (`performance.now()`). */
  monotonic(): number;
  /** Milliseconds since the epoch (`Date.now()`). */
  epoch(): number;
}

const SYSTEM_CLOCK: Clock = { monotonic: () => performance.now(), epoch: () => Date.now() };

let stdout: BatchedWriter | undefined;

/**
 * The process's access log on stdout, made on first use: lines batched into
 * few writes (synchronous ones when stdout is a file or `/dev/null`,
 * asynchronous ones to a pipe or terminal, which can block), at most 1 MiB
 * waiting (past it, while stdout is blocked, lines are dropped and a later
 * line says how many), flushed when the process exits (its `unload` event).
 * `await stdoutLog().flush()` before `Deno.exit` in a signal handler is not
 * needed for that, but it also waits for a write already under way.
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
      synchronous: neverBlocks(),
      droppedLine: (count) =>
        `${new Date().toISOString()} access log: ${count} lines dropped, stdout was blocked`,
    });
    addEventListener("unload", () => log.flushSync());
  }
  return stdout;
}

// Whether stdout is a regular file or /dev/null, which a write never blocks
// on for long (a pipe or a terminal can block). Found a second after start,
// off the path of the first requests: node:fs takes a while to load, and Deno
// itself cannot tell a pipe from a file without read permissions.
async function neverBlocks(): Promise<boolean> {
  await new Promise((resolve) => Deno.unrefTimer(setTimeout(resolve, 1000)));
  const { fstatSync } = await import("node:fs");
  const stat = fstatSync(1);
  return stat.isFile() || (stat.isCharacterDevice() && !Deno.stdout.isTerminal());
}

/**
 * Make middleware that logs `TIMESTAMP METHOD /path STATUS 12.3ms` for every
 * request, the timestamp ISO 8601 in UTC, taken when the response is ready. A
 * request whose client left before the response is logged as status `499`
 * with the time until it left.
 *
 * @param sink Where lines go: a {@linkcode LineSink} or a function of each
 *   line; {@linkcode stdoutLog} by default.
 * @param clock The time of the durations and timestamps; the system's by default.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { accessLog } from "./access_log.ts";
 * import { Context } from "./http/context.ts";
 *
 * const lines: string[] = [];
 * const times = [100, 112.34];
 * const clock = { monotonic: () => times.shift()!, epoch: () => 0 };
 * const handler = accessLog((line) => lines.push(line), clock)(async () => new Response("hi"));
 * const request = new Request("http://x/hello?name=ada");
 * await handler(request, new Context(request));
 * assertEquals(lines, ["1970-01-01T00:00:00.000Z GET /hello 200 12.3ms"]);
 * ```
 */
export function accessLog(
  sink: LineSink | ((line: string) => void) = stdoutLog(),
  clock: Clock = SYSTEM_CLOCK,
): Middleware {
  const out = typeof sink === "function" ? lineByLine(sink) : sink;
  // The timestamp is formatted once a millisecond, not once a line: under load
  // many lines share it. It is the wall clock's at the first line of each
  // millisecond of the monotonic one, which times the requests.
  let stampedAt = NaN;
  let stamp = "";
  const log = (request: Request, context: Context, status: number, started: number) => {
    if (context.cancelled instanceof ClientClosedRequest) status = 499;
    const ended = clock.monotonic();
    if (Math.floor(ended) !== stampedAt) {
      stampedAt = Math.floor(ended);
      stamp = new Date(clock.epoch()).toISOString();
    }
    const method = request.method;
    const path = context.path;
    if (!out.begin(stamp.length + method.length + path.length + 40)) return;
    const tenths = Math.round((ended - started) * 10);
    out.text(stamp);
    out.text(" ");
    out.text(method);
    out.text(" ");
    out.text(path);
    out.text(" ");
    out.int(status);
    out.text(" ");
    out.int((tenths - tenths % 10) / 10);
    out.text(".");
    out.int(tenths % 10);
    out.text("ms");
    out.end();
  };
  return (next) =>
    function accessLog(request, context) {
      const started = clock.monotonic();
      // One closure for both outcomes: this is every request's path.
      const done = (outcome: unknown) => {
        if (outcome instanceof Response) {
          log(request, context, outcome.status, started);
          return outcome;
        }
        log(request, context, 500, started);
        throw outcome;
      };
      return next(request, context).then(done, done);
    };
}

// A LineSink that hands each whole line to a function (tests, custom sinks).
function lineByLine(write: (line: string) => void): LineSink {
  let line = "";
  return {
    begin: () => (line = "", true),
    text: (text) => void (line += text),
    int: (n) => void (line += n),
    end: () => write(line),
  };
}
