/**
 * One OpenAPI operation of a view, after DRF's `AutoSchema.get_operation`:
 * its `operationId` and summary in DRF's style (`listNotes`, `createNote`,
 * `partialUpdateNote`), tags, path and query parameters, request body (every
 * media type the parsers take, as DRF's `map_parsers`), its success
 * response and every error the framework can answer it with.
 *
 * @module
 */

import { DEFAULT_PARSERS } from "../api_settings.ts";
import type { JsonSchema } from "../fields/field.ts";
import { QueryFilter } from "../filters.ts";
import { AllowAny } from "../permissions.ts";
import type { StandardSchemaV1 } from "../standard_schema.ts";
import type { Operation, ViewConfig } from "../views.ts";
import { errorResponses } from "./responses.ts";
import { anonymousAllowed, securityScheme } from "./security.ts";

/** Where operations put what they share: components, by kind. */
export interface Registry {
  /** A component schema of one side of a Standard Schema (a `$ref`, or `{}` when it has none). */
  schema(schema: StandardSchemaV1, name: string, side: "input" | "output" | "partial"): JsonSchema;
  /** A component schema made here (a page envelope), by name. */
  define(name: string, schema: JsonSchema): JsonSchema;
  /** Register a security scheme. */
  securityScheme(name: string, scheme: Record<string, unknown>): void;
}

// DRF's AutoSchema.method_mapping: the action of a method of a plain view.
const METHOD_ACTIONS: Record<string, string> = {
  GET: "retrieve",
  POST: "create",
  PUT: "update",
  PATCH: "partial_update",
  DELETE: "destroy",
};
const SUMMARIES: Record<string, (noun: string, plural: string) => string> = {
  list: (_, plural) => `List ${plural}`,
  create: (noun) => `Create ${article(noun)}`,
  retrieve: (noun) => `Retrieve ${article(noun)}`,
  update: (noun) => `Update ${article(noun)}`,
  partial_update: (noun) => `Partially update ${article(noun)}`,
  destroy: (noun) => `Delete ${article(noun)}`,
};
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** What the operation of one method of a route is made from. */
export interface OperationSource {
  /** The method, upper case. */
  readonly method: string;
  /** The OpenAPI path, `/notes/{id}`. */
  readonly path: string;
  /** Its path parameters. */
  readonly parameters: readonly Record<string, unknown>[];
  /** The view. */
  readonly config: ViewConfig;
  /** The resource's name, `Note` (a view set's) or the view's (`Health`). */
  readonly base: string;
  /** The tag, the path's first segment. */
  readonly tag: string;
  /** Whether the view has more than this method. */
  readonly several: boolean;
}

/**
 * The operation object (its `operationId` unique only within its view:
 * the document makes it unique across views).
 */
export async function buildOperation(
  source: OperationSource,
  registry: Registry,
): Promise<Record<string, unknown>> {
  const { method, config, base } = source;
  const op: Operation | undefined = config.operations?.[method];
  const action = op?.action ?? METHOD_ACTIONS[method] ?? method.toLowerCase();
  const standard = config.operations !== undefined && action in SUMMARIES;
  const plural = base.endsWith("s") ? base : `${base}s`;
  const noun = words(base);
  const summary = standard
    ? SUMMARIES[action](noun, words(plural))
    : source.several
    ? `${config.name} (${method})`
    : config.name;
  const list = op?.many === true;
  const operationId = camel(action) + (action === "list" ? plural : base).replace(/\s+/g, "");
  const query = list
    ? [...op?.pagination?.parameters() ?? [], ...(op?.filters ?? []).flatMap((f) => f.parameters())]
    : [];
  const parameters = [...source.parameters, ...unique(query)];
  const body = BODY_METHODS.has(method);
  const requestSchema = op?.request
    ? registry.schema(op.request, base, op.partial ? "partial" : "input")
    : config.body
    ? registry.schema(config.body, base, "input")
    : {};
  const { authentication = [], permissions = [], throttles = [] } = config;
  const challenge = authentication[0]?.authenticateHeader?.(new Request("http://localhost/"));
  const security: Record<string, string[]>[] = [];
  for (const authenticator of authentication) {
    const named = securityScheme(authenticator);
    if (!named || security.some((s) => named.name in s)) continue;
    registry.securityScheme(named.name, named.scheme);
    security.push({ [named.name]: [] });
  }
  if (security.length && await anonymousAllowed(method, permissions)) security.push({});
  return {
    operationId,
    summary,
    ...config.description ? { description: config.description } : {},
    tags: [source.tag],
    ...parameters.length ? { parameters } : {},
    ...body
      ? {
        requestBody: {
          content: Object.fromEntries(
            DEFAULT_PARSERS.map((p) => [p.mediaType, { schema: requestSchema }]),
          ),
        },
      }
      : {},
    responses: {
      ...success(op, config, base, plural, registry),
      ...errorResponses({
        body,
        validates: body || (list && (op?.filters ?? []).some((f) => f instanceof QueryFilter)),
        challenge,
        forbidden: permissions.some((p) => p !== AllowAny) ||
          (authentication.length > 0 && !challenge),
        throttled: throttles.length > 0,
      }),
    },
    security,
  };
}

// The answer of success: the representation, a list of them, or their page.
function success(
  op: Operation | undefined,
  config: ViewConfig,
  base: string,
  plural: string,
  registry: Registry,
): Record<string, unknown> {
  const status = op?.status ?? config.openapi?.status ?? 200;
  if (status === 204) return { "204": { description: "No content." } };
  const shown = op?.response ?? config.openapi?.response;
  let schema = shown ? registry.schema(shown, base, "output") : {};
  let description = op?.many ? `The ${words(plural)}.` : op ? `The ${words(base)}.` : "Success.";
  if (op?.many) schema = { type: "array", items: schema };
  if (op?.many && op.pagination) {
    schema = registry.define(`Paginated${base}List`, op.pagination.responseSchema(schema));
    description = `A page of ${words(plural)}.`;
  }
  return { [status]: { description, content: { "application/json": { schema } } } };
}

function unique(parameters: readonly { name: string }[]): { name: string }[] {
  return parameters.filter((p, i) => parameters.findIndex((q) => q.name === p.name) === i);
}

// `partial_update` → `partialUpdate`, `echo-id` → `echoId`.
function camel(action: string): string {
  return action.replace(/[-_ ]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

// `ItemDetail` → `item detail`.
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}
