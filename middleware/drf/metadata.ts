/**
 * What OPTIONS answers about a view, after DRF's `SimpleMetadata` and
 * `get_view_name`.
 *
 * @module
 */

import { DEFAULT_PARSERS, DEFAULT_RENDERERS } from "./api_settings.ts";

/** The body of an OPTIONS response. */
export interface ViewMetadata {
  /** The view's name for people, e.g. `"Async View"`. */
  name: string;
  /** What the view does, `""` when not given. */
  description: string;
  /** The media types the view can answer in. */
  renders: string[];
  /** The media types the view reads bodies in. */
  parses: string[];
  /**
   * For a generic view, the fields each of POST and PUT takes, for a user
   * who may use it (DRF's `SimpleMetadata.determine_actions`).
   */
  actions?: Record<string, Record<string, unknown>>;
}

/**
 * Make a view's name readable as DRF does: camelCase and snake_case words
 * split and title-cased.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { viewName } from "./metadata.ts";
 * assertEquals(viewName("asyncView"), "Async View");
 * assertEquals(viewName("item_detail"), "Item Detail");
 * ```
 */
export function viewName(identifier: string): string {
  // DRF's camelcase_to_spaces: a space before an upper-case letter that
  // follows a lower-case one or starts a capitalised word.
  const spaced = identifier.replace(/((?<=[a-z])[A-Z]|[A-Z](?![A-Z]|$))/g, " $1").trim();
  // Then Python's str.title() over the words between underscores.
  return spaced.split("_").join(" ").replace(
    /[A-Za-z]+/g,
    (word) => word[0].toUpperCase() + word.slice(1).toLowerCase(),
  );
}

/**
 * The OPTIONS body for a view.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { viewMetadata } from "./metadata.ts";
 * assertEquals(viewMetadata("Health").renders, ["application/json", "text/html"]);
 * ```
 */
export function viewMetadata(name: string, description: string = ""): ViewMetadata {
  return {
    name,
    description,
    renders: DEFAULT_RENDERERS.map((r) => r.mediaType),
    parses: DEFAULT_PARSERS.map((p) => p.mediaType),
  };
}
