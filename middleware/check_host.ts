/**
 * The `Host` header's check, after Django's `HttpRequest.get_host()`: a
 * malformed one is a 400, because `Deno.serve` builds `request.url` from it
 * unchecked (`Host: evil.example/admin` would make the path `/admin/...`).
 * The header is never echoed back.
 *
 * @module
 */

import { BadRequest } from "./http/errors.ts";
import type { Middleware } from "./mod.ts";

// A name or an IPv4 address, or an IPv6 literal, then maybe a port. As
// Django's, but with `_`, which container and service names use.
const VALID_HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
// Made once: a hostile client can make this path hot.
const INVALID_HOST = new BadRequest("Invalid Host header.");

/**
 * Middleware that answers `400 {"detail":"Invalid Host header."}` when the
 * request has a `Host` header that is not a host name or address with an
 * optional port.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { checkHost } from "./check_host.ts";
 * import { Context } from "./http/context.ts";
 * import { HttpError } from "./http/errors.ts";
 *
 * const handler = checkHost(async () => new Response("ok"));
 * const request = new Request("http://x/", { headers: { host: "x/y" } });
 * await assertRejects(() => handler(request, new Context(request)), HttpError, "Invalid Host");
 * ```
 */
export const checkHost: Middleware = (next) => {
  // Clients send the same Host again and again: the last one found valid is
  // not checked again.
  let valid = "";
  return function checkHost(request, context) {
    const host = request.headers.get("host");
    if (host !== null && host !== valid) {
      if (!VALID_HOST.test(host)) return Promise.reject(INVALID_HOST);
      valid = host;
    }
    return next(request, context);
  };
};
