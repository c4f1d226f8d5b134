// Dev-only checks of OpenAPI documents, for the tests: the real validator
// of @seriousme/openapi-schema-validator against OpenAPI 3.1's own JSON
// Schema, and Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) for response
// bodies against the schemas the document gives them.
//
// The validator reads its schema file from npm's cache with node:fs, which
// the test task may not (it has no --allow-read); the same file comes in
// here as a JSON module instead, through the one method that reads it.

import oas31 from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json" with {
  type: "json",
};
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/2020";
import addFormatsModule from "ajv-formats";

// deno-lint-ignore no-explicit-any
const addFormats = addFormatsModule as any as (ajv: Ajv2020) => void;

function ajv(): Ajv2020 {
  const made = new Ajv2020({ strict: false, allErrors: true });
  addFormats(made);
  return made;
}

// getAjvValidator is the package's own (index.js), not in its typings.
class Oas31Validator extends Validator {
  // deno-lint-ignore no-explicit-any
  getAjvValidator(): any {
    const made = ajv();
    made.addFormat("media-range", true);
    return made.compile(oas31);
  }
}

/** The OpenAPI 3.1 validator's verdict on a document. */
export async function validateOpenApi(
  document: unknown,
): Promise<{ valid: boolean; errors?: unknown }> {
  return await new Oas31Validator().validate(document as Parameters<Validator["validate"]>[0]);
}

type Json = Record<string, unknown>;

/**
 * A checker of response bodies against a document: `check(path, method,
 * status, body)` is the list of Ajv's errors (empty when the body is as
 * documented); it throws when the status is not documented there.
 */
export function responseChecker(document: Json) {
  const checker = ajv();
  checker.addSchema(
    { $id: "https://openapi.test/document", components: document.components } as Json,
  );
  const components = document.components as Json;
  return {
    /** The documented response of an operation, its `$ref` followed. */
    response(path: string, method: string, status: number): Json {
      const operation = ((document.paths as Json)[path] as Json)?.[method] as Json | undefined;
      let response = (operation?.responses as Json | undefined)?.[String(status)] as Json;
      if (!response) throw new Error(`${method} ${path} documents no ${status}`);
      const ref = response.$ref as string | undefined;
      if (ref) response = (components.responses as Json)[ref.split("/").at(-1)!] as Json;
      return response;
    },
    /** Ajv's errors for a body (none when it is as documented). */
    check(path: string, method: string, status: number, body: unknown): unknown[] {
      const content = this.response(path, method, status).content as Json | undefined;
      const schema = (content?.["application/json"] as Json | undefined)?.schema as Json;
      if (!schema) return body === null ? [] : ["a body where none is documented"];
      const text = JSON.stringify(schema).replaceAll(
        '"#/components/',
        '"https://openapi.test/document#/components/',
      );
      const validate = checker.compile(JSON.parse(text));
      return validate(body) ? [] : validate.errors ?? ["invalid"];
    },
  };
}
