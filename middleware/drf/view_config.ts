/**
 * What a view declares, as DRF's `APIView` class attributes: its handler for
 * each method, its name and description, its policies
 * (`authentication_classes`, `permission_classes`, `throttle_classes`), its
 * deadline, and what it tells readers of the route table (each method's
 * operation, the schema's hints). `dispatch` in `views.ts` runs it.
 *
 * @module
 */

import type { Authenticator } from "./authentication.ts";
import type { FilterBackend } from "./filters.ts";
import type { ViewMetadata } from "./metadata.ts";
import type { Pagination } from "./pagination.ts";
import type { Permission } from "./permissions.ts";
import type { ApiContext } from "./request.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import type { Throttle } from "./throttling.ts";

/**
 * A view: an async function of the request that returns data to render
 * (200), an {@linkcode ApiResponse} (data with a status and headers), or a web
 * `Response` that is sent as it is (with the view's `Allow` and `Vary`). It
 * throws an error of the API's family to answer an error.
 */
export type View = (request: Request, context: ApiContext) => unknown;

/**
 * A view's policies, as DRF's `authentication_classes`, `permission_classes`,
 * `throttle_classes`. One left out takes the service's default (see
 * `withDefaultPolicies`); an empty list means none, whatever the default.
 */
export interface Policies {
  /** Tried in order; the first that recognises the request's credentials wins. */
  readonly authentication?: readonly Authenticator[];
  /** All must allow the request. */
  readonly permissions?: readonly Permission[];
  /** All are consulted; the longest wait wins. */
  readonly throttles?: readonly Throttle[];
  /** DRF's `throttle_scope`: which of its rates a `ScopedRateThrottle` applies here. */
  readonly throttleScope?: string;
}

/**
 * What one method of a view does, as data for whoever reads the route table
 * (an OpenAPI generator): its action, success status, the schemas of the
 * body taken and of the representation shown, and how a list is paged and
 * filtered. A Standard Schema that also implements Standard JSON Schema
 * (the field kit, zod 4, arktype) gives its JSON Schema.
 */
export interface Operation {
  /** The action, as DRF names it: `list`, `create`, `retrieve`, `update`, `partial_update`, `destroy`, or an extra action's name. */
  readonly action: string;
  /** The status of success: 200, 201 or 204. */
  readonly status: number;
  /** The body taken, validated (absent when the method takes none). */
  readonly request?: StandardSchemaV1;
  /** Whether every field of `request` may be left out (PATCH). */
  readonly partial?: boolean;
  /** The representation shown (absent for no body, e.g. a 204). */
  readonly response?: StandardSchemaV1;
  /** A list of representations (paginated when `pagination` is set). */
  readonly many?: boolean;
  /** The page envelope of a list. */
  readonly pagination?: Pagination;
  /** The filter backends of a list (their query parameters). */
  readonly filters?: readonly FilterBackend[];
  /** Whether the view looks one object up (a 404 when missing, object permissions). */
  readonly detail?: boolean;
}

/**
 * What the API's schema says of a view beyond what it knows itself, as
 * DRF's `schema = None` and drf-spectacular's `@extend_schema` do.
 */
export interface SchemaHints {
  /** Leave the view out of the schema (the API root, the schema itself, a WebSocket). */
  readonly exclude?: boolean;
  /** The status of success, when not 200 (a view that answers 201). */
  readonly status?: number;
  /** The representation it answers with (any Standard Schema). */
  readonly response?: StandardSchemaV1;
}

/** What a view is: its handler for each method, its name and its policies. */
export interface ViewConfig extends Policies {
  /** The handler of each method the view takes (`HEAD` is `GET`'s, `OPTIONS` the metadata). */
  readonly handlers: Readonly<Record<string, View>>;
  /** The name OPTIONS and the browsable API give. */
  readonly name: string;
  /** The description OPTIONS gives; `""` by default. */
  readonly description?: string;
  /**
   * Milliseconds a handler may take before it is aborted and the client gets
   * `503 {"detail":"Request timed out."}`; 0 for no deadline. By default the
   * service's `REQUEST_TIMEOUT_MS`.
   */
  readonly timeout?: number;
  /**
   * The OPTIONS body, when it depends on the request (DRF's `SimpleMetadata`
   * with its `actions`); by default the name, description, renders and parses.
   */
  readonly metadata?: (
    request: Request,
    context: ApiContext,
    base: ViewMetadata,
  ) => Promise<ViewMetadata>;
  /** The schema `await context.data()` validates with (a 400 in DRF's shape when it fails). */
  readonly body?: StandardSchemaV1;
  /** Each method's operation, for readers of the route table. */
  readonly operations?: Readonly<Record<string, Operation>>;
  /** The view set's action for each method (`GET` → `list`), when it is one. */
  readonly actions?: Readonly<Record<string, string>>;
  /** What the API's schema says of the view beyond its operations. */
  readonly openapi?: SchemaHints;
}
