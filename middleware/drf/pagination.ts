/**
 * Pagination, after DRF's `pagination.py`: the {@linkcode Pagination}
 * interface (DRF's `BasePagination`) and the helpers the styles share; the
 * styles are `PageNumberPagination` in `page_number_pagination.ts`,
 * `LimitOffsetPagination` in `limit_offset_pagination.ts` and
 * `CursorPagination` in `cursor_pagination.ts`. A paginator runs the view's query on its repository for one page and
 * wraps the page's representations in DRF's envelope.
 *
 * Links keep the request's other query parameters, re-encoded in sorted order
 * (DRF's `replace_query_param`). They are relative (`/notes?page=2`), or
 * absolute under the `PUBLIC_URL` setting; never built from the `Host`
 * header, which the client controls.
 *
 * @module
 */

import type { JsonSchema } from "./fields/field.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";

/** One page: its records, and the envelope its representations go in. */
export interface Page<T> {
  /** The page's records. */
  readonly records: T[];
  /** DRF's `get_paginated_response` data around the results. */
  envelope(results: unknown[]): Record<string, unknown>;
}

/** A query parameter a paginator or filter reads, as OpenAPI describes one. */
export interface QueryParameter {
  /** Its name. */
  readonly name: string;
  /** Always `false`: these parameters are optional. */
  readonly required: false;
  /** Always `"query"`. */
  readonly in: "query";
  /** DRF's description. */
  readonly description: string;
  /** Its JSON Schema. */
  readonly schema: JsonSchema;
}

/** A pagination style, as DRF's `BasePagination`. */
export interface Pagination {
  /** One page of what the query selects, for this request. */
  paginate<T extends Record_>(
    repository: Repository<T>,
    query: Query,
    context: ApiContext,
  ): Promise<Page<T>>;
  /** The query parameters it reads (DRF's `get_schema_operation_parameters`). */
  parameters(): QueryParameter[];
  /** The envelope's JSON Schema around the results' (DRF's `get_paginated_response_schema`). */
  responseSchema(results: JsonSchema): JsonSchema;
}

/**
 * The current request's URL as links start from: the path and query as sent,
 * under `PUBLIC_URL` when set (absolute), else relative.
 */
export function requestUrl(context: ApiContext): string {
  const query = context.search ? `?${context.search}` : "";
  return `${context.settings.publicUrl}${context.path}${query}`;
}

/**
 * DRF's `_positive_int`: Python's `int()` of the text, not negative (nor
 * zero when `strict`), cut to `cutoff`; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { positiveInt } from "./pagination.ts";
 * assertEquals([positiveInt(" 7 "), positiveInt("0", true), positiveInt("500", false, 100)], [7, undefined, 100]);
 * ```
 */
export function positiveInt(
  text: string | null,
  strict = false,
  cutoff?: number,
): number | undefined {
  const value = pythonInt(text);
  if (value === undefined || value < 0 || (value === 0 && strict)) return undefined;
  return cutoff ? Math.min(value, cutoff) : value;
}

/** Python's `int()` of a string: spaces around, a sign, digits with single underscores. */
export function pythonInt(text: string | null): number | undefined {
  const trimmed = text?.trim();
  if (!trimmed || !/^[+-]?[0-9]+(?:_[0-9]+)*$/.test(trimmed)) return undefined;
  const value = Number(trimmed.replaceAll("_", ""));
  return Number.isSafeInteger(value) ? value : undefined;
}

// Django's QueryDict.get and [key]: the last value of a repeated parameter.
export function lastParam(context: ApiContext, name: string): string | null {
  if (!context.search.includes(name)) return null;
  return context.query.getAll(name).at(-1) ?? null;
}
