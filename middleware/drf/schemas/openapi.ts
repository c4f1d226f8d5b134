/**
 * The API's OpenAPI 3.1 document, after DRF's `schemas/openapi.py`
 * `SchemaGenerator`: one path per route of the table (`/notes/<int:id>` →
 * `/notes/{id}`, an integer parameter), one operation per method a view
 * takes (HEAD and OPTIONS left out, as DRF does), each from the view's own
 * config: its operations' schemas (JSON Schema from the schemas
 * themselves), pagination and filters, and its policies (security, 401,
 * 403, 429). Components are named as drf-spectacular names them: `Note`
 * (shown), `NoteRequest` (taken), `PatchedNoteRequest` (PATCH),
 * `PaginatedNoteList`. The browsable API's `text/html` is left out, as DRF's
 * `map_renderers` leaves it out.
 *
 * @module
 */

import type { Route } from "../../http/router.ts";
import { METHOD_ORDER } from "../api_settings.ts";
import type { JsonSchema } from "../fields/field.ts";
import type { StandardSchemaV1 } from "../standard_schema.ts";
import { type ViewConfig, viewConfig } from "../views.ts";
import { partialSchema, relocate, standardJsonSchema } from "./json_schema.ts";
import { buildOperation, type Registry } from "./operation.ts";
import { ERROR_RESPONSES, ERROR_SCHEMAS } from "./responses.ts";

/** What the document says of the API as a whole. */
export interface SchemaGeneratorOptions {
  /** `info.title`. */
  readonly title: string;
  /** `info.version`: the API's, not OpenAPI's. */
  readonly version: string;
  /** `info.description`. */
  readonly description?: string;
  /**
   * The service's public URL (the `PUBLIC_URL` setting) for `servers`; a
   * relative `/` when empty. Never the `Host` header.
   */
  readonly url?: string;
}

type Document = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/**
 * DRF's `SchemaGenerator`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView, SchemaGenerator } from "../mod.ts";
 * const health = apiView(["GET"], async function health() {
 *   return { status: "ok" };
 * });
 * const schema = await new SchemaGenerator({ title: "API", version: "1" })
 *   .getSchema([{ pattern: "/health", handler: health }]);
 * assertEquals(schema.servers, [{ url: "/" }]);
 * const get = schema.paths["/health"].get as Record<string, unknown>;
 * assertEquals([get.operationId, get.summary, get.tags], ["retrieveHealth", "Health", ["health"]]);
 * ```
 */
export class SchemaGenerator {
  readonly #options: SchemaGeneratorOptions;

  /** Make a generator for an API. */
  constructor(options: SchemaGeneratorOptions) {
    this.#options = options;
  }

