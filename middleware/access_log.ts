/**
 * The access log: one line a request, written when its response is ready.
 *
 * @module
 */

import { ClientClosedRequest } from "./errors.ts";
import type { Handler } from "./handler.ts";

/**
 * Middleware that writes `METHOD /path STATUS 12.3ms` for every request. A
 * request whose client left before the response is logged as status `499`
 * with the time until it left.
 *
 * @param next The handler to log.
 * @param write Where lines go; `console.log` (stdout) by default.
 *
 * @example
 * ```ts
 * import { assertMatch } from "@std/assert";
 * import { accessLog } from "./access_log.ts";
 * import { Context } from "./handler.ts";
 *
 * const lines: string[] = [];
 * const handler = accessLog(async () => new Response("hi"), (line) => lines.push(line));
 * const request = new Request("http://x/hello?name=ada");
 * await handler(request, new Context(request));
 * assertMatch(lines[0], /^GET \/hello 200 \d+\.\dms$/);
 * ```
 */
export function accessLog(next: Handler, write: (line: string) => void = console.log): Handler {
  return async function accessLog(request, context) {
    const started = performance.now();
    let status = 500;
    try {
      const response = await next(request, context);
      status = response.status;
      return response;
    } finally {
      if (context.cancelled instanceof ClientClosedRequest) status = 499;
      const ms = (performance.now() - started).toFixed(1);
      write(`${request.method} ${context.path} ${status} ${ms}ms`);
    }
  };
}
