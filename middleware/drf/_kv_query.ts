/**
 * How a `KvRepository` reads a {@linkcode Query} from its keys. A query
 * ordered by an indexed field (then by id) streams that index in order and
 * stops at its slice; one with an equality on an indexed field reads only
 * that index's entries; anything else (search, ordering by an unindexed
 * field) reads every record, which is what it costs without a search engine.
 *
 * @module
 */

import type { Condition, Query } from "./query.ts";

/** Where a repository's records are: its store, its key prefix, its indexed fields. */
export interface KvLayout {
  /** The store. */
  readonly kv: Deno.Kv;
  /** The first key part of everything the repository stores. */
  readonly prefix: string;
  /** Fields with a secondary index. */
  readonly indexes: readonly string[];
}

/**
 * A key under the layout's prefix.
 *
 * @param layout The repository's layout.
 * @param parts The key's parts after the prefix.
 * @returns The key.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { kvKey } from "./_kv_query.ts";
 * await using kv = await Deno.openKv(":memory:");
 * assertEquals(kvKey({ kv, prefix: "notes", indexes: [] }, "record", 1), ["notes", "record", 1]);
 * ```
 */
export function kvKey(layout: KvLayout, ...parts: Deno.KvKeyPart[]): Deno.KvKey {
  return [layout.prefix, ...parts];
}

/**
 * A value as a KV key part (dates as milliseconds, which sort as instants);
 * `undefined` for what is not indexed (null, objects).
 *
 * @param value A field's value.
 * @returns The key part, or `undefined`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { keyPart } from "./_kv_query.ts";
 * assertEquals([keyPart(new Date(5)), keyPart("ada"), keyPart(null)], [5, "ada", undefined]);
 * ```
 */
export function keyPart(value: unknown): Deno.KvKeyPart | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  return undefined;
}

/**
 * An equality on an indexed field, as the index's key part.
 *
 * @param layout The repository's layout.
 * @param where The query's conditions.
 * @returns The field and its key part, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { indexedEquality } from "./_kv_query.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const where = [{ op: "eq", field: "owner", value: "ada" }] as const;
 * assertEquals(indexedEquality({ kv, prefix: "n", indexes: ["owner"] }, where), { field: "owner", part: "ada" });
 * ```
 */
export function indexedEquality(
  layout: KvLayout,
  where: readonly Condition[],
): { field: string; part: Deno.KvKeyPart } | undefined {
  for (const condition of where) {
    if (condition.op !== "eq" || !layout.indexes.includes(condition.field)) continue;
    const part = keyPart(condition.value);
    if (part !== undefined) return { field: condition.field, part };
  }
  return undefined;
}

/**
 * Records in the query's order, read lazily, when an index (or the id
 * order of the records themselves) gives that order.
 *
 * @param layout The repository's layout.
 * @param query The query, whose ordering picks the index.
 * @param batchSize Entries a KV read fetches at once.
 * @returns The records in order (the query's conditions are for the caller
 * to check), or `undefined` when no index gives the order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { orderedRecords } from "./_kv_query.ts";
 * import { Query } from "./query.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const layout = { kv, prefix: "n", indexes: [] };
 * assertEquals(orderedRecords(layout, new Query().orderBy("title"), 10), undefined);
 * ```
 */
export function orderedRecords<T extends object>(
  layout: KvLayout,
  query: Query,
  batchSize: number,
): AsyncIterable<T> | undefined {
  const [first, second, ...rest] = query.ordering;
  const byId = !first || (first.field === "id" && !second);
  if (byId) {
    const options = { reverse: first?.descending, batchSize };
    return values(layout.kv.list<T>({ prefix: kvKey(layout, "record") }, options));
  }
  const tieOk = !second || (second.field === "id" && second.descending === first.descending);
  if (rest.length || !tieOk || !layout.indexes.includes(first.field)) return undefined;
  const entries = layout.kv.list<T>(indexRange(layout, first.field, query.where), {
    reverse: first.descending,
    batchSize,
  });
  return values(entries);
}

// The index's key range that the conditions on its field allow (a cursor's
// position), so a later page does not read the entries before it.
function indexRange(
  layout: KvLayout,
  field: string,
  where: readonly Condition[],
): { start: Deno.KvKey; end: Deno.KvKey } {
  let start: Deno.KvKey = kvKey(layout, "index", field);
  // Past every entry of the field: its name with one more character.
  let end: Deno.KvKey = kvKey(layout, "index", `${field}\0`);
  for (const condition of where) {
    if (condition.op === "search" || condition.field !== field) continue;
    const part = keyPart(condition.value);
    if (part === undefined) continue;
    // [.., value] sorts before [.., value, id], and [.., value, true] after
    // (a boolean sorts after every number id).
    if (condition.op === "gt") start = kvKey(layout, "index", field, part, true);
    if (condition.op === "gte" || condition.op === "eq") {
      start = kvKey(layout, "index", field, part);
    }
    if (condition.op === "lt") end = kvKey(layout, "index", field, part);
    if (condition.op === "lte" || condition.op === "eq") {
      end = kvKey(layout, "index", field, part, true);
    }
  }
  return { start, end };
}

async function* values<T>(entries: Deno.KvListIterator<T>): AsyncIterable<T> {
  for await (const entry of entries) yield entry.value;
}

/**
 * Every record the query selects, from one index's entries when it has an
 * equality on an indexed field, else from all records.
 *
 * @param layout The repository's layout.
 * @param query The query.
 * @returns The records, in key order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { matchingRecords } from "./_kv_query.ts";
 * import { Query } from "./query.ts";
 * await using kv = await Deno.openKv(":memory:");
 * await kv.set(["n", "record", 1], { id: 1, owner: "ada" });
 * const ada = new Query().filter({ op: "eq", field: "owner", value: "ada" });
 * assertEquals(await matchingRecords({ kv, prefix: "n", indexes: [] }, ada), [{ id: 1, owner: "ada" }]);
 * ```
 */
export async function matchingRecords<T extends object>(
  layout: KvLayout,
  query: Query,
): Promise<T[]> {
  const equality = indexedEquality(layout, query.where);
  const source = equality
    ? values(
      layout.kv.list<T>({ prefix: kvKey(layout, "index", equality.field, equality.part) }),
    )
    : values(layout.kv.list<T>({ prefix: kvKey(layout, "record") }, { batchSize: 500 }));
  const found: T[] = [];
  for await (const record of source) if (query.matches(record)) found.push(record);
  return found;
}
