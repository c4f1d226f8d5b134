/**
 * DRF's error shape and Standard Schema's issues, each made from the other:
 * `{"title": ["..."]}`, nested objects nested, list items keyed by index (as
 * DRF's `ListField`), `non_field_errors` for the whole; and the way Python
 * names and prints values, which DRF's messages quote.
 *
 * @module
 */

import type { StandardSchemaV1 } from "../standard_schema.ts";

/** DRF's `serializer.errors`: messages, or errors by field name (or list index). */
export type ErrorTree = string[] | { [key: string]: ErrorTree };

/** DRF's `NON_FIELD_ERRORS_KEY`. */
export const NON_FIELD_ERRORS = "non_field_errors";

/**
 * Standard Schema's issues as DRF's error shape: an issue with no path is the
 * whole's (`non_field_errors`), one with a path is nested under its keys.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { errorsFromIssues } from "./errors.ts";
 * assertEquals(
 *   errorsFromIssues([
 *     { message: "Required", path: ["title"] },
 *     { message: "Expected number", path: ["tags", { key: 1 }] },
 *     { message: "Bad", path: [] },
 *   ]),
 *   { title: ["Required"], tags: { "1": ["Expected number"] }, non_field_errors: ["Bad"] },
 * );
 * ```
 */
export function errorsFromIssues(
  issues: readonly StandardSchemaV1.Issue[],
): { [key: string]: ErrorTree } {
  const root: { [key: string]: ErrorTree } = {};
  for (const issue of issues) {
    // Array.from, not map: a library's path may be an Array subclass (arktype's).
    const keys = Array.from(
      issue.path ?? [],
      (segment) => keyName(typeof segment === "object" ? segment.key : segment),
    );
    if (keys.length === 0) keys.push(NON_FIELD_ERRORS);
    let node = root;
    for (const key of keys.slice(0, -1)) {
      let next = node[key];
      // A message already at this key keeps its place beside the nested ones.
      if (Array.isArray(next)) next = node[key] = { [NON_FIELD_ERRORS]: next };
      node = (next ??= node[key] = {}) as { [key: string]: ErrorTree };
    }
    const last = keys.at(-1)!;
    const messages = node[last];
    if (messages === undefined) node[last] = [issue.message];
    else if (Array.isArray(messages)) messages.push(issue.message);
    else ((messages[NON_FIELD_ERRORS] ??= []) as string[]).push(issue.message);
  }
  return root;
}

/**
 * DRF's error shape as Standard Schema's issues, one a message with its path.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { issuesOf } from "./errors.ts";
 * assertEquals(issuesOf({ tags: { "1": ["Bad."] }, non_field_errors: ["Worse."] }), [
 *   { message: "Bad.", path: ["tags", 1] },
 *   { message: "Worse.", path: [] },
 * ]);
 * ```
 */
export function issuesOf(tree: ErrorTree, path: PropertyKey[] = []): StandardSchemaV1.Issue[] {
  if (Array.isArray(tree)) return tree.map((message) => ({ message, path }));
  return Object.entries(tree).flatMap(([key, sub]) =>
    issuesOf(
      sub,
      key === NON_FIELD_ERRORS
        ? path
        : [...path, /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key],
    )
  );
}

function keyName(key: PropertyKey): string {
  return typeof key === "symbol" ? key.description ?? "" : String(key);
}

/**
 * The name Python gives the type of a JSON value, as DRF's messages quote it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pythonType } from "./errors.ts";
 * assertEquals([pythonType([]), pythonType("a"), pythonType(1.5), pythonType(null)], ["list", "str", "float", "NoneType"]);
 * ```
 */
export function pythonType(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
  }
  return value instanceof File ? "InMemoryUploadedFile" : "dict";
}

/**
 * A JSON value as Python's `str()` prints it, for messages that quote input
 * (`"{input}" is not a valid choice.`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pythonStr } from "./errors.ts";
 * assertEquals([pythonStr(true), pythonStr(null), pythonStr(["a", 1])], ["True", "None", "['a', 1]"]);
 * ```
 */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
    return String(value).replace(/e\+?/, "e+").replace("e+-", "e-");
  }
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
    return quote + (quote === "'" ? escaped.replaceAll("'", "\\'") : escaped) + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return `{${entries.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  }
  return String(value);
}
