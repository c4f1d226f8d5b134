/**
 * The error answers the framework itself gives, as OpenAPI components: the
 * `{"detail": "..."}` body (DRF's exception handler), DRF's field-error shape
 * of a `ValidationError`, and a response for each status with the headers it
 * carries (`Allow` on a 405, `Retry-After` on a 429 and a load-shed 503,
 * `WWW-Authenticate` on a 401, which is made per view since its challenge is
 * the view's first authenticator's).
 *
 * @module
 */

import type { JsonSchema } from "../fields/field.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const retryAfter = (required: boolean, description: string) => ({
  "Retry-After": { description, required, schema: { type: "integer", minimum: 1 } },
});

/** The schemas every error refers to. */
export const ERROR_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Error: {
    type: "object",
    description: 'DRF\'s error body: `{"detail": "..."}`.',
    required: ["detail"],
    properties: { detail: { type: "string" } },
    examples: [{ detail: "Not found." }],
  },
  ErrorList: {
    type: "array",
    description: "Messages about one field, or about the whole (`non_field_errors`).",
    items: { type: "string" },
  },
  FieldErrors: {
    description: "Messages, or errors by field name or list index (nested data nested).",
    anyOf: [
      ref("ErrorList"),
      { type: "object", additionalProperties: ref("FieldErrors") },
    ],
  },
  ValidationError: {
    description: 'DRF\'s `ValidationError`: `{"title": ["This field is required."]}`, ' +
      "`non_field_errors` for the whole, or a list of messages.",
    anyOf: [{ type: "object", additionalProperties: ref("FieldErrors") }, ref("ErrorList")],
    examples: [{ title: ["This field is required."] }],
  },
};

const detail = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...headers ? { headers } : {},
  content: json(ref("Error")),
});

/** The responses operations refer to, by component name. */
export const ERROR_RESPONSES: Readonly<Record<string, Record<string, unknown>>> = {
  BadRequest: detail('The request itself is malformed (`{"detail":"Invalid Host header."}`).'),
  ValidationFailed: {
    description: "The data sent is not valid (DRF's field errors), or the body could not be " +
      'parsed or the request is malformed (`{"detail":"JSON parse error - ..."}`).',
    content: json({ anyOf: [ref("ValidationError"), ref("Error")] }),
  },
  Forbidden: detail(
    "Refused: the user may not do this, or authentication failed or is missing " +
      "and the view's first authenticator has no challenge.",
  ),
  NotFound: detail('Not found (`{"detail":"Not found."}`), or an unknown `?format=`.'),
  MethodNotAllowed: detail(
    "The method is not one this path takes: `Allow` names those it does.",
    { Allow: { description: "The path's methods.", required: true, schema: { type: "string" } } },
  ),
  NotAcceptable: detail("Nothing the service renders satisfies the `Accept` header."),
  RequestTimeout: detail("The client stopped sending the body for too long."),
  ContentTooLarge: detail("The body is larger than the service takes."),
  UnsupportedMediaType: detail("No parser takes the body's `Content-Type`."),
  TooManyRequests: detail(
    "Throttled: too many requests (`Request was throttled. Expected available in N seconds.`).",
    retryAfter(false, "Seconds to wait; sent when the wait is known and not zero."),
  ),
  InternalServerError: detail('An unexpected error (`{"detail":"A server error occurred."}`).'),
  ServiceUnavailable: detail(
    "The view ran past its deadline (`Request timed out.`), or the service sheds load.",
    retryAfter(false, "Seconds to wait; sent when the service sheds load."),
  ),
};

/** What decides an operation's error answers. */
export interface ErrorFacts {
  /** It parses a body (POST, PUT, PATCH): parse errors, 408, 413, 415. */
  readonly body: boolean;
  /** It validates data (a body or typed query parameters): DRF's field errors. */
  readonly validates: boolean;
  /** The challenge of its 401, when its first authenticator has one. */
  readonly challenge?: string;
  /** It can answer 403 (permissions, or authenticators without a challenge). */
  readonly forbidden: boolean;
  /** It is throttled. */
  readonly throttled: boolean;
}

/**
 * The error responses of one operation, by status.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { errorResponses } from "./responses.ts";
 * const get = errorResponses({ body: false, validates: false, forbidden: false, throttled: false });
 * assertEquals(Object.keys(get), ["400", "404", "405", "406", "500", "503"]);
 * const post = errorResponses({ body: true, validates: true, challenge: "Bearer", forbidden: true, throttled: true });
 * assertEquals(Object.keys(post).join(), "400,401,403,404,405,406,408,413,415,429,500,503");
 * ```
 */
export function errorResponses(facts: ErrorFacts): Record<string, unknown> {
  const use = (name: string) => ({ $ref: `#/components/responses/${name}` });
  const responses: Record<string, unknown> = {
    "400": use(facts.validates ? "ValidationFailed" : "BadRequest"),
  };
  if (facts.challenge) {
    responses["401"] = detail(
      "Authentication failed or is missing; `WWW-Authenticate` is the challenge.",
      {
        "WWW-Authenticate": {
          description: "The view's first authenticator's challenge.",
          required: true,
          schema: { type: "string", examples: [facts.challenge] },
        },
      },
    );
  }
  if (facts.forbidden) responses["403"] = use("Forbidden");
  responses["404"] = use("NotFound");
  responses["405"] = use("MethodNotAllowed");
  responses["406"] = use("NotAcceptable");
  if (facts.body) {
    responses["408"] = use("RequestTimeout");
    responses["413"] = use("ContentTooLarge");
    responses["415"] = use("UnsupportedMediaType");
  }
  if (facts.throttled) responses["429"] = use("TooManyRequests");
  responses["500"] = use("InternalServerError");
  responses["503"] = use("ServiceUnavailable");
  return responses;
}
