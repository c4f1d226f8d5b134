/**
 * A query over a repository's records, in the role of DRF's queryset: the
 * conditions, the ordering, and how a record meets them. Filter backends and
 * paginators build one; a `Repository` (in `repository.ts`) runs it.
 *
 * @module
 */

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
 * import { Query } from "./query.ts";
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
 * import { compareValues } from "./query.ts";
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
