/**
 * A {@linkcode Repository} on Deno KV. Keys, under the repository's prefix:
 * `["record", id]` the record; `["index", field, value, id]` one entry per
 * indexed field (e.g. by owner, by created), holding a copy of the record (a
 * covering index: a page is one read), written in the SAME
 * `kv.atomic()` commit as the record, so an index never names a record that
 * is not there or misses one that is; `["seq"]` the last id and `["count"]`
 * the number of records, in that commit too. Ids come from the sequence with
 * an atomic check on its versionstamp: two processes on one KV file never
 * take the same id (the loser retries), and creates in one process take
 * turns so they do not race each other.
 *
 * How a query reads these keys (an index's range when it can) is in
 * `_kv_query.ts`.
 *
 * @module
 */

import {
  indexedEquality,
  keyPart,
  kvKey,
  type KvLayout,
  matchingRecords,
  orderedRecords,
} from "./_kv_query.ts";
import { ApiError } from "./exceptions.ts";
import { type Query, type Record_, type Repository, type Slice } from "./repository.ts";

/** Options of a {@linkcode KvRepository}. */
export interface KvRepositoryOptions<T> {
  /** The first key part of everything this repository stores, e.g. `"notes"`. */
  readonly prefix: string;
  /** Fields with a secondary index (values: strings, numbers, booleans or dates). */
  readonly indexes?: readonly (keyof T & string)[];
}

// Tries of a commit that lost a race (another writer changed what it read).
const MAX_ATTEMPTS = 32;
const MINUS_ONE = 0xffffffffffffffffn; // KvU64 sums wrap: adding this subtracts 1

/**
 * Records of type `T` (integer ids) in Deno KV.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { KvRepository } from "./kv_repository.ts";
 * import { Query } from "./repository.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const notes = new KvRepository<{ id: number; owner: string }>(kv, { prefix: "notes", indexes: ["owner"] });
 * await notes.create({ owner: "ada" });
 * await notes.create({ owner: "bob" });
 * const ada = new Query().filter({ op: "eq", field: "owner", value: "ada" });
 * assertEquals(await notes.find(ada), [{ owner: "ada", id: 1 }]);
 * assertEquals(await notes.count(new Query()), 2);
 * ```
 */
export class KvRepository<T extends Record_ & { id: number }> implements Repository<T> {
  readonly #kv: Deno.Kv;
  readonly #layout: KvLayout;
  #seq: { value: number; versionstamp: string | null } | undefined;
  #turn: Promise<unknown> = Promise.resolve();

  /** Make a repository over a KV store. */
  constructor(kv: Deno.Kv, options: KvRepositoryOptions<T>) {
    this.#kv = kv;
    this.#layout = { kv, prefix: options.prefix, indexes: options.indexes ?? [] };
  }

