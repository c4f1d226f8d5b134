/**
 * DRF's `GenericAPIView`: what a view over a repository needs (serializer,
 * lookup, pagination, filters, policies) and its building blocks
 * (`getQueryset`, `filterQueryset`, `getObject`, validation,
 * representation), and `asView` that binds methods to the actions of
 * `mixins.ts` through the one dispatch.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { NotFound } from "./exceptions.ts";
import { Field, type Mode } from "./fields/field.ts";
import type {
  Converter,
  DataOf,
  DetailParams,
  GenericOptions,
  ViewInit,
} from "./generic_options.ts";
import type { ViewMetadata } from "./metadata.ts";
import { Query, type Record_ } from "./repository.ts";
import type { ApiContext, Params } from "./request.ts";
import { validateData } from "./validate_data.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { dispatch, type Operation, type View } from "./views.ts";
import { actionOperation } from "./_action_operation.ts";
import { determineActions } from "./_determine_actions.ts";
import { checkObjectPermissions } from "./_policies.ts";

/**
 * DRF's `GenericAPIView`: the building blocks, and `asView(methods)` that
 * binds methods to actions through the one dispatch.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { f, GenericApiView, MemoryRepository, NotFound, serializer } from "./mod.ts";
 * import { ApiContext } from "./request.ts";
 * const repository = new MemoryRepository<{ id: number; name: string }>();
 * await repository.create({ name: "a" });
 * const view = new GenericApiView({
 *   repository,
 *   serializer: serializer({ id: f.integer({ readOnly: true }), name: f.string() }),
 * });
 * const request = new Request("http://x/tags/1");
 * const context = new ApiContext(request);
 * context.params = { id: 1 };
 * assertEquals(view.represent(await view.getObject(request, context)), { id: 1, name: "a" });
 * context.params = { id: 2 };
 * await assertRejects(() => view.getObject(request, context), NotFound);
 * ```
 */
export class GenericApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> {
  /** What the view is made of. */
  readonly options: GenericOptions<T, S, K, C>;

  /** Make the view. */
  constructor(options: GenericOptions<T, S, K, C>) {
    this.options = options;
  }

  /** The lookup's path parameter and converter. */
  get lookup(): { readonly field: K; readonly converter: C } {
    return {
      field: this.options.lookupField ?? "id" as K,
      converter: this.options.lookupConverter ?? "int" as C,
    };
  }

  /** DRF's `get_queryset`. */
  getQueryset(context: ApiContext): Query {
    return this.options.queryset?.(context) ?? new Query();
  }

  /** DRF's `filter_queryset`: every backend in turn. */
  async filterQueryset(query: Query, context: ApiContext): Promise<Query> {
    for (const backend of this.options.filters ?? []) query = await backend.filter(query, context);
    return query;
  }

  /**
   * DRF's `get_object`: the record the path names, among those the filters
   * let through, or `404 {"detail":"Not found."}`; then the object
   * permissions (`check_object_permissions`).
   */
  async getObject(request: Request, context: ApiContext): Promise<T> {
    const query = await this.filterQueryset(this.getQueryset(context), context);
    const { field } = this.lookup;
    const value = context.params[field];
    const record = field === "id"
      ? await this.options.repository.get(value as T["id"])
      : (await this.options.repository.find(query.filter({ op: "eq", field, value }), {
        limit: 1,
      }))[0];
    if (!record || !query.matches(record)) throw new NotFound();
    await checkObjectPermissions(request, context, record);
    return record;
  }

  /**
   * DRF's `is_valid(raise_exception=True)`: the field kit's serializers in
   * `mode`; another Standard Schema validates the whole, so for a partial
   * update it sees the stored representation with the changes over it.
   */
  async validate(data: unknown, mode: Mode, record?: T): Promise<DataOf<S>> {
    const { serializer } = this.options;
    if (serializer instanceof Field || mode !== "partial" || !record || !isObject(data)) {
      return await validateData(serializer, data, mode) as DataOf<S>;
    }
    const stored = this.represent(record) as Record<string, unknown>;
    return await validateData(serializer, { ...stored, ...data }) as DataOf<S>;
  }

  /** A record as clients see it (DRF's `serializer.data`). */
  represent(record: T): unknown {
    const { serializer, toRepresentation } = this.options;
    if (toRepresentation) return toRepresentation(record);
    return serializer instanceof Field ? serializer.toRepresentation(record) : record;
  }

  /** DRF's `perform_create`. */
  performCreate(data: DataOf<S>, context: ApiContext): Promise<T> {
    if (this.options.performCreate) return this.options.performCreate(data, context);
    return this.options.repository.create(data as unknown as Omit<T, "id">);
  }

  /** DRF's `perform_update`; `undefined` when the record went meanwhile. */
  performUpdate(record: T, data: Partial<DataOf<S>>, context: ApiContext): Promise<T | undefined> {
    const typed = context as ApiContext<DetailParams<K, C>>;
    if (this.options.performUpdate) return this.options.performUpdate(record, data, typed);
    return this.options.repository.update(record.id, data as Partial<Omit<T, "id">>);
  }

  /** DRF's `perform_destroy`. */
  async performDestroy(record: T, context: ApiContext): Promise<void> {
    const typed = context as ApiContext<DetailParams<K, C>>;
    if (this.options.performDestroy) return await this.options.performDestroy(record, typed);
    await this.options.repository.delete(record.id);
  }

  /**
   * The handler of a route: each method bound to an action (a method of this
   * view, as `list`), through the one dispatch, with DRF's OPTIONS `actions`
   * and each method's operation for readers of the route table.
   */
  asView(mapping: Readonly<Record<string, string>>, init: ViewInit): Handler {
    const handlers: Record<string, View> = {};
    const operations: Record<string, Operation> = {};
    for (const [method, action] of Object.entries(mapping)) {
      const run = (this as unknown as Record<string, View>)[camel(action)];
      handlers[method] = (request, context) => run.call(this, request, context);
      operations[method] = this.operation(action, init.detail);
    }
    return dispatch({
      ...this.options,
      name: init.name,
      description: init.description ?? this.options.description,
      handlers,
      operations,
      actions: mapping,
      metadata: (request, context, base) =>
        this.metadata(request, context, base, Object.keys(mapping)),
    });
  }

  /** What an action does, as data (see `Operation`). */
  operation(action: string, detail: boolean): Operation {
    return actionOperation(this.options, action, detail);
  }

  /**
   * DRF's `SimpleMetadata.determine_actions`: the fields POST and PUT take,
   * each shown only when this user passes its permission checks (and, for
   * PUT, may act on the record).
   */
  async metadata(
    request: Request,
    context: ApiContext,
    base: ViewMetadata,
    methods: readonly string[],
  ): Promise<ViewMetadata> {
    return await determineActions(this, request, context, base, methods);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// DRF's action names are snake_case (`partial_update`); ours are methods.
function camel(action: string): string {
  return action.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The params of a detail route of a view (for typing your own actions). */
export type ParamsOf<V> = V extends GenericApiView<infer _T, infer _S, infer K, infer C>
  ? DetailParams<K, C>
  : Params;
