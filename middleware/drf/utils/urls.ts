/**
 * DRF's `utils/urls.py`: a link's query with one parameter set or removed,
 * re-encoded as DRF does it (Python's `parse_qs` then
 * `urlencode(sorted(...), doseq=True)`), so every other parameter is kept, in
 * sorted order.
 *
 * @module
 */

/**
 * DRF's `replace_query_param`: the URL with `key` set to `value`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { replaceQueryParam } from "./urls.ts";
 * assertEquals(replaceQueryParam("/notes?search=a b&page=2", "page", 3), "/notes?page=3&search=a+b");
 * ```
 */
export function replaceQueryParam(url: string, key: string, value: string | number): string {
  const [base, pairs] = split(url);
  pairs.set(key, [String(value)]);
  return join(base, pairs);
}

/**
 * DRF's `remove_query_param`: the URL without `key`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { removeQueryParam } from "./urls.ts";
 * assertEquals(removeQueryParam("/notes?page=2&ordering=title", "page"), "/notes?ordering=title");
 * assertEquals(removeQueryParam("/notes?page=2", "page"), "/notes");
 * ```
 */
export function removeQueryParam(url: string, key: string): string {
  const [base, pairs] = split(url);
  pairs.delete(key);
  return join(base, pairs);
}

function split(url: string): [string, Map<string, string[]>] {
  const hash = url.indexOf("#");
  const withoutHash = hash === -1 ? url : url.slice(0, hash);
  const mark = withoutHash.indexOf("?");
  const base = mark === -1 ? withoutHash : withoutHash.slice(0, mark);
  return [base, parseQs(mark === -1 ? "" : withoutHash.slice(mark + 1))];
}

/**
 * Python's `parse_qs(query, keep_blank_values=True)`: `&`-separated, `+` is
 * a space, a name without `=` has the value `""`; values by name, in order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseQs } from "./urls.ts";
 * assertEquals(parseQs("a=1&b&a=x+y"), new Map([["a", ["1", "x y"]], ["b", [""]]]));
 * ```
 */
export function parseQs(query: string): Map<string, string[]> {
  const pairs = new Map<string, string[]>();
  {
    for (const part of query.split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const name = unquote(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? "" : unquote(part.slice(eq + 1));
      const values = pairs.get(name);
      if (values) values.push(value);
      else pairs.set(name, [value]);
    }
  }
  return pairs;
}

// urlencode(sorted(pairs), doseq=True) with quote_plus.
function join(base: string, pairs: Map<string, string[]>): string {
  const keys = [...pairs.keys()].sort();
  const query = keys.flatMap((key) =>
    pairs.get(key)!.map((value) => `${quotePlus(key)}=${quotePlus(value)}`)
  ).join("&");
  return query ? `${base}?${query}` : base;
}

function unquote(text: string): string {
  const spaced = text.replaceAll("+", " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Python replaces what does not decode; the bytes that do are kept.
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return "\ufffd";
      }
    });
  }
}

/**
 * Python's `quote_plus`: everything but letters, digits and `_.-~`
 * percent-encoded as UTF-8, spaces as `+`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { quotePlus } from "./urls.ts";
 * assertEquals(quotePlus("a b/c*é"), "a+b%2Fc%2A%C3%A9");
 * ```
 */
export function quotePlus(text: string): string {
  return encodeURIComponent(text.toWellFormed())
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("%20", "+");
}
