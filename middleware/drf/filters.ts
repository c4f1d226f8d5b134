/**
 * Filter backends, after DRF's `filters.py`: `SearchFilter` (`?search=`),
 * `OrderingFilter` (`?ordering=`), and `QueryFilter`, typed filter
 * parameters validated by a query schema (as django-filter's
 * `DjangoFilterBackend`, a 400 in DRF's error shape). Each narrows or orders
 * the view's {@linkcode Query}, and describes its query parameters.
 *
 * @module
 */

import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard_schema.ts";
import { lastParam, type QueryParameter } from "./pagination.ts";
import type { OrderingTerm, Query } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import { validateData } from "./validate_data.ts";

/** A filter backend, as DRF's `BaseFilterBackend`. */
export interface FilterBackend {
  /** The query narrowed or ordered for this request; may throw `ValidationError`. */
  filter(query: Query, context: ApiContext): Query | Promise<Query>;
  /** The query parameters it reads (DRF's `get_schema_operation_parameters`). */
  parameters(): QueryParameter[];
}

/**
 * DRF's `SearchFilter`: `?search=` split on spaces and commas (NUL removed);
 * a record is kept when every term is in some search field,
 * case-insensitive (`icontains`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, Query, SearchFilter } from "./mod.ts";
 * const search = new SearchFilter({ fields: ["title", "body"] });
 * const query = await search.filter(new Query(), new ApiContext(new Request("http://x/?search=Deno,%20kv")));
 * assertEquals(query.matches({ title: "deno", body: "KV store" }), true);
 * assertEquals(query.matches({ title: "deno", body: "" }), false);
 * ```
 */
export class SearchFilter implements FilterBackend {
  /** The fields searched. */
  readonly fields: readonly string[];
  /** The query parameter; `search` by default. */
  readonly param: string;

  /** Make the backend over search fields. */
  constructor(options: { fields: readonly string[]; param?: string }) {
    this.fields = options.fields;
    this.param = options.param ?? "search";
  }

  /** DRF's `get_search_terms`. */
  terms(context: ApiContext): string[] {
    const text = (lastParam(context, this.param) ?? "").replaceAll("\0", "").replaceAll(",", " ");
    // deno-lint-ignore no-control-regex
    return text.split(/[\s\x1c-\x1f\x85]+/).filter(Boolean);
  }

  /** The query with every term required in some field. */
  filter(query: Query, context: ApiContext): Query {
    const terms = this.terms(context);
    if (!this.fields.length || !terms.length) return query;
    return query.filter({ op: "search", fields: this.fields, terms });
  }

  /** `search`. */
  parameters(): QueryParameter[] {
    return [{
      name: this.param,
      required: false,
      in: "query",
      description: "A search term.",
      schema: { type: "string" },
    }];
  }
}

/** Options of {@linkcode OrderingFilter}. */
export interface OrderingOptions {
  /**
   * The names a client may order by; each may stand for several terms in
   * the same direction (`{ created: ["created", "id"] }`: records created in
   * the same millisecond go by id).
   */
  readonly fields: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** The order when none valid is asked for (DRF's view `ordering`), e.g. `["-created"]`. */
  readonly default: readonly string[];
  /** The parameter; `ordering` by default. */
  readonly param?: string;
  /** The field that breaks remaining ties, ascending (creation order); `id` by default. */
  readonly tieBreaker?: string;
}

/**
 * DRF's `OrderingFilter`: `?ordering=` comma-separated names, `-` for
 * descending; names not allowed are dropped silently, and none left is the
 * default; remaining ties go by creation order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, OrderingFilter } from "./mod.ts";
 * const ordering = new OrderingFilter({ fields: ["title", "created"], default: ["-created"] });
 * const context = new ApiContext(new Request("http://x/?ordering=-title,nope"));
 * assertEquals(ordering.ordering(context), [
 *   { field: "title", descending: true },
 *   { field: "id", descending: false },
 * ]);
 * ```
 */
export class OrderingFilter implements FilterBackend {
  readonly #fields: ReadonlyMap<string, readonly string[]>;
  readonly #default: readonly string[];
  readonly #tieBreaker: string;
  /** The query parameter. */
  readonly param: string;

