/**
 * DRF's `LimitOffsetPagination`: a page from an offset, `?limit=N&offset=M`,
 * in the envelope `{"count","next","previous","results"}`. The interface it
 * implements and the helpers it shares are in `pagination.ts`.
 *
 * @module
 */

import type { JsonSchema } from "./fields/field.ts";
import {
  lastParam,
  type Page,
  type Pagination,
  positiveInt,
  type QueryParameter,
  requestUrl,
} from "./pagination.ts";
import { integer, link } from "./_pagination_schema.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { removeQueryParam, replaceQueryParam } from "./utils/urls.ts";

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
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, LimitOffsetPagination, MemoryRepository, Query } from "./mod.ts";
 * const notes = new MemoryRepository<{ id: number }>();
 * for (let i = 0; i < 3; i++) await notes.create({});
 * const context = new ApiContext(new Request("http://x/notes?limit=2&offset=2"));
 * const page = await new LimitOffsetPagination({ defaultLimit: 10 }).paginate(notes, new Query(), context);
 * assertEquals(page.records.map((n) => n.id), [3]);
 * assertEquals(page.envelope([]), { count: 3, next: null, previous: "/notes?limit=2", results: [] });
 * ```
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
