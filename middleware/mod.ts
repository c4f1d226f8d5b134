/**
 * Middleware: a value that wraps a handler in shared behaviour, and the
 * composition of a chain of them in reading order, outermost first.
 *
 * @module
 */

import type { Handler } from "./http/context.ts";

/** Wraps a handler in shared behaviour. */
export type Middleware = (next: Handler) => Handler;

/**
 * Wrap `handler` in `middleware`, the first outermost: `compose([a, b], h)`
 * is `a(b(h))`, so a request meets them in the order they are listed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Context } from "./http/context.ts";
 * import { compose, type Middleware } from "./mod.ts";
 *
 * const seen: string[] = [];
 * const note = (name: string): Middleware => (next) => (request, context) => {
 *   seen.push(name);
 *   return next(request, context);
 * };
 * const app = compose([note("outer"), note("inner")], async () => new Response("ok"));
 * const request = new Request("http://x/");
 * await app(request, new Context(request));
 * assertEquals(seen, ["outer", "inner"]);
 * ```
 */
export function compose(middleware: readonly Middleware[], handler: Handler): Handler {
  return middleware.reduceRight((next, wrap) => wrap(next), handler);
}
