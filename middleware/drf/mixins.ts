/**
 * The actions of generic views, after DRF's `mixins.py`: `list`, `create`
 * (201, with `Location` when the representation has a `url`), `retrieve`,
 * `update` (PUT, the whole validated; a field with a default that is left
 * out keeps its stored value), `partialUpdate` (PATCH) and `destroy` (204, no
 * body). Each takes the view whose building blocks it uses.
 *
 * @module
 */

import { NotFound } from "./exceptions.ts";
import type { Mode } from "./fields/field.ts";
import type { Pagination } from "./pagination.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { ApiResponse } from "./response.ts";

/**
 * What the actions use of a generic view (`GenericApiView` has it all): its
 * building blocks, named here so that this module need not import that one.
 */
// deno-lint-ignore no-explicit-any
export interface AnyView<T extends Record_, D = any> {
  /** The repository and the paging of the view. */
  readonly options: { readonly repository: Repository<T>; readonly pagination?: Pagination };
  /** The query of every record the view may see. */
  getQueryset(context: ApiContext): Query;
  /** That query narrowed by the view's filters. */
  filterQueryset(query: Query, context: ApiContext): Promise<Query>;
  /** The one record the request names, or a 404. */
  getObject(request: Request, context: ApiContext): Promise<T>;
  /** The body validated for the mode, over a stored record for an update. */
  validate(data: unknown, mode: Mode, record?: T): Promise<D>;
  /** The representation of a record. */
  represent(record: T): unknown;
  /** Store a new record made of validated data. */
  performCreate(data: D, context: ApiContext): Promise<T>;
  /** Store changes to a record. */
  performUpdate(record: T, data: Partial<D>, context: ApiContext): Promise<T | undefined>;
  /** Delete a record. */
  performDestroy(record: T, context: ApiContext): Promise<void>;
}

/**
 * DRF's `ListModelMixin.list`: the filtered records, one page of them when
 * the view paginates.
 */
export async function list<T extends Record_>(
  view: AnyView<T>,
  _request: Request,
  context: ApiContext,
): Promise<unknown> {
  const query = await view.filterQueryset(view.getQueryset(context), context);
  const { pagination, repository } = view.options;
  if (pagination) {
    const page = await pagination.paginate(repository, query, context);
    return page.envelope(page.records.map((record) => view.represent(record)));
  }
  return (await repository.find(query)).map((record) => view.represent(record));
}

/** DRF's `CreateModelMixin.create`: 201 with the representation, and `Location` from its `url`. */
export async function create<T extends Record_>(
  view: AnyView<T>,
  _request: Request,
  context: ApiContext,
): Promise<ApiResponse> {
  const data = await view.validate(await context.data(), "create");
  const shown = view.represent(await view.performCreate(data, context));
  const url = typeof shown === "object" && shown !== null
    ? (shown as { url?: unknown }).url
    : undefined;
  const headers = url === undefined || url === null ? undefined : { location: String(url) };
  return new ApiResponse(shown, { status: 201, headers });
}

/** DRF's `RetrieveModelMixin.retrieve`. */
export async function retrieve<T extends Record_>(
  view: AnyView<T>,
  request: Request,
  context: ApiContext,
): Promise<unknown> {
  return view.represent(await view.getObject(request, context));
}

/** DRF's `UpdateModelMixin.update`: the record first (404, 403), then the data (400). */
export async function update<T extends Record_>(
  view: AnyView<T>,
  request: Request,
  context: ApiContext,
  partial = false,
): Promise<unknown> {
  const record = await view.getObject(request, context);
  const data = await view.validate(await context.data(), partial ? "partial" : "update", record);
  const updated = await view.performUpdate(record, data, context);
  if (!updated) throw new NotFound();
  return view.represent(updated);
}

/** DRF's `partial_update`: `update` with only what is sent validated. */
export function partialUpdate<T extends Record_>(
  view: AnyView<T>,
  request: Request,
  context: ApiContext,
): Promise<unknown> {
  return update(view, request, context, true);
}

/** DRF's `DestroyModelMixin.destroy`: 204 and no body. */
export async function destroy<T extends Record_>(
  view: AnyView<T>,
  request: Request,
  context: ApiContext,
): Promise<ApiResponse> {
  await view.performDestroy(await view.getObject(request, context), context);
  return new ApiResponse(undefined, { status: 204 });
}