  /** The document of a route table. */
  async getSchema(routes: readonly Route[]): Promise<Document> {
    const schemas: Record<string, JsonSchema> = { ...ERROR_SCHEMAS };
    const securitySchemes: Record<string, Record<string, unknown>> = {};
    const named = new Map<StandardSchemaV1, Map<string, string>>();
    const free = (name: string) => {
      let candidate = name;
      for (let i = 2; candidate in schemas; i++) candidate = `${name}${i}`;
      return candidate;
    };
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const registry: Registry = {
      schema(schema, base, side) {
        const known = named.get(schema)?.get(side);
        if (known) return ref(known);
        const json = standardJsonSchema(schema, side === "output" ? "output" : "input");
        if (!json) return {};
        const suffix = side === "output" ? "" : "Request";
        const name = free(`${side === "partial" ? "Patched" : ""}${base}${suffix}`);
        schemas[name] = {}; // reserved before its definitions take names
        schemas[name] = relocate(side === "partial" ? partialSchema(json) : json, name, (n, s) => {
          schemas[n] = s;
        });
        if (!named.has(schema)) named.set(schema, new Map());
        named.get(schema)!.set(side, name);
        return ref(name);
      },
      define(name, schema) {
        const same = JSON.stringify(schemas[name]) === JSON.stringify(schema);
        const taken = same ? name : free(name);
        schemas[taken] = schema;
        return ref(taken);
      },
      securityScheme(name, scheme) {
        securitySchemes[name] = scheme;
      },
    };
    const paths: Document["paths"] = {};
    const operationIds = new Set<string>();
    const tags = new Map<string, string[]>();
    for (const route of routes) {
      const config = viewConfig(route.handler);
      if (!config || config.openapi?.exclude) continue;
      const path = route.pattern.replace(/<(?:\w+:)?(\w+)>/g, "{$1}");
      const tag = route.pattern.split("/")[1].replaceAll("_", "-") || "root";
      const base = baseName(config, tag);
      const methods = Object.keys(config.handlers)
        .map((m) => m.toUpperCase())
        .filter((m) => m !== "HEAD" && m !== "OPTIONS")
        .sort((a, b) => rank(a) - rank(b));
      const item: Record<string, unknown> = {};
      for (const method of methods) {
        const operation = await buildOperation({
          method,
          path,
          parameters: pathParameters(route.pattern, base),
          config,
          base,
          tag,
          several: methods.length > 1,
        }, registry);
        // DRF warns of a repeated operationId; here the later one is numbered.
        let id = operation.operationId as string;
        for (let i = 2; operationIds.has(id); i++) id = `${operation.operationId}${i}`;
        operationIds.add(id);
        item[method.toLowerCase()] = { ...operation, operationId: id };
      }
      paths[path] = { ...paths[path], ...item };
      tags.set(tag, [...tags.get(tag) ?? [], config.name]);
    }
    const { title, version, description, url } = this.#options;
    const components = prune(paths, {
      schemas,
      responses: { ...ERROR_RESPONSES },
      securitySchemes,
    });
    return {
      openapi: "3.1.0",
      info: { title, version, ...description ? { description } : {} },
      servers: [{ url: url || "/" }],
      tags: [...tags].map(([name, views]) => ({ name, description: views.join(", ") })),
      paths,
      components,
    };
  }
}

// DRF's get_operation_id_base: a view set's resource (`Note List` → `Note`),
// the resource of an extra action's path, or the view's name.
function baseName(config: ViewConfig, tag: string): string {
  const resource = /^(.+) (?:List|Instance)$/.exec(config.name);
  if (config.operations && resource) return pascal(resource[1]);
  if (config.operations) return pascal(tag.replace(/s$/, ""));
  return pascal(config.name.replace(/ View$/, "")) || pascal(tag);
}

function pascal(text: string): string {
  return text.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

// `<int:id>` is an integer, `<str:name>` and `<name>` strings.
function pathParameters(pattern: string, base: string): Record<string, unknown>[] {
  const noun = base.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return [...pattern.matchAll(/<(?:(\w+):)?(\w+)>/g)].map(([, converter, name]) => ({
    name,
    in: "path",
    required: true,
    description: converter === "int"
      ? `A unique integer value identifying this ${noun}.`
      : `A unique value identifying this ${noun}.`,
    schema: converter === "int" ? { type: "integer", minimum: 0 } : { type: "string" },
  }));
}

function rank(method: string): number {
  const index = METHOD_ORDER.indexOf(method);
  return index === -1 ? METHOD_ORDER.length : index;
}

// Only the components something refers to, so linters find none unused.
function prune(
  paths: unknown,
  components: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const kept: Record<string, Record<string, unknown>> = {};
  const pending: unknown[] = [paths];
  const seen = new Set<string>();
  while (pending.length) {
    const text = JSON.stringify(pending.pop());
    for (const [, kind, name] of text.matchAll(/"#\/components\/(\w+)\/([^"]+)"/g)) {
      const key = `${kind}/${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      (kept[kind] ??= {})[name] = components[kind][name];
      pending.push(components[kind][name]);
    }
  }
  if (Object.keys(components.securitySchemes).length) {
    kept.securitySchemes = components.securitySchemes;
  }
  return kept;
}
