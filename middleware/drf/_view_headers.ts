/**
 * The view's own headers on a web `Response` it returned as it is, as DRF's
 * `finalize_response` does for a response that is not its own.
 *
 * @module
 */

import type { HeaderPairs } from "./response.ts";

/**
 * As DRF's finalize_response for a response that is not its own: the view's
 * Allow is set and Accept joins its Vary.
 *
 * @param response The response the view returned.
 * @param headers The view's headers: `allow` is set, `vary` joins the response's.
 * @returns The response, or a copy when its headers are immutable.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { withViewHeaders } from "./_view_headers.ts";
 * const response = withViewHeaders(
 *   new Response("ok", { headers: { vary: "Cookie" } }),
 *   [["allow", "GET, HEAD, OPTIONS"], ["vary", "Accept"]],
 * );
 * assertEquals(response.headers.get("allow"), "GET, HEAD, OPTIONS");
 * assertEquals(response.headers.get("vary"), "Cookie, Accept");
 * ```
 */
export function withViewHeaders(response: Response, headers: HeaderPairs): Response {
  let target = response;
  try {
    addHeaders(target.headers, headers);
  } catch {
    // Immutable headers (a fetch's response): send a copy that can take them.
    target = new Response(response.body, response);
    addHeaders(target.headers, headers);
  }
  return target;
}

function addHeaders(target: Headers, headers: HeaderPairs): void {
  for (const [name, value] of headers) {
    if (name !== "vary") target.set(name, value);
    else {
      const vary = target.get("vary");
      const present = vary?.split(",").some((v) => v.trim().toLowerCase() === value.toLowerCase());
      if (!present) target.set("vary", vary ? `${vary}, ${value}` : value);
    }
  }
}
