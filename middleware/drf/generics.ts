/**
 * Generic views, after DRF's `generics.py`: `GenericApiView` holds what a
 * view over a repository needs (serializer, lookup, pagination, filters,
 * policies) and its building blocks (`getQueryset`, `filterQueryset`,
 * `getObject`, validation, representation); the concrete views
 * (`ListCreateApiView`, `RetrieveUpdateDestroyApiView`...) bind methods to
 * the actions of `mixins.ts`. Every one runs through the one dispatch.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { NotFound } from "./exceptions.ts";
import { Field, type Mode } from "./fields/field.ts";
import type { FilterBackend } from "./filters.ts";
import type { ViewMetadata } from "./metadata.ts";
import * as mixins from "./mixins.ts";
import type { Pagination } from "./pagination.ts";
import { Query, type Record_, type Repository } from "./repository.ts";
import type { ApiContext, Params } from "./request.ts";
import { Serializer } from "./serializers.ts";
import { validateData } from "./validate_data.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { dispatch, type Operation, type Policies, type View } from "./views.ts";
import { checkObjectPermissions, checkPermissions } from "./_policies.ts";

/** A path converter of the router: `int` (a number) or `str`. */
export type Converter = "int" | "str";

/** The path parameters of a detail route: `<int:id>` is `{ id: number }`. */
export type DetailParams<K extends string, C extends Converter> = {
  [P in K]: C extends "int" ? number : string;
};

/** No path parameters (a list route). */
export type NoParams = Record<string, never>;

/** What a view's serializer validates into (its Standard Schema output). */
export type DataOf<S extends StandardSchemaV1> = StandardSchemaV1.InferOutput<S>;

/** What a generic view is made of, as DRF's `GenericAPIView` class attributes. */
export interface GenericOptions<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends Policies {
  /** The records (DRF's `queryset`). */
  readonly repository: Repository<T>;
  /** Validates what is sent and, when of the field kit, shapes what is shown (`serializer_class`). */
  readonly serializer: S;
  /** The field a detail route looks records up by, and its path parameter (`lookup_field`); `id`. */
  readonly lookupField?: K;
  /** The path converter of the lookup; `int` by default. */
  readonly lookupConverter?: C;
  /** How lists are paged (`pagination_class`); not paged when left out. */
  readonly pagination?: Pagination;
  /** The filter backends (`filter_backends`), in order. */
  readonly filters?: readonly FilterBackend[];
  /** The name OPTIONS gives, e.g. `"Note"` (a view set adds "List" or "Instance"). */
  readonly name?: string;
  /** The description OPTIONS gives. */
  readonly description?: string;
  /** The handlers' deadline in ms (see `ViewConfig.timeout`). */
  readonly timeout?: number;
  /** DRF's `get_queryset`: the records this request may see; all by default. */
  readonly queryset?: (context: ApiContext) => Query;
  /** How a record is shown when the serializer is not of the field kit; as stored by default. */
  readonly toRepresentation?: (record: T) => unknown;
  /** DRF's `perform_create`: store what was validated (add the owner here). */
  readonly performCreate?: (data: DataOf<S>, context: ApiContext) => Promise<T>;
  /** DRF's `perform_update`: store the validated changes. */
  readonly performUpdate?: (
    record: T,
    data: Partial<DataOf<S>>,
    context: ApiContext<DetailParams<K, C>>,
  ) => Promise<T | undefined>;
  /** DRF's `perform_destroy`. */
  readonly performDestroy?: (record: T, context: ApiContext<DetailParams<K, C>>) => Promise<void>;
}

/** How a route's view is named and described (a router's `initkwargs`). */
export interface ViewInit {
  /** The full name, e.g. `"Note List"`. */
  readonly name: string;
  /** The description. */
  readonly description?: string;
  /** Whether the route is of one record. */
  readonly detail: boolean;
}

/**
 * DRF's `GenericAPIView`: the building blocks, and `asView(methods)` that
 * binds methods to actions through the one dispatch.
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
    const { serializer, pagination, filters } = this.options;
    const shown = this.options.toRepresentation ? undefined : serializer;
    switch (action) {
      case "list":
        return { action, status: 200, response: shown, many: true, pagination, filters };
      case "create":
        return { action, status: 201, request: serializer, response: shown };
      case "update":
      case "partial_update":
        return {
          action,
          status: 200,
          request: serializer,
          partial: action === "partial_update",
          response: shown,
          detail,
        };
      case "destroy":
        return { action, status: 204, detail };
      default:
        return { action, status: 200, response: shown, detail };
    }
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
    const { serializer } = this.options;
    if (!(serializer instanceof Serializer)) return base;
    const actions: Record<string, Record<string, unknown>> = {};
    for (const method of ["POST", "PUT"].filter((m) => methods.includes(m))) {
      const clone = new Request(request.url, { method, headers: request.headers });
      try {
        await checkPermissions(clone, context);
        if (method === "PUT") await this.getObject(clone, context);
      } catch {
        continue;
      }
      actions[method] = serializer.fieldsInfo();
    }
    return Object.keys(actions).length ? { ...base, actions } : base;
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

/** DRF's `RetrieveUpdateDestroyAPIView`: GET, PUT, PATCH and DELETE of one record. */
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

/** DRF's `ListAPIView`. */
export class ListApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = { GET: "list" };
  protected readonly detail = false;
}

/** DRF's `RetrieveAPIView`. */
export class RetrieveApiView<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ConcreteView<T, S, K, C> {
  protected readonly methods = { GET: "retrieve" };
  protected readonly detail = true;
}
