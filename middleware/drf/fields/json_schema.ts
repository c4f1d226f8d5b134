/**
 * JSON Schema as the fields give it: a plain object, with the `$schema` of
 * the dialect a Standard JSON Schema target names.
 *
 * @module
 */

import type { StandardJSONSchemaV1 } from "../standard_schema.ts";

/** A JSON Schema, as a plain object. */
export type JsonSchema = Record<string, unknown>;

const DIALECTS: Record<string, string> = {
  "draft-2020-12": "https://json-schema.org/draft/2020-12/schema",
  "draft-07": "http://json-schema.org/draft-07/schema#",
};

/**
 * The schema with the dialect's `$schema`; throws for a target not supported.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { withDialect } from "./json_schema.ts";
 * assertEquals(withDialect({ type: "string" }, { target: "draft-07" }), {
 *   $schema: "http://json-schema.org/draft-07/schema#",
 *   type: "string",
 * });
 * assertThrows(() => withDialect({}, { target: "openapi-3.0" }), TypeError);
 * ```
 */
export function withDialect(schema: JsonSchema, options: StandardJSONSchemaV1.Options): JsonSchema {
  const dialect = DIALECTS[options.target];
  if (!dialect) throw new TypeError(`Unsupported JSON Schema target: ${options.target}`);
  return { $schema: dialect, ...schema };
}
