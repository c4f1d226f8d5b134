/**
 * Validates a body the way a DRF serializer does, and creates from it.
 *
 * @module
 */

import { ApiResponse, apiView, pythonType, ValidationError } from "../middleware/drf/mod.ts";

/** POST: `name` is required; answers 201 with the name alone. */
export const validate = apiView(["POST"], async function validate(_request, context) {
  const data = await context.data();
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(data)}.`],
    });
  }
  if (!Object.hasOwn(data, "name")) {
    throw new ValidationError({ name: ["This field is required."] });
  }
  return new ApiResponse({ name: (data as { name: unknown }).name }, { status: 201 });
}, { openapi: { status: 201 } });
