/**
 * DRF's `PageNumberPagination`: a page by its number, `?page=N`, in the
 * envelope `{"count","next","previous","results"}`. The interface it
 * implements and the helpers it shares are in `pagination.ts`.
 *
 * @module
 */

import { NotFound } from "./exceptions.ts";
import type { JsonSchema } from "./fields/field.ts";
import {
  lastParam,
  type Page,
  type Pagination,
  positiveInt,
  pythonInt,
  type QueryParameter,
  requestUrl,
} from "./pagination.ts";
import { integer, link } from "./_pagination_schema.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { removeQueryParam, replaceQueryParam } from "./utils/urls.ts";

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
