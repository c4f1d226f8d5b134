/**
 * Echoes the parsed request body, to show what the parsers make of it.
 *
 * @module
 */

import { apiView } from "../middleware/drf/mod.ts";

/** POST: `{"data": <the parsed body>}`, uploaded files as name, type and size. */
export const echo = apiView(["POST"], async function echo(_request, context) {
  return { data: describeFiles(await context.data()) };
});

function describeFiles(data: unknown): unknown {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data;
  if (!Object.values(data).some((value) => value instanceof File)) return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) =>
      value instanceof File
        ? [key, { name: value.name, type: value.type, size: value.size }]
        : [key, value]
    ),
  );
}
