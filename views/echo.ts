/**
 * Echoes the parsed request body, to show what the parsers make of it.
 *
 * @module
 */

import { apiView } from "../middleware/drf/mod.ts";

/** POST: `{"data": <the parsed body>}`, uploaded files as name, type and size. */
export const echo = apiView(["POST"], async function echo(request, context) {
  const data = await context.data();
  // Only a multipart body holds files: anything else is echoed as it is,
  // without a pass over what may be hundreds of thousands of keys (on a
  // 2.5 MiB JSON object that pass cost as much as parsing it).
  return { data: isMultipart(request) ? describeFiles(data) : data };
});

function isMultipart(request: Request): boolean {
  const type = request.headers.get("content-type");
  return type !== null && /^\s*multipart\/form-data\s*(;|$)/i.test(type);
}

function describeFiles(data: unknown): unknown {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) =>
      value instanceof File
        ? [key, { name: value.name, type: value.type, size: value.size }]
        : [key, value]
    ),
  );
}
