/**
 * Routers, after DRF's `routers.py` `SimpleRouter`: a view set registered
 * under a prefix becomes a list route (`/notes`: GET list, POST create), a
 * detail route (`/notes/<int:id>`: GET, PUT, PATCH, DELETE), and a route for
 * each extra action (`/notes/recent`, `/notes/<int:id>/pin`), with only the
 * methods the view set has, so each route's `Allow` names only its own.
 * Paths have no trailing slash, as the rest of the service. Each route's
 * view config (`viewConfig(route.handler)`) is there for readers of the
 * route table.
 *
 * @module
 */

import type { Route } from "../http/router.ts";
import { viewName } from "./metadata.ts";
import type { Handler } from "../http/context.ts";
import type { GenericViewSet } from "./viewsets.ts";

/** A route the router made: the pattern, its handler and its name (`note-list`). */
export interface RouterRoute extends Route {
  /** The route's handler (its view's config: `viewConfig(handler)`). */
  readonly handler: Handler;
  /** DRF's URL name, e.g. `note-detail`. */
  readonly name: string;
}

// deno-lint-ignore no-explicit-any
type AnyViewSet = GenericViewSet<any, any, any, any>;

const LIST = { GET: "list", POST: "create" };
const DETAIL = { GET: "retrieve", PUT: "update", PATCH: "partial_update", DELETE: "destroy" };

/**
 * DRF's `SimpleRouter` (without trailing slashes).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, MemoryRepository, ReadOnlyModelViewSet, serializer, SimpleRouter, viewConfig } from "./mod.ts";
 * const tags = new ReadOnlyModelViewSet({
 *   repository: new MemoryRepository<{ id: number; name: string }>(),
 *   serializer: serializer({ name: f.string() }),
 * });
 * const [list, detail] = new SimpleRouter().register("tags", tags).urls;
 * assertEquals([list.name, detail.pattern, viewConfig(detail.handler)?.name], ["tag-list", "/tags/<int:id>", "Tag Instance"]);
 * ```
 */
export class SimpleRouter {
  readonly #registry: [string, AnyViewSet, string][] = [];

  /** Register a view set under a prefix; the basename defaults to the prefix made singular. */
  register(prefix: string, viewSet: AnyViewSet, basename?: string): this {
    this.#registry.push([
      prefix.replace(/^\/+|\/+$/g, ""),
      viewSet,
      basename ?? prefix.replace(/s$/, ""),
    ]);
    return this;
  }

  /** The routes of every registered view set, in DRF's order. */
  get urls(): RouterRoute[] {
    return this.#registry.flatMap(([prefix, viewSet, basename]) =>
      routesOf(prefix, viewSet, basename)
    );
  }
}

function routesOf(prefix: string, viewSet: AnyViewSet, basename: string): RouterRoute[] {
  const { field, converter } = viewSet.lookup;
  const lookup = `<${converter}:${field}>`;
  const name = viewSet.options.name ?? viewName(basename);
  const routes: RouterRoute[] = [];
  const standard = (
    mapping: Record<string, string>,
    path: string,
    suffix: string,
    detail: boolean,
  ) => {
    const bound = Object.fromEntries(
      Object.entries(mapping).filter(([, action]) => viewSet.standardActions.has(action)),
    );
    if (!Object.keys(bound).length) return;
    const handler = viewSet.asView(bound, { name: `${name} ${suffix}`, detail });
    routes.push({
      pattern: path,
      handler,
      name: `${basename}-${suffix === "List" ? "list" : "detail"}`,
    });
  };
  const extra = (detail: boolean, base: string) => {
    for (const action of viewSet.extraActions.filter((a) => a.options.detail === detail)) {
      routes.push({
        pattern: `${base}/${action.urlPath}`,
        handler: viewSet.actionView(action),
        name: `${basename}-${action.urlName}`,
      });
    }
  };
  standard(LIST, `/${prefix}`, "List", false);
  extra(false, `/${prefix}`);
  standard(DETAIL, `/${prefix}/${lookup}`, "Instance", true);
  extra(true, `/${prefix}/${lookup}`);
  return routes;
}
