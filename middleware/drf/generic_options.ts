/**
 * What a generic view is made of, as DRF's `GenericAPIView` class
 * attributes (`queryset`, `serializer_class`, `lookup_field`,
 * `pagination_class`, `filter_backends`, the `perform_*` hooks), and the
 * types of its path parameters.
 *
 * @module
 */

import type { FilterBackend } from "./filters.ts";
import type { Pagination } from "./pagination.ts";
import type { Query, Record_, Repository } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import type { Policies } from "./view_config.ts";

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
