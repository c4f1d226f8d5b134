/**
 * DRF's `SimpleMetadata.determine_actions` for a generic view: the OPTIONS
 * `actions`, the fields POST and PUT take.
 *
 * @module
 */

import type { ViewMetadata } from "./metadata.ts";
import type { ApiContext } from "./request.ts";
import { Serializer } from "./serializers.ts";
import { checkPermissions } from "./_policies.ts";

/** What `determineActions` uses of a generic view (`GenericApiView` has it). */
export interface DescribedView {
  /** The view's serializer; only the field kit's describes its fields. */
  readonly options: { readonly serializer: unknown };
  /** The one record the request names, or a 404 (or the object permissions' refusal). */
  getObject(request: Request, context: ApiContext): Promise<unknown>;
}

/**
 * DRF's `SimpleMetadata.determine_actions`: the fields POST and PUT take,
 * each shown only when this user passes its permission checks (and, for
 * PUT, may act on the record).
 *
 * @param view The generic view.
 * @param request The OPTIONS request.
 * @param context Its context (policies, user).
 * @param base The view's metadata without actions.
 * @param methods The methods of the route.
 * @returns `base`, with `actions` when there are any to show.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, serializer } from "./mod.ts";
 * import { ApiContext } from "./request.ts";
 * import { determineActions } from "./_determine_actions.ts";
 * const view = {
 *   options: { serializer: serializer({ name: f.string({ maxLength: 20 }) }) },
 *   getObject: () => Promise.resolve({}),
 * };
 * const request = new Request("http://x/tags", { method: "OPTIONS" });
 * const base = { name: "Tag List", description: "", renders: [], parses: [] };
 * const shown = await determineActions(view, request, new ApiContext(request), base, ["GET", "POST"]);
 * assertEquals(Object.keys(shown.actions ?? {}), ["POST"]);
 * ```
 */
export async function determineActions(
  view: DescribedView,
  request: Request,
  context: ApiContext,
  base: ViewMetadata,
  methods: readonly string[],
): Promise<ViewMetadata> {
  const { serializer } = view.options;
  if (!(serializer instanceof Serializer)) return base;
  const actions: Record<string, Record<string, unknown>> = {};
  for (const method of ["POST", "PUT"].filter((m) => methods.includes(m))) {
    const clone = new Request(request.url, { method, headers: request.headers });
    try {
      await checkPermissions(clone, context);
      if (method === "PUT") await view.getObject(clone, context);
    } catch {
      continue;
    }
    actions[method] = serializer.fieldsInfo();
  }
  return Object.keys(actions).length ? { ...base, actions } : base;
}
