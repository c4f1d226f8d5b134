/**
 * The access log: one line a request, written when its response is ready.
 *
 * @module
 */

import { ClientClosedRequest } from "./http/errors.ts";
import type { Middleware } from "./mod.ts";

/**
 * Make middleware that writes `METHOD /path STATUS 12.3ms` for every
 * request. A request whose client left before the response is logged as
 * status `499` with the time until it left.
 *
 * @param write Where lines go; `console.log` (stdout) by default.
 *
 * @example
 * ```ts
 * import { assertMatch } from "@std/assert";
 * import { accessLog } from "./access_log.ts";
 * import { Context } from "./http/context.ts";
 *
 * const lines: string[] = [];
 * const handler = accessLog((line) => lines.push(line))(async () => new Response("hi"));
 * const request = new Request("http://x/hello?name=ada");
 * await handler(request, new Context(request));
 * assertMatch(lines[0], /^GET \/hello 200 \d+\.\dms$/);
 * ```
 */
export function accessLog(write: (line: string) => void = console.log): Middleware {
  return (next) =>
    async function accessLog(request, context) {
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
