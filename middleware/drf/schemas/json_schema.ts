/**
 * JSON Schema taken from the schemas themselves: a Standard Schema that
 * also implements Standard JSON Schema (this project's field kit, zod 4,
 * arktype) gives its input or output side for draft 2020-12, the dialect of
 * OpenAPI 3.1; any other (valibot without its converter, a hand-written
 * validator) gets a permissive schema, which claims nothing untrue.
 *
 * @module
 */

import type { JsonSchema } from "../fields/field.ts";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "../standard_schema.ts";

/** Which side of a schema: what is taken (`input`) or what is shown (`output`). */
export type Side = "input" | "output";

/**
 * The JSON Schema of one side of a Standard Schema, without `$schema`;
 * `undefined` when the library gives none (or cannot convert this schema).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, serializer } from "../mod.ts";
 * import { standardJsonSchema } from "./json_schema.ts";
 * const note = serializer({ id: f.integer({ readOnly: true }), title: f.string() });
 * assertEquals(standardJsonSchema(note, "input"), {
 *   type: "object",
 *   properties: { title: { title: "Title", type: "string", minLength: 1 } },
 *   required: ["title"],
 * });
 * assertEquals(standardJsonSchema({ "~standard": { version: 1, vendor: "x", validate: (v) => ({ value: v }) } }, "output"), undefined);
 * ```
 */
export function standardJsonSchema(schema: StandardSchemaV1, side: Side): JsonSchema | undefined {
  const props = schema["~standard"] as Partial<StandardJSONSchemaV1.Props>;
  const convert = props.jsonSchema?.[side];
  if (typeof convert !== "function") return undefined;
  let converted: Record<string, unknown>;
  try {
    converted = convert({ target: "draft-2020-12" });
  } catch {
    // The spec lets a library throw for a schema it cannot express.
    return undefined;
  }
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

/**
 * Every field of an object schema optional (a PATCH body): `required` left
 * out at the top.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { partialSchema } from "./json_schema.ts";
 * assertEquals(partialSchema({ type: "object", required: ["a"] }), { type: "object" });
 * ```
 */
export function partialSchema(schema: JsonSchema): JsonSchema {
  const { required: _required, ...rest } = schema;
  return rest;
}

/**
 * A schema made fit to live at `#/components/schemas/<name>`: its local
 * definitions (`$defs`, draft-07's `definitions`) become components of their
 * own named `<name>_<def>` (given to `define`), and references to them and to
 * the root (`#`) are rewritten to point there.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { relocate } from "./json_schema.ts";
 * const defined: Record<string, unknown> = {};
 * const tree = { $defs: { Node: { type: "object", properties: { up: { $ref: "#" } } } }, $ref: "#/$defs/Node" };
 * assertEquals(relocate(tree, "Tree", (n, s) => defined[n] = s), { $ref: "#/components/schemas/Tree_Node" });
 * assertEquals(defined.Tree_Node, { type: "object", properties: { up: { $ref: "#/components/schemas/Tree" } } });
 * ```
 */
export function relocate(
  schema: JsonSchema,
  name: string,
  define: (name: string, schema: JsonSchema) => void,
): JsonSchema {
  const { $defs, definitions, ...root } = schema as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
    definitions?: Record<string, JsonSchema>;
  };
  const local = { ...definitions, ...$defs };
  const target = (def: string) => `${name}_${def.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key !== "$ref" || typeof inner !== "string") return [key, rewrite(inner)];
        if (inner === "#") return [key, `#/components/schemas/${name}`];
        const match = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(inner);
        return [
          key,
          match ? `#/components/schemas/${target(decodeURIComponent(match[1]))}` : inner,
        ];
      }),
    );
  };
  for (const [def, inner] of Object.entries(local)) {
    define(target(def), rewrite(inner) as JsonSchema);
  }
  return rewrite(root) as JsonSchema;
}
