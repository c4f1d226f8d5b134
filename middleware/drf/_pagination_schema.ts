/**
 * The OpenAPI pieces that `PageNumberPagination` and `LimitOffsetPagination`
 * share: an optional integer query parameter, and a link's JSON Schema.
 *
 * @module
 */

import type { QueryParameter } from "./pagination.ts";

/**
 * An optional integer query parameter, as DRF's
 * `get_schema_operation_parameters` describes one.
 *
 * @param name The parameter's name.
 * @param description DRF's description of it.
 * @returns The parameter.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { integer } from "./_pagination_schema.ts";
 * assertEquals(integer("page", "A page number.").schema, { type: "integer" });
 * ```
 */
export const integer = (name: string, description: string): QueryParameter => ({
  name,
  required: false,
  in: "query",
  description,
  schema: { type: "integer" },
});

/**
 * The JSON Schema of an envelope's `next` or `previous` link: a URI
 * reference, or `null` on the first or last page.
 *
 * @param example A link, for the schema's `examples`.
 * @returns The schema.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { link } from "./_pagination_schema.ts";
 * assertEquals(link("/notes?page=2").type, ["string", "null"]);
 * ```
 */
export const link = (example: string) => ({
  type: ["string", "null"],
  format: "uri-reference",
  examples: [example],
});
