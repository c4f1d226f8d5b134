// DRF's serializers.as_serializer_error, shared by a serializer's own
// validate() and by validateData.

import { type ErrorTree, NON_FIELD_ERRORS } from "./fields/errors.ts";

/**
 * DRF's `as_serializer_error`: a `ValidationError`'s detail as a
 * serializer's errors, where a message or a list of messages is the whole's.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { asSerializerErrors } from "./_as_serializer_error.ts";
 * assertEquals(asSerializerErrors("Bad"), { non_field_errors: ["Bad"] });
 * assertEquals(asSerializerErrors(["A", "B"]), { non_field_errors: ["A", "B"] });
 * assertEquals(asSerializerErrors({ title: ["Too long"] }), { title: ["Too long"] });
 * ```
 */
export function asSerializerErrors(detail: unknown): ErrorTree {
  if (typeof detail === "string") return { [NON_FIELD_ERRORS]: [detail] };
  if (Array.isArray(detail)) return { [NON_FIELD_ERRORS]: detail };
  return detail as ErrorTree;
}
