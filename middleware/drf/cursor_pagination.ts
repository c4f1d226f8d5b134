/**
 * DRF's `CursorPagination`, the natural fit for Deno KV: a page starts at a
 * position in the ordering (a range of an index) rather than at an offset
 * that must be counted to. `{"next","previous","results"}`; a cursor that
 * does not decode is `404 {"detail":"Invalid cursor"}` (the cursor's text is
 * in `_cursor.ts`). The algorithm, offsets for runs of equal positions
 * included, is DRF's.
 *
 * @module
 */

import {
  type Cursor,
  decodeCursor,
  decodePosition,
  encodeCursor,
  encodePosition,
} from "./_cursor.ts";
import type { JsonSchema } from "./fields/field.ts";
import {
  lastParam,
  type Page,
  type Pagination,
  positiveInt,
  type QueryParameter,
  requestUrl,
} from "./pagination.ts";
import type { OrderingTerm, Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";

/** Options of {@linkcode CursorPagination}. */
export interface CursorOptions {
  /** Records a page. */
  readonly pageSize: number;
  /** The order when no ordering filter set one; `["-created", "-id"]` by default. */
  readonly ordering?: readonly string[];
  /** The parameter a client sets the page size with; none by default. */
  readonly pageSizeQueryParam?: string;
  /** The largest page size a client may ask for. */
  readonly maxPageSize?: number;
  /** The largest offset a cursor may carry (DRF's guard): 1000. */
  readonly offsetCutoff?: number;
}

/**
 * DRF's `CursorPagination`, ordered by the view's ordering filter when it
 * has one (as DRF's), else by its own `ordering`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, CursorPagination, MemoryRepository, Query } from "./mod.ts";
 * const notes = new MemoryRepository<{ id: number }>();
 * for (let i = 0; i < 3; i++) await notes.create({});
 * const paginator = new CursorPagination({ pageSize: 2, ordering: ["id"] });
 * const page = await paginator.paginate(notes, new Query(), new ApiContext(new Request("http://x/n")));
 * assertEquals(page.records.map((n) => n.id), [1, 2]);
 * assertEquals(page.envelope([]).next, "/n?cursor=cD1uJTNBMg%3D%3D");
 * ```
 */
export class CursorPagination implements Pagination {
  readonly #options: CursorOptions;
  readonly #ordering: readonly OrderingTerm[];

  /** Make the style with a page size and an ordering. */
  constructor(options: CursorOptions) {
    this.#options = options;
    this.#ordering = (options.ordering ?? ["-created", "-id"]).map((term) => ({
      field: term.replace(/^-/, ""),
      descending: term.startsWith("-"),
    }));
  }

  /** One page from the cursor's position. */
  async paginate<T extends Record_>(
    repository: Repository<T>,
    query: Query,
    context: ApiContext,
  ): Promise<Page<T>> {
    const { pageSizeQueryParam, maxPageSize, offsetCutoff = 1000 } = this.#options;
    const size =
      (pageSizeQueryParam
        ? positiveInt(lastParam(context, pageSizeQueryParam), true, maxPageSize)
        : undefined) ?? this.#options.pageSize;
    const baseUrl = requestUrl(context);
    const ordering = query.ordering.length ? query.ordering : this.#ordering;
    const cursor = decodeCursor(lastParam(context, "cursor"), offsetCutoff);
    const { offset, reverse, position: current } = cursor ??
      { offset: 0, reverse: false, position: null };
    let ordered = query.orderBy(...reverse ? ordering.map(invert) : ordering);
    const [first] = ordering;
    if (current !== null) {
      const op = reverse !== first.descending ? "lt" : "gt";
      ordered = ordered.filter({ op, field: first.field, value: decodePosition(current) });
    }
    const results = await repository.find(ordered, { offset, limit: size + 1 });
    const page = results.slice(0, size);
    const positionOf = (record: T) =>
      encodePosition((record as Record<string, unknown>)[first.field]);
    const following = results.length > page.length ? positionOf(results.at(-1)!) : null;
    if (reverse) page.reverse();
    const hasNext = reverse ? current !== null || offset > 0 : following !== null;
    const hasPrevious = reverse ? following !== null : current !== null || offset > 0;
    const nextPosition = reverse ? current : following;
    const previousPosition = reverse ? following : current;
    const link = (c: Cursor) => encodeCursor(baseUrl, c);

    // DRF's get_next_link and get_previous_link, step for step.
    const next = (): string | null => {
      if (!hasNext) return null;
      let compare = page.length && cursor?.reverse && cursor.offset !== 0
        ? positionOf(page.at(-1)!)
        : nextPosition;
      let nextOffset = 0;
      let position: string | null = null;
      let unique = false;
      for (const record of [...page].reverse()) {
        position = positionOf(record);
        if (position !== compare) {
          unique = true;
          break;
        }
        compare = position;
        nextOffset++;
      }
      if (page.length && !unique) {
        if (!hasPrevious) [nextOffset, position] = [size, null];
        else if (cursor!.reverse) [nextOffset, position] = [0, previousPosition];
        else [nextOffset, position] = [cursor!.offset + size, previousPosition];
      }
      if (!page.length) position = nextPosition;
      return link({ offset: nextOffset, reverse: false, position });
    };
    const previous = (): string | null => {
      if (!hasPrevious) return null;
      let compare = page.length && cursor && !cursor.reverse && cursor.offset !== 0
        ? positionOf(page[0])
        : previousPosition;
      let previousOffset = 0;
      let position: string | null = null;
      let unique = false;
      for (const record of page) {
        position = positionOf(record);
        if (position !== compare) {
          unique = true;
          break;
        }
        compare = position;
        previousOffset++;
      }
      if (page.length && !unique) {
        if (!hasNext) [previousOffset, position] = [size, null];
        else if (cursor!.reverse) {
          [previousOffset, position] = [cursor!.offset + size, nextPosition];
        } else [previousOffset, position] = [0, nextPosition];
      }
      if (!page.length) position = previousPosition;
      return link({ offset: previousOffset, reverse: true, position });
    };
    return {
      records: page,
      envelope: (results) => ({ next: next(), previous: previous(), results }),
    };
  }

  /** `cursor`, and the page size parameter when there is one. */
  parameters(): QueryParameter[] {
    const parameters: QueryParameter[] = [{
      name: "cursor",
      required: false,
      in: "query",
      description: "The pagination cursor value.",
      schema: { type: "string" },
    }];
    if (this.#options.pageSizeQueryParam) {
      parameters.push({
        name: this.#options.pageSizeQueryParam,
        required: false,
        in: "query",
        description: "Number of results to return per page.",
        schema: { type: "integer" },
      });
    }
    return parameters;
  }

  /** The page envelope. */
  responseSchema(results: JsonSchema): JsonSchema {
    const link = { type: ["string", "null"], format: "uri-reference" };
    return {
      type: "object",
      required: ["next", "previous", "results"],
      properties: { next: link, previous: link, results },
    };
  }
}

function invert(term: OrderingTerm): OrderingTerm {
  return { field: term.field, descending: !term.descending };
}
