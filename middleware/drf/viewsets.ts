/**
 * View sets, after DRF's `viewsets.py`: one object for a resource's actions
 * (`list`, `create`, `retrieve`, `update`, `partial_update`, `destroy`),
 * which a router binds to a list route and a detail route, plus extra
 * actions in the manner of DRF's `@action` (`viewSet.action({ detail },
 * handler)`). Path parameters come typed: a detail action of a view set
 * looked up `<int:id>` gets `context.params.id` as a `number`.
 *
 * @module
 */

import { type Converter, type DetailParams, GenericApiView, type NoParams } from "./generics.ts";
import type { Handler } from "../http/context.ts";
import * as mixins from "./mixins.ts";
import type { Record_ } from "./repository.ts";
import type { ApiContext } from "./request.ts";
import type { StandardSchemaV1 } from "./standard_schema.ts";
import { dispatch, type Policies, type View } from "./views.ts";

/** Options of an extra action, as DRF's `@action(...)` arguments. */
export interface ActionOptions<B = unknown> extends Policies {
  /** Of one record (`/notes/<id>/pin`) or of the list (`/notes/recent`). */
  readonly detail: boolean;
  /** The methods it takes; `["GET"]` by default. */
  readonly methods?: readonly string[];
  /** Its path segment; the handler's name by default. */
  readonly urlPath?: string;
  /** Its route name; the handler's name with `-` for `_` by default. */
  readonly urlName?: string;
  /** The name OPTIONS gives; the handler's name as DRF's `pretty_name` makes it by default. */
  readonly name?: string;
  /** The description OPTIONS gives. */
  readonly description?: string;
  /** The body it takes: `await context.data()` validated and typed (a 400 when it fails). */
  readonly body?: StandardSchemaV1<unknown, B>;
  /** What it answers, for readers of the route table. */
  readonly response?: StandardSchemaV1;
}

/** An extra action, registered. */
export interface ExtraAction {
  /** Its options. */
  readonly options: ActionOptions;
  /** Its handler. */
  readonly handler: View;
  /** Its path segment. */
  readonly urlPath: string;
  /** Its route name. */
  readonly urlName: string;
  /** Its view name. */
  readonly name: string;
}

/**
 * DRF's `GenericViewSet`: the building blocks and extra actions, no standard
 * action.
 */
export class GenericViewSet<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends GenericApiView<T, S, K, C> {
  /** The standard actions it has (which routes a router makes, and their methods). */
  readonly standardActions: ReadonlySet<string> = new Set();
  /** Its extra actions, in the order they were added. */
  readonly extraActions: ExtraAction[] = [];

  /** Add an extra action of one record: its context's params are typed from the lookup. */
  action<B = unknown>(
    options: ActionOptions<B> & { readonly detail: true },
    handler: (request: Request, context: ApiContext<DetailParams<K, C>, B>) => unknown,
  ): this;
  /** Add an extra action of the list. */
  action<B = unknown>(
    options: ActionOptions<B> & { readonly detail: false },
    handler: (request: Request, context: ApiContext<NoParams, B>) => unknown,
  ): this;
  /**
   * DRF's `@action`.
   *
   * @example
   * ```ts
   * import { assertEquals } from "@std/assert";
   * import { f, MemoryRepository, ModelViewSet, serializer, SimpleRouter } from "./mod.ts";
   * const notes = new ModelViewSet({
   *   name: "Note",
   *   repository: new MemoryRepository<{ id: number; title: string }>(),
   *   serializer: serializer({ id: f.integer({ readOnly: true }), title: f.string() }),
   * }).action({ detail: true }, async function echoId(_request, context) {
   *   const id: number = context.params.id;
   *   return { id };
   * });
   * const routes = new SimpleRouter().register("notes", notes).urls;
   * assertEquals(routes.map((r) => r.pattern), ["/notes", "/notes/<int:id>", "/notes/<int:id>/echoId"]);
   * ```
   */
  action(options: ActionOptions, handler: (request: Request, context: never) => unknown): this {
    const named = handler.name;
    const urlPath = options.urlPath ?? named;
    if (!urlPath) throw new TypeError("An action needs a named handler or a urlPath");
    if (
      this.standardActions.has(named) ||
      ["list", "create", "retrieve", "update", "partial_update", "destroy"].includes(urlPath)
    ) {
      throw new TypeError(`Cannot use an action named after an existing route: ${urlPath}`);
    }
    this.extraActions.push({
      options,
      // The context a route gives is the one the overloads promise.
      handler: handler as View,
      urlPath,
      urlName: options.urlName ?? urlPath.replaceAll("_", "-"),
      name: options.name ?? prettyName(named || urlPath),
    });
    return this;
  }

  /** The handler of an extra action's route, through the one dispatch. */
  actionView(action: ExtraAction): Handler {
    const { options } = action;
    const methods = options.methods ?? ["GET"];
    return dispatch({
      ...this.options,
      authentication: options.authentication ?? this.options.authentication,
      permissions: options.permissions ?? this.options.permissions,
      throttles: options.throttles ?? this.options.throttles,
      name: action.name,
      description: options.description ?? "",
      body: options.body,
      handlers: Object.fromEntries(methods.map((m) => [m.toUpperCase(), action.handler])),
      actions: Object.fromEntries(methods.map((m) => [m.toUpperCase(), action.urlName])),
      operations: Object.fromEntries(methods.map((m) => [m.toUpperCase(), {
        action: action.urlName,
        status: 200,
        request: options.body,
        response: options.response,
        detail: options.detail,
      }])),
    });
  }
}

// Django's pretty_name: "set_password" → "Set password".
function prettyName(name: string): string {
  const spaced = name.replaceAll("_", " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** DRF's `ReadOnlyModelViewSet`: `list` and `retrieve`. */
export class ReadOnlyModelViewSet<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends GenericViewSet<T, S, K, C> {
  override readonly standardActions: ReadonlySet<string> = new Set(["list", "retrieve"]);

  /** DRF's `list`. */
  list(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.list(this, request, context);
  }

  /** DRF's `retrieve`. */
  retrieve(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.retrieve(this, request, context);
  }
}

/**
 * DRF's `ModelViewSet`: list, create, retrieve, update, partial update and
 * destroy.
 */
export class ModelViewSet<
  T extends Record_,
  S extends StandardSchemaV1,
  K extends string = "id",
  C extends Converter = "int",
> extends ReadOnlyModelViewSet<T, S, K, C> {
  override readonly standardActions: ReadonlySet<string> = new Set([
    "list",
    "create",
    "retrieve",
    "update",
    "partial_update",
    "destroy",
  ]);

  /** DRF's `create`. */
  create(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.create(this, request, context);
  }

  /** DRF's `update` (PUT). */
  update(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.update(this, request, context);
  }

  /** DRF's `partial_update` (PATCH). */
  partialUpdate(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.partialUpdate(this, request, context);
  }

  /** DRF's `destroy`. */
  destroy(request: Request, context: ApiContext): Promise<unknown> {
    return mixins.destroy(this, request, context);
  }
}
