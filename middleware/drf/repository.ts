/**
 * The data behind a generic view, in the role of DRF's queryset: a
 * {@linkcode Query} (conditions, ordering, a slice; in `query.ts`) that
 * filter backends and paginators build, and a {@linkcode Repository} that
 * runs it and creates, updates and deletes records. `kv_repository.ts` keeps
 * records in Deno KV; `memory_repository.ts`'s `MemoryRepository` keeps them
 * in a `Map` (for tests and examples).
 *
 * @module
 */

import type { Query } from "./query.ts";

// What a repository runs; importers of the repository take the query's names from here too.
export { compareValues, type Condition, type OrderingTerm, Query } from "./query.ts";

/** A record's id: an integer from a sequence, or a string. */
export type Id = number | string;

/** A stored record: an object with an `id`. */
export type Record_ = { readonly id: Id };

/** What a repository's `find` takes: the query and the slice of its results. */
export interface Slice {
  /** Results to skip. */
  readonly offset?: number;
  /** The most results; all when left out. */
  readonly limit?: number;
}

/**
 * The async store a generic view works over (DRF's queryset and model
 * manager). `T` is the stored record; `create` takes it without its `id`.
 */
export interface Repository<T extends Record_> {
  /** The records the query selects, in its order, sliced. */
  find(query: Query, slice?: Slice): Promise<T[]>;
  /** How many records the query selects. */
  count(query: Query): Promise<number>;
  /** One record by id, or `undefined`. */
  get(id: T["id"]): Promise<T | undefined>;
  /** Store a new record; its id is made here. */
  create(values: Omit<T, "id">): Promise<T>;
  /** Change some values of a record; `undefined` when it is gone. */
  update(id: T["id"], changes: Partial<Omit<T, "id">>): Promise<T | undefined>;
  /** Delete a record; `false` when it was already gone. */
  delete(id: T["id"]): Promise<boolean>;
}
