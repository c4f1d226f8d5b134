/**
 * Generic views, after DRF's `generics.py`: `GenericApiView` (made in
 * `generic_api_view.ts`, of the options of `generic_options.ts`, both
 * re-exported here as DRF's module holds them) holds what a view over a
 * repository needs (serializer, lookup, pagination, filters, policies) and
 * its building blocks (`getQueryset`, `filterQueryset`, `getObject`,
 * validation, representation); the concrete views (`ListCreateApiView`,
 * `RetrieveUpdateDestroyApiView`...) bind methods to the actions of
 * `mixins.ts`. Every one runs through the one dispatch.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { GenericApiView } from "./generic_api_view.ts";
import type { Converter } from "./generic_options.ts";
import * as mixins from "./mixins.ts";
import type { Record_ } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";

// The base and what it is made of are part of DRF's `generics` module.
export { GenericApiView, type ParamsOf } from "./generic_api_view.ts";
export type {
  Converter,
  DataOf,
  DetailParams,
  GenericOptions,
  NoParams,
  ViewInit,
} from "./generic_options.ts";

/** A generic view with its methods bound to actions, as DRF's concrete generic views. */
abstract class ConcreteView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string,
  C extends Converter,
> extends GenericApiView<T, S, K, C> {
  protected abstract readonly methods: Readonly<Record<string, string>>;
  protected abstract readonly detail: boolean;

  /** The view's handler, named `<name>` as given. */
  handler(): Handler {
    return this.asView(this.methods, { name: this.options.name ?? "", detail: this.detail });
  }

  list(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.list(this, request, context);
  }
  create(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.create(this, request, context);
  }
  retrieve(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.retrieve(this, request, context);
  }
  update(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.update(this, request, context);
  }
  partialUpdate(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.partialUpdate(this, request, context);
  }
  destroy(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.destroy(this, request, context);
  }
}

/**
 * DRF's `ListCreateAPIView`: GET lists, POST creates.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, ListCreateApiView, MemoryRepository, serializer } from "./mod.ts";
 * import { callView } from "./test.ts";
 * const view = new ListCreateApiView({
 *   name: "Tag List",
 *   repository: new MemoryRepository<{ id: number; name: string }>(),
 *   serializer: serializer({ id: f.integer({ readOnly: true }), name: f.string() }),
 * }).handler();
 * const created = await callView(view, { method: "POST", body: '{"name":"a"}', headers: { "content-type": "application/json" } });
 * assertEquals([created.status, await created.json()], [201, { id: 1, name: "a" }]);
 * assertEquals(await (await callView(view)).json(), [{ id: 1, name: "a" }]);
 * ```
 */
export class ListCreateApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = { GET: "list", POST: "create" };
  protected readonly detail = false;
}

/**
 * DRF's `RetrieveUpdateDestroyAPIView`: GET, PUT, PATCH and DELETE of one record.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, MemoryRepository, RetrieveUpdateDestroyApiView, serializer } from "./mod.ts";
 * import { callView } from "./test.ts";
 * const repository = new MemoryRepository<{ id: number; name: string }>();
 * await repository.create({ name: "a" });
 * const view = new RetrieveUpdateDestroyApiView({
 *   name: "Tag Instance",
 *   repository,
 *   serializer: serializer({ id: f.integer({ readOnly: true }), name: f.string() }),
 * }).handler();
 * const deleted = await callView(view, { method: "DELETE", params: { id: 1 } });
 * assertEquals(deleted.status, 204);
 * assertEquals((await callView(view, { params: { id: 1 } })).status, 404);
 * ```
 */
export class RetrieveUpdateDestroyApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = {
    GET: "retrieve",
    PUT: "update",
    PATCH: "partial_update",
    DELETE: "destroy",
  };
  protected readonly detail = true;
}

/**
 * DRF's `ListAPIView`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, ListApiView, MemoryRepository, serializer } from "./mod.ts";
 * import { callView } from "./test.ts";
 * const view = new ListApiView({
 *   name: "Tag List",
 *   repository: new MemoryRepository<{ id: number; name: string }>(),
 *   serializer: serializer({ id: f.integer({ readOnly: true }), name: f.string() }),
 * }).handler();
 * assertEquals(await (await callView(view)).json(), []);
 * assertEquals((await callView(view, { method: "POST", body: "{}" })).status, 405);
 * ```
 */
export class ListApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = { GET: "list" };
  protected readonly detail = false;
}

/**
 * DRF's `RetrieveAPIView`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, MemoryRepository, RetrieveApiView, serializer } from "./mod.ts";
 * import { callView } from "./test.ts";
 * const repository = new MemoryRepository<{ id: number; name: string }>();
 * await repository.create({ name: "a" });
 * const view = new RetrieveApiView({
 *   name: "Tag Instance",
 *   repository,
 *   serializer: serializer({ id: f.integer({ readOnly: true }), name: f.string() }),
 * }).handler();
 * assertEquals(await (await callView(view, { params: { id: 1 } })).json(), { id: 1, name: "a" });
 * assertEquals((await callView(view, { method: "PUT", params: { id: 1 } })).status, 405);
 * ```
 */
export class RetrieveApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = { GET: "retrieve" };
  protected readonly detail = true;
}
