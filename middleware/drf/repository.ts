/**
 * The data behind a generic view, in the role of DRF's queryset: a
 * {@linkcode Query} (conditions, ordering, a slice) that filter backends and
 * paginators build, and a {@linkcode Repository} that runs it and creates,
 * updates and deletes records. `kv_repository.ts` keeps records in Deno KV;
 * `MemoryRepository` keeps them in a `Map` (for tests and examples).
 *
 * @module
 */

/** A record's id: an integer from a sequence, or a string. */
export type Id = number | string;

/** A stored record: an object with an `id`. */
export type Record_ = { readonly id: Id };

/** One condition a record must meet. */
export type Condition =
  | {
    readonly op: "eq" | "lt" | "lte" | "gt" | "gte";
    readonly field: string;
    readonly value: unknown;
  }
  /** DRF's SearchFilter: every term in some field, case-insensitive (`icontains`). */
  | {
    readonly op: "search";
    readonly fields: readonly string[];
    readonly terms: readonly string[];
  };

/** One ordering term: a field, ascending unless `descending`. */
export interface OrderingTerm {
  /** The field. */
  readonly field: string;
  /** Largest first. */
  readonly descending: boolean;
}

/**
 * A query, immutable as a DRF queryset: each method returns a new one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Query } from "./repository.ts";
 * const query = new Query().filter({ op: "eq", field: "owner", value: "ada" }).orderBy("-created");
 * assertEquals(query.ordering, [{ field: "created", descending: true }]);
 * assertEquals(query.matches({ id: 1, owner: "ada" }), true);
 * ```
 */
export class Query {
  /** Every condition must hold. */
  readonly where: readonly Condition[];
  /** The order, first term first. */
  readonly ordering: readonly OrderingTerm[];

  /** Make a query (all records, the repository's own order). */
  constructor(where: readonly Condition[] = [], ordering: readonly OrderingTerm[] = []) {
    this.where = where;
    this.ordering = ordering;
  }

  /** A query with one more condition. */
  filter(condition: Condition): Query {
    return new Query([...this.where, condition], this.ordering);
  }

  /** A query ordered by these terms instead (`"-created"` is descending), as `order_by`. */
  orderBy(...terms: readonly (string | OrderingTerm)[]): Query {
    return new Query(
      this.where,
      terms.map((term) =>
        typeof term === "string"
          ? { field: term.replace(/^-/, ""), descending: term.startsWith("-") }
          : term
      ),
    );
  }

  /** Whether a record meets every condition. */
  matches(record: object): boolean {
    return this.where.every((condition) => meets(record as Record<string, unknown>, condition));
  }

  /** Compare two records by the ordering (then by id, ascending, for a total order). */
  compare(a: object, b: object): number {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const { field, descending } of this.ordering) {
      const order = compareValues(x[field], y[field]);
      if (order !== 0) return descending ? -order : order;
    }
    return compareValues(x.id, y.id);
  }
}

function meets(record: Record<string, unknown>, condition: Condition): boolean {
  if (condition.op === "search") {
    return condition.terms.every((term) => {
      const needle = term.toLowerCase();
      return condition.fields.some((field) =>
        String(record[field] ?? "").toLowerCase().includes(needle)
      );
    });
  }
  const order = compareValues(record[condition.field], condition.value);
  switch (condition.op) {
    case "eq":
      return order === 0;
    case "lt":
      return order < 0;
    case "lte":
      return order <= 0;
    case "gt":
      return order > 0;
    case "gte":
      return order >= 0;
  }
}

/**
 * Compare two field values: numbers as numbers, dates as instants (a string
 * compared with a date is read as one, as a cursor position is), strings by
 * code unit; `null` and missing values first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { compareValues } from "./repository.ts";
 * assertEquals(compareValues(9, 10), -1);
 * assertEquals(compareValues(new Date("2024-01-02"), "2024-01-01T00:00:00Z"), 1);
 * ```
 */
export function compareValues(a: unknown, b: unknown): number {
  const x = comparable(a, b);
  const y = comparable(b, a);
  if (x === y) return 0;
  if (x === undefined || x === null) return -1;
  if (y === undefined || y === null) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function comparable(value: unknown, other: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && other instanceof Date) return Date.parse(value);
  if (typeof value === "string" && typeof other === "number") return Number(value);
  return value;
}

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

/**
 * A repository in memory, ids from 1: for tests and examples.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryRepository, Query } from "./repository.ts";
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
