/**
 * A {@linkcode Repository} in memory, for tests and examples; Deno KV's is in
 * `kv_repository.ts`.
 *
 * @module
 */

import type { Query } from "./query.ts";
import type { Repository, Slice } from "./repository.ts";

/**
 * A repository in memory, ids from 1: for tests and examples.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryRepository } from "./memory_repository.ts";
 * import { Query } from "./query.ts";
 * const notes = new MemoryRepository<{ id: number; title: string }>();
 * await notes.create({ title: "b" });
 * await notes.create({ title: "a" });
 * assertEquals((await notes.find(new Query().orderBy("title"))).map((n) => n.id), [2, 1]);
 * ```
 */
export class MemoryRepository<T extends { id: number }> implements Repository<T> {
  readonly #records = new Map<number, T>();
  #last = 0;

  /** The records the query selects, in its order, sliced. */
  find(query: Query, slice: Slice = {}): Promise<T[]> {
    const all = [...this.#records.values()].filter((r) => query.matches(r));
    all.sort((a, b) => query.compare(a, b));
    const start = slice.offset ?? 0;
    return Promise.resolve(
      all.slice(start, slice.limit === undefined ? undefined : start + slice.limit),
    );
  }

  /** How many records the query selects. */
  count(query: Query): Promise<number> {
    return Promise.resolve([...this.#records.values()].filter((r) => query.matches(r)).length);
  }

  /** One record by id. */
  get(id: number): Promise<T | undefined> {
    return Promise.resolve(this.#records.get(id));
  }

  /** Store a new record with the next id. */
  create(values: Omit<T, "id">): Promise<T> {
    const record = { ...values, id: ++this.#last } as T;
    this.#records.set(record.id, record);
    return Promise.resolve(record);
  }

  /** Change some values of a record. */
  update(id: number, changes: Partial<Omit<T, "id">>): Promise<T | undefined> {
    const record = this.#records.get(id);
    if (!record) return Promise.resolve(undefined);
    const updated = { ...record, ...changes, id } as T;
    this.#records.set(id, updated);
    return Promise.resolve(updated);
  }

  /** Delete a record. */
  delete(id: number): Promise<boolean> {
    return Promise.resolve(this.#records.delete(id));
  }
}
