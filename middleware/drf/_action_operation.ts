/**
 * What a generic view's action does, as data for readers of the route table
 * (an OpenAPI generator, as DRF's `AutoSchema` reads a view's
 * `serializer_class`, `pagination_class` and `filter_backends`).
 *
 * @module
 */

import type { FilterBackend } from "./filters.ts";
import type { Pagination } from "./pagination.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import type { Operation } from "./view_config.ts";

/** What `actionOperation` reads of a generic view's options. */
export interface OperationSource {
  /** The schema of what is sent and, unless `toRepresentation` is given, of what is shown. */
  readonly serializer: StandardSchemaV1;
  /** How lists are paged. */
  readonly pagination?: Pagination;
  /** The filter backends of a list. */
  readonly filters?: readonly FilterBackend[];
  /** A representation of the view's own, which the serializer then does not describe. */
  readonly toRepresentation?: unknown;
}

/**
 * What an action does, as data (see `Operation`).
 *
 * @param options The view's options.
 * @param action The action, as DRF names it (`list`, `partial_update`...).
 * @param detail Whether the route is of one record.
 * @returns The action's operation.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, serializer } from "./mod.ts";
 * import { actionOperation } from "./_action_operation.ts";
 * const options = { serializer: serializer({ name: f.string() }) };
 * assertEquals(actionOperation(options, "destroy", true), { action: "destroy", status: 204, detail: true });
 * assertEquals(actionOperation(options, "create", false).status, 201);
 * ```
 */
export function actionOperation(
  options: OperationSource,
  action: string,
  detail: boolean,
): Operation {
  const { serializer, pagination, filters } = options;
  const shown = options.toRepresentation ? undefined : serializer;
  switch (action) {
    case "list":
      return { action, status: 200, response: shown, many: true, pagination, filters };
    case "create":
      return { action, status: 201, request: serializer, response: shown };
    case "update":
    case "partial_update":
      return {
        action,
        status: 200,
        request: serializer,
        partial: action === "partial_update",
        response: shown,
        detail,
      };
    case "destroy":
      return { action, status: 204, detail };
    default:
      return { action, status: 200, response: shown, detail };
  }
}
