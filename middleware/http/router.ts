/**
 * The router: a route table of plain data compiled once into a `Map` for
 * static paths and a tree of path segments for paths with parameters.
 *
 * Patterns use Django's syntax: `/items/<int:id>` (digits, given to the view
 * as a number, so `/items/007` is 7) and `/users/<name>` or `<str:name>` (any
 * non-empty segment, as a decoded string). Paths match exactly: `/async/` is
 * not `/async`. Where a static segment and a parameter could both match, the
 * static one wins.
 *
 * @module
 */

import type { Handler } from "./context.ts";
import { NotFound } from "./errors.ts";

/** One entry of the route table. */
export interface Route {
  /** The path pattern, e.g. `/items/<int:id>`. */
  readonly pattern: string;
  /** What answers requests whose path matches. */
  readonly handler: Handler;
}

type Converter = (segment: string) => string | number | undefined;

const CONVERTERS: Record<string, Converter> = {
  int: (segment) => /^[0-9]+$/.test(segment) ? Number(segment) : undefined,
  str: (segment) => segment === "" ? undefined : segment,
};

interface Node {
  handler?: Handler;
  names?: string[];
  readonly children: Map<string, Node>;
  readonly params: { converter: Converter; node: Node }[];
}

// The answer to every unknown path, so made once (no stack to capture each time).
const NOT_FOUND = new NotFound();

const PARAM = /^<(?:([a-z]+):)?([A-Za-z_][A-Za-z0-9_]*)>$/;

/**
 * Make a handler that sends each request to the route its path matches, and
 * rejects with `NotFound` (404) when none does.
 *
 * Throws a `TypeError` at once for a malformed pattern or one given twice.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Context } from "./context.ts";
 * import { router } from "./router.ts";
 *
 * const app = router([
 *   { pattern: "/items/<int:id>", handler: async (_req, ctx) => Response.json(ctx.params) },
 * ]);
 * const request = new Request("http://x/items/007");
 * assertEquals(await (await app(request, new Context(request))).json(), { id: 7 });
 * ```
 */
export function router(routes: readonly Route[]): Handler {
  const statics = new Map<string, Handler>();
  const root: Node = { children: new Map(), params: [] };
  for (const { pattern, handler } of routes) {
    if (!pattern.startsWith("/")) {
      throw new TypeError(`Route pattern must start with "/": "${pattern}"`);
    }
    if (!pattern.includes("<")) {
      if (statics.has(pattern)) throw new TypeError(`Route pattern given twice: "${pattern}"`);
      statics.set(pattern, handler);
      continue;
    }
    insert(root, pattern, handler);
  }

  return function router(request, context) {
    const path = context.path;
    const direct = statics.get(path);
    if (direct) return direct(request, context);
    const encoded = path.includes("%");
    const segments = path.slice(1).split("/");
    if (encoded) {
      for (let i = 0; i < segments.length; i++) segments[i] = decode(segments[i]);
      // Percent-encoded paths are matched on their decoded segments; a segment
      // that decodes to contain "/" stays one segment and matches no static path.
      if (!segments.some((s) => s.includes("/"))) {
        const decoded = statics.get(`/${segments.join("/")}`);
        if (decoded) return decoded(request, context);
      }
    }
    const values: (string | number)[] = [];
    const node = match(root, segments, 0, values);
    if (!node) return Promise.reject(NOT_FOUND);
    const params: Record<string, string | number> = {};
    const names = node.names!;
    for (let i = 0; i < names.length; i++) params[names[i]] = values[i];
    context.params = params;
    return node.handler!(request, context);
  };
}

function insert(root: Node, pattern: string, handler: Handler): void {
  let node = root;
  const names: string[] = [];
  for (const segment of pattern.slice(1).split("/")) {
    const param = PARAM.exec(segment);
    if (param) {
      const [, type = "str", name] = param;
      const converter = CONVERTERS[type];
      if (!converter) throw new TypeError(`Unknown converter "${type}" in route "${pattern}"`);
      if (names.includes(name)) {
        throw new TypeError(`Parameter "${name}" given twice in "${pattern}"`);
      }
      names.push(name);
      let next = node.params.find((p) => p.converter === converter)?.node;
      if (!next) {
        next = { children: new Map(), params: [] };
        node.params.push({ converter, node: next });
      }
      node = next;
    } else if (segment.includes("<") || segment.includes(">")) {
      throw new TypeError(`Malformed parameter "${segment}" in route "${pattern}"`);
    } else {
      let next = node.children.get(segment);
      if (!next) node.children.set(segment, next = { children: new Map(), params: [] });
      node = next;
    }
  }
  if (node.handler) throw new TypeError(`Route pattern given twice: "${pattern}"`);
  node.handler = handler;
  node.names = names;
}

// Depth-first, static segments before parameters; `values` collects the
// converted parameters on the way down and is unwound on a dead end.
function match(
  node: Node,
  segments: string[],
  index: number,
  values: (string | number)[],
): Node | undefined {
  if (index === segments.length) return node.handler ? node : undefined;
  const segment = segments[index];
  const child = node.children.get(segment);
  const found = child && match(child, segments, index + 1, values);
  if (found) return found;
  for (const param of node.params) {
    const value = param.converter(segment);
    if (value === undefined) continue;
    values.push(value);
    const deeper = match(param.node, segments, index + 1, values);
    if (deeper) return deeper;
    values.pop();
  }
  return undefined;
}

function decode(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed escapes (`%zz`) stay as sent, as Django leaves them.
    return segment;
  }
}
