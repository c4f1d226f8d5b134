/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 document, as DRF's
 * `get_schema_view()`, generated from the route table the first time it is
 * asked for and then served as made (one document per service: its
 * `servers` come from the `PUBLIC_URL` setting, never from the `Host`
 * header). The view leaves itself out of the document, as DRF's schema view
 * does.
 *
 * @module
 */

import { apiView, type Handler, type Route, SchemaGenerator } from "../middleware/drf/mod.ts";
import type { Settings } from "../middleware/http/settings.ts";

/** What the document says of the API as a whole. */
export interface ApiInfo {
  /** `info.title`. */
  readonly title: string;
  /** `info.version`. */
  readonly version: string;
  /** `info.description`. */
  readonly description?: string;
}

/**
 * Make the schema view over a route table, read on the first request so
 * that the table may list the view itself.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext, apiView } from "../middleware/drf/mod.ts";
 * import { openApi } from "./openapi.ts";
 * const ping = apiView(["GET"], async function ping() {});
 * const schema = openApi(() => [{ pattern: "/ping", handler: ping }], { title: "API", version: "1" });
 * const request = new Request("http://x/openapi.json");
 * const document = await (await schema(request, new ApiContext(request))).json();
 * assertEquals([document.openapi, Object.keys(document.paths)], ["3.1.0", ["/ping"]]);
 * ```
 */
export function openApi(routes: () => readonly Route[], info: ApiInfo): Handler {
  // Settings are the service's, fixed when it is built: one document each.
  const documents = new WeakMap<Settings, Promise<unknown>>();
  return apiView(["GET"], async function openApiSchema(_request, context) {
    let document = documents.get(context.settings);
    if (!document) {
      const generator = new SchemaGenerator({ ...info, url: context.settings.publicUrl });
      document = generator.getSchema(routes());
      documents.set(context.settings, document);
      // A failure is not kept: the next request tries again.
      document.catch(() => documents.delete(context.settings));
    }
    return await document;
  }, {
    name: "OpenAPI Schema",
    description: "The API's OpenAPI 3.1 document.",
    openapi: { exclude: true },
  });
}
