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
import type { GenericApiView } from "./generics.ts";
import type { Record_ } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { ApiResponse } from "./response.ts";

// deno-lint-ignore no-explicit-any
type AnyView<T extends Record_> = GenericApiView<T, any, any, any>;

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
