/**
 * HTML built from templates whose values are escaped unless they are markup
 * already, so that escaping is what happens by default: the browsable API's
 * page is written with it.
 *
 * @module
 */

import { escape } from "@std/html/entities";

/**
 * Markup: text that is already HTML.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Html } from "./_html.ts";
 * assertEquals(new Html("<b>x</b>").text, "<b>x</b>");
 * ```
 */
export class Html {
  /** Wrap `text`, which is HTML already. */
  constructor(readonly text: string) {}
}

/**
 * Text taken as HTML as it is, unescaped: for the page's own style and script.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { html, raw } from "./_html.ts";
 * assertEquals(html`<i>${raw("<b>")}</i>`.text, "<i><b></i>");
 * ```
 */
export function raw(text: string): Html {
  return new Html(text);
}

/**
 * A template whose values are escaped unless they are {@linkcode Html}
 * already; arrays are joined, `undefined` and `null` are empty.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { html } from "./_html.ts";
 * assertEquals(html`<p>${"<b>"}${[html`<i>`, "&"]}</p>`.text, "<p>&lt;b&gt;<i>&amp;</p>");
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += markup(values[i]) + strings[i + 1];
  return new Html(text);
}

/**
 * Lines joined into one piece of markup, each escaped unless it is {@linkcode Html}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { html, join } from "./_html.ts";
 * assertEquals(join([html`<b>a</b>`, "<c>"]).text, "<b>a</b>\n&lt;c&gt;");
 * ```
 */
export function join(lines: (string | Html)[]): Html {
  return new Html(lines.map(markup).join("\n"));
}

function markup(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(markup).join("");
  if (value === undefined || value === null) return "";
  return escape(String(value));
}