  /** Make the backend over the names a client may order by. */
  constructor(options: OrderingOptions) {
    const fields = Array.isArray(options.fields)
      ? options.fields.map((name) => [name, [name]] as const)
      : Object.entries(options.fields as Record<string, readonly string[]>);
    this.#fields = new Map(fields as [string, readonly string[]][]);
    this.#default = options.default;
    this.param = options.param ?? "ordering";
    this.#tieBreaker = options.tieBreaker ?? "id";
  }

  /** The names a client may order by. */
  get fields(): string[] {
    return [...this.#fields.keys()];
  }

  /** DRF's `get_ordering`, as terms, with the tie-breaker last. */
  ordering(context: ApiContext): OrderingTerm[] {
    const asked = (lastParam(context, this.param) ?? "").split(",").map((term) => term.trim());
    // DRF's remove_invalid_fields: one leading "-", then a name allowed.
    let valid = asked.filter((term) =>
      this.#fields.has(term.startsWith("-") ? term.slice(1) : term)
    );
    if (!valid.length) valid = [...this.#default];
    const terms: OrderingTerm[] = valid.flatMap((term) => {
      const descending = term.startsWith("-");
      const name = descending ? term.slice(1) : term;
      return (this.#fields.get(name) ?? [name]).map((field) => ({ field, descending }));
    });
    if (!terms.some((term) => term.field === this.#tieBreaker)) {
      terms.push({ field: this.#tieBreaker, descending: false });
    }
    return terms;
  }

  /** The query in the asked order. */
  filter(query: Query, context: ApiContext): Query {
    return query.orderBy(...this.ordering(context));
  }

  /** `ordering`. */
  parameters(): QueryParameter[] {
    return [{
      name: this.param,
      required: false,
      in: "query",
      description: "Which field to use when ordering the results.",
      schema: { type: "string" },
    }];
  }
}

/**
 * Typed filter parameters: the query string (each parameter's last value)
 * validated by any Standard Schema (failures a 400 in DRF's shape), then
 * turned into conditions by `apply`.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { ApiContext, f, Query, QueryFilter, serializer, ValidationError } from "./mod.ts";
 * const owner = new QueryFilter(
 *   serializer({ owner: f.string({ required: false, maxLength: 3 }) }),
 *   (query, { owner }) => owner ? query.filter({ op: "eq", field: "owner", value: owner }) : query,
 * );
 * const context = (q: string) => new ApiContext(new Request(`http://x/?${q}`));
 * assertEquals((await owner.filter(new Query(), context("owner=ada"))).where.length, 1);
 * const error = await assertRejects(async () => await owner.filter(new Query(), context("owner=adam")), ValidationError);
 * assertEquals(error.data, { owner: ["Ensure this field has no more than 3 characters."] });
 * ```
 */
export class QueryFilter<T> implements FilterBackend {
  /** The schema of the query parameters. */
  readonly schema: StandardSchemaV1<unknown, T>;
  readonly #apply: (query: Query, values: T) => Query;

  /** Make the backend from a schema and what its values select. */
  constructor(schema: StandardSchemaV1<unknown, T>, apply: (query: Query, values: T) => Query) {
    this.schema = schema;
    this.#apply = apply;
  }

  /** The query narrowed by the validated parameters. */
  async filter(query: Query, context: ApiContext): Promise<Query> {
    const values: Record<string, string> = {};
    for (const [name, value] of context.query) values[name] = value;
    return this.#apply(query, await validateData(this.schema, values));
  }

  /** One parameter per property of the schema's JSON Schema, when it has one. */
  parameters(): QueryParameter[] {
    const standard = this.schema["~standard"] as Partial<StandardJSONSchemaV1.Props>;
    const json = standard.jsonSchema?.input({ target: "draft-2020-12" });
    const properties = (json?.properties ?? {}) as Record<string, Record<string, unknown>>;
    return Object.entries(properties).map(([name, schema]) => ({
      name,
      required: false,
      in: "query",
      description: String(schema.description ?? schema.title ?? name),
      schema,
    }));
  }
}
