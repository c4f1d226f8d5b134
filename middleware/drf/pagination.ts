/**
 * Pagination, after DRF's `pagination.py`: `PageNumberPagination` and
 * `LimitOffsetPagination` here, `CursorPagination` in `cursor_pagination.ts`.
 * A paginator runs the view's query on its repository for one page and
 * wraps the page's representations in DRF's envelope.
 *
 * Links keep the request's other query parameters, re-encoded in sorted order
 * (DRF's `replace_query_param`). They are relative (`/notes?page=2`), or
 * absolute under the `PUBLIC_URL` setting; never built from the `Host`
 * header, which the client controls.
 *
 * @module
 */

import { NotFound } from "./exceptions.ts";
import type { JsonSchema } from "./fields/field.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { removeQueryParam, replaceQueryParam } from "./utils/urls.ts";

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

const integer = (name: string, description: string): QueryParameter => ({
  name,
  required: false,
  in: "query",
  description,
  schema: { type: "integer" },
});
const link = (example: string) => ({
  type: ["string", "null"],
  format: "uri-reference",
  examples: [example],
});

/** Options of {@linkcode PageNumberPagination}. */
export interface PageNumberOptions {
  /** Records a page (DRF's `page_size`). */
  readonly pageSize: number;
  /** The parameter a client sets the page size with; none by default. */
  readonly pageSizeQueryParam?: string;
  /** The largest page size a client may ask for. */
  readonly maxPageSize?: number;
  /** The page parameter; `page` by default. */
  readonly pageQueryParam?: string;
  /** Words that name the last page; `["last"]` by default. */
  readonly lastPageStrings?: readonly string[];
}

/**
 * DRF's `PageNumberPagination`: `?page=N` (or `last`),
 * `{"count","next","previous","results"}`; a page that is not a number or
 * has no results is `404 {"detail":"Invalid page."}` (page 1 of nothing is
 * an empty page).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, MemoryRepository, PageNumberPagination, Query } from "./mod.ts";
 * const notes = new MemoryRepository<{ id: number }>();
 * for (let i = 0; i < 3; i++) await notes.create({});
 * const context = new ApiContext(new Request("http://x/notes?page=2"));
 * const page = await new PageNumberPagination({ pageSize: 2 }).paginate(notes, new Query(), context);
 * assertEquals(page.envelope(["…"]), { count: 3, next: null, previous: "/notes", results: ["…"] });
 * ```
 */
export class PageNumberPagination implements Pagination {
  readonly #options:
    & Required<Omit<PageNumberOptions, "pageSizeQueryParam" | "maxPageSize">>
    & PageNumberOptions;

  /** Make the style with a page size. */
  constructor(options: PageNumberOptions) {
    this.#options = { pageQueryParam: "page", lastPageStrings: ["last"], ...options };
  }

  /** One page, or `NotFound("Invalid page.")`. */
  async paginate<T extends Record_>(
    repository: Repository<T>,
    query: Query,
    context: ApiContext,
  ): Promise<Page<T>> {
    const { pageQueryParam, lastPageStrings, pageSizeQueryParam, maxPageSize } = this.#options;
    const sized = pageSizeQueryParam
      ? positiveInt(lastParam(context, pageSizeQueryParam), true, maxPageSize)
      : undefined;
    const size = sized ?? this.#options.pageSize;
    const count = await repository.count(query);
    const pages = count === 0 ? 1 : Math.ceil(count / size);
    const raw = lastParam(context, pageQueryParam) ?? "1";
    const number = lastPageStrings.includes(raw) ? pages : pythonInt(raw);
    if (number === undefined || number < 1 || number > pages) throw new NotFound("Invalid page.");
    const records = await repository.find(query, { offset: (number - 1) * size, limit: size });
    const url = requestUrl(context);
    return {
      records,
      envelope: (results) => ({
        count,
        next: number < pages ? replaceQueryParam(url, pageQueryParam, number + 1) : null,
        previous: number === 1
          ? null
          : number === 2
          ? removeQueryParam(url, pageQueryParam)
          : replaceQueryParam(url, pageQueryParam, number - 1),
        results,
      }),
    };
  }

  /** `page`, and the page size parameter when there is one. */
  parameters(): QueryParameter[] {
    const { pageQueryParam, pageSizeQueryParam } = this.#options;
    return [
      integer(pageQueryParam, "A page number within the paginated result set."),
      ...pageSizeQueryParam
        ? [integer(pageSizeQueryParam, "Number of results to return per page.")]
        : [],
    ];
  }

  /** The page envelope. */
  responseSchema(results: JsonSchema): JsonSchema {
    const page = this.#options.pageQueryParam;
    return {
      type: "object",
      required: ["count", "next", "previous", "results"],
      properties: {
        count: { type: "integer", examples: [123] },
        next: link(`/notes?${page}=4`),
        previous: link(`/notes?${page}=2`),
        results,
      },
    };
  }
}

/** Options of {@linkcode LimitOffsetPagination}. */
export interface LimitOffsetOptions {
  /** Records when no `limit` is sent (DRF's `default_limit`). */
  readonly defaultLimit: number;
  /** The largest limit a client may ask for. */
  readonly maxLimit?: number;
}

/**
 * DRF's `LimitOffsetPagination`: `?limit=N&offset=M`,
 * `{"count","next","previous","results"}`; a bad limit is the default, a bad
 * offset is 0, an offset past the end is an empty page.
 */
export class LimitOffsetPagination implements Pagination {
  readonly #options: LimitOffsetOptions;

  /** Make the style with a default limit. */
  constructor(options: LimitOffsetOptions) {
    this.#options = options;
  }

  /** One page from the offset. */
  async paginate<T extends Record_>(
    repository: Repository<T>,
    query: Query,
    context: ApiContext,
  ): Promise<Page<T>> {
    const limit = positiveInt(lastParam(context, "limit"), true, this.#options.maxLimit) ??
      this.#options.defaultLimit;
    const offset = positiveInt(lastParam(context, "offset")) ?? 0;
    const count = await repository.count(query);
    const records = count === 0 || offset > count
      ? []
      : await repository.find(query, { offset, limit });
    const url = replaceQueryParam(requestUrl(context), "limit", limit);
    return {
      records,
      envelope: (results) => ({
        count,
        next: offset + limit >= count ? null : replaceQueryParam(url, "offset", offset + limit),
        previous: offset <= 0
          ? null
          : offset - limit <= 0
          ? removeQueryParam(url, "offset")
          : replaceQueryParam(url, "offset", offset - limit),
        results,
      }),
    };
  }

  /** `limit` and `offset`. */
  parameters(): QueryParameter[] {
    return [
      integer("limit", "Number of results to return per page."),
      integer("offset", "The initial index from which to return the results."),
    ];
  }

  /** The page envelope. */
  responseSchema(results: JsonSchema): JsonSchema {
    return {
      type: "object",
      required: ["count", "next", "previous", "results"],
      properties: {
        count: { type: "integer", examples: [123] },
        next: link("/notes?limit=100&offset=400"),
        previous: link("/notes?limit=100&offset=200"),
        results,
      },
    };
  }
}
