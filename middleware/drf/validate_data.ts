/**
 * DRF's `is_valid(raise_exception=True)` for any Standard Schema v1
 * validator (zod 4, valibot, arktype, this kit): the value, or a 400 with
 * the failures in DRF's shape.
 *
 * @module
 */

import type { StandardSchemaV1 } from "./standard_schema.ts";
import { ValidationError } from "./exceptions.ts";
import { errorsFromIssues, NON_FIELD_ERRORS } from "./fields/errors.ts";
import { Field, type Mode, SKIP } from "./fields/field.ts";
import { Serializer } from "./serializers.ts";
import { asSerializerErrors } from "./_as_serializer_error.ts";

/**
 * Validate data with any Standard Schema, as DRF's `is_valid(raise_exception=True)`:
 * the value, or a `ValidationError` (400) in DRF's shape. The field kit's
 * serializers run in `mode` (`partial` for PATCH); others validate the whole.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { f, serializer, ValidationError, validateData } from "./mod.ts";
 * const note = serializer({ title: f.string() });
 * assertEquals(await validateData(note, { title: "Hi" }), { title: "Hi" });
 * const error = await assertRejects(() => validateData(note, null), ValidationError);
 * assertEquals(error.data, { non_field_errors: ["No data provided"] });
 * ```
 */
export async function validateData<T>(
  schema: StandardSchemaV1<unknown, T>,
  data: unknown,
  mode: Mode = "create",
): Promise<T> {
  if (schema instanceof Field) {
    const outcome = schema.runValidation(data, mode);
    if (outcome === SKIP) return undefined as T;
    if (outcome.ok) return outcome.value as T;
    // DRF's Serializer.errors: a null body is "No data provided".
    const nullBody = data === null && schema instanceof Serializer;
    throw new ValidationError(
      nullBody ? { [NON_FIELD_ERRORS]: ["No data provided"] } : asSerializerErrors(outcome.errors),
    );
  }
  let result = schema["~standard"].validate(data);
  if (result instanceof Promise) result = await result;
  if (result.issues) throw new ValidationError(errorsFromIssues(result.issues));
  return result.value;
}
