/**
 * The `Host` header's check, after Django's `HttpRequest.get_host()`: a
 * malformed one is a 400, because `Deno.serve` builds `request.url` from it
 * unchecked (`Host: evil.example/admin` would make the path `/admin/...`).
 * The header is never echoed back.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";
import { ApiError } from "./errors.ts";
import type { Handler } from "./handler.ts";

// A name or an IPv4 address, or an IPv6 literal, then maybe a port. As
// Django's, but with `_`, which container and service names use.
const VALID_HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * Middleware that answers `400 {"detail":"Invalid Host header."}` when the
 * request has a `Host` header that is not a host name or address with an
 * optional port.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { ApiError } from "./errors.ts";
 * import { Context } from "./handler.ts";
 * import { checkHost } from "./host.ts";
 *
 * const handler = checkHost(async () => new Response("ok"));
 * const request = new Request("http://x/", { headers: { host: "x/y" } });
 * await assertRejects(() => handler(request, new Context(request)), ApiError, "Invalid Host");
 * ```
 */
export function checkHost(next: Handler): Handler {
  return function checkHost(request, context) {
    const host = request.headers.get("host");
    if (host !== null && !VALID_HOST.test(host)) {
      return Promise.reject(
        new ApiError("Invalid Host header.", {
          status: STATUS_CODE.BadRequest,
          code: "invalid_host",
        }),
      );
    }
    return next(request, context);
  };
}