  /** The records the query selects, in its order, sliced. */
  async find(query: Query, slice: Slice = {}): Promise<T[]> {
    const offset = slice.offset ?? 0;
    const limit = slice.limit ?? Infinity;
    const stream = orderedRecords<T>(this.#layout, query, Math.min(500, offset + limit + 1));
    if (stream) {
      const found: T[] = [];
      let skipped = 0;
      if (limit <= 0) return found;
      for await (const record of stream) {
        if (!query.matches(record)) continue;
        if (skipped++ < offset) continue;
        found.push(record);
        if (found.length >= limit) break;
      }
      return found;
    }
    const all = await matchingRecords<T>(this.#layout, query);
    all.sort((a, b) => query.compare(a, b));
    return all.slice(offset, offset + limit);
  }

  /** How many records the query selects (the count key when it selects all). */
  async count(query: Query): Promise<number> {
    if (query.where.length === 0) {
      const count = await this.#kv.get<Deno.KvU64>(this.#key("count"));
      return Number(count.value?.value ?? 0n);
    }
    const only = query.where.length === 1 ? indexedEquality(this.#layout, query.where) : undefined;
    if (only) {
      let count = 0;
      for await (const _ of this.#kv.list({ prefix: this.#key("index", only.field, only.part) })) {
        count++;
      }
      return count;
    }
    return (await matchingRecords<T>(this.#layout, query)).length;
  }

  /** One record by id. */
  async get(id: number): Promise<T | undefined> {
    return (await this.#kv.get<T>(this.#key("record", id))).value ?? undefined;
  }

  /** Store a new record with the next id, its indexes and the count in one commit. */
  create(values: Omit<T, "id">): Promise<T> {
    const run = this.#turn.then(() => this.#create(values));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #create(values: Omit<T, "id">): Promise<T> {
    const seqKey = this.#key("seq");
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!this.#seq) {
        const entry = await this.#kv.get<number>(seqKey);
        this.#seq = { value: entry.value ?? 0, versionstamp: entry.versionstamp };
      }
      const id = this.#seq.value + 1;
      const record = { ...values, id } as T;
      const op = this.#kv.atomic()
        .check({ key: seqKey, versionstamp: this.#seq.versionstamp })
        .set(seqKey, id)
        .set(this.#key("record", id), record)
        .sum(this.#key("count"), 1n);
      for (const field of this.#layout.indexes) this.#setIndex(op, field, record);
      const result = await commit(op);
      if (result.ok) {
        this.#seq = { value: id, versionstamp: result.versionstamp };
        return record;
      }
      this.#seq = undefined; // another process took the id: read the sequence again
    }
    throw new ApiError("The store is busy; try again.", { status: 503 });
  }

  /** Change a record and move its index entries, in one commit checked against what was read. */
  async update(id: number, changes: Partial<Omit<T, "id">>): Promise<T | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.#kv.get<T>(this.#key("record", id));
      if (!entry.value) return undefined;
      const before = entry.value as unknown as Record<string, unknown>;
      const after = { ...entry.value, ...changes, id } as T;
      const op = this.#kv.atomic().check(entry).set(entry.key, after);
      for (const field of this.#layout.indexes) {
        const [old, next] = [
          keyPart(before[field]),
          keyPart((after as Record<string, unknown>)[field]),
        ];
        if (old !== undefined && old !== next) op.delete(this.#key("index", field, old, id));
        this.#setIndex(op, field, after);
      }
      if ((await commit(op)).ok) return after;
    }
    throw new ApiError("The store is busy; try again.", { status: 503 });
  }

  /** Delete a record, its index entries and one from the count, in one commit. */
  async delete(id: number): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.#kv.get<T>(this.#key("record", id));
      if (!entry.value) return false;
      const record = entry.value as unknown as Record<string, unknown>;
      const op = this.#kv.atomic().check(entry).delete(entry.key).sum(
        this.#key("count"),
        MINUS_ONE,
      );
      for (const field of this.#layout.indexes) {
        const part = keyPart(record[field]);
        if (part !== undefined) op.delete(this.#key("index", field, part, id));
      }
      if ((await commit(op)).ok) return true;
    }
    throw new ApiError("The store is busy; try again.", { status: 503 });
  }

  #key(...parts: Deno.KvKeyPart[]): Deno.KvKey {
    return kvKey(this.#layout, ...parts);
  }

  #setIndex(op: Deno.AtomicOperation, field: string, record: T): void {
    const part = keyPart((record as Record<string, unknown>)[field]);
    // A covering index: the entry holds the record, so a page read from an
    // index is one list, with no second read per record.
    if (part !== undefined) op.set(this.#key("index", field, part, record.id), record);
  }
}

// Deno KV's limits (64 KiB a value) answer as a 413, not a 500.
async function commit(op: Deno.AtomicOperation): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  try {
    return await op.commit();
  } catch (error) {
    if (error instanceof TypeError && /too large/i.test(error.message)) {
      throw new ApiError("The record is too large to store.", { status: 413 });
    }
    throw error;
  }
}
