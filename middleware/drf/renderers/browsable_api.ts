/**
 * The browsable API, after DRF's `BrowsableAPIRenderer`: every response as an
 * HTML page a person can read and use in a browser. The page shows the view's
 * name and description, the request, the response as a JSON client gets it
 * (status line, headers, the body indented and highlighted), a link to the
 * JSON, and a control for each other method the view takes.
 *
 * The page is self-contained: its one style sheet and one script are inline,
 * allowed by their hashes in a `Content-Security-Policy` that forbids anything
 * else, so nothing is loaded from elsewhere and nothing injected can run.
 * Every value from a request or a view is escaped.
 *
 * @module
 */

import { encodeBase64 } from "@std/encoding/base64";
import { STATUS_TEXT } from "@std/http/status";
import { SCRIPT, STYLE } from "./_browsable_api_assets.ts";
import { authNote, bodyForm, tokenForm } from "./_browsable_api_forms.ts";
import { type Html, html, join, raw } from "./_html.ts";
import type { Renderer, RenderOptions } from "./base.ts";
import { pageView } from "./indent.ts";

// Hashed once at startup, so pages need no per-response nonce and the hot path
// does no crypto.
const CSP = [
  "default-src 'none'",
  `script-src '${await sha256(SCRIPT)}'`,
  `style-src '${await sha256(STYLE)}'`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

// DRF's browsable API indents by 4.
const INDENT = 4;
const BODY_METHODS = ["POST", "PUT", "PATCH"];
const BUTTON_METHODS = ["OPTIONS", "DELETE"];

/**
 * Make the browsable API's renderer: `text/html`, `?format=api`. The page
 * shows the headers a client of `json`, the default renderer, gets.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { browsableApiRenderer } from "./browsable_api.ts";
 * import { jsonRenderer } from "./json.ts";
 * const page = browsableApiRenderer(jsonRenderer).render({ note: "<b>" }, { status: 200 });
 * assertStringIncludes(page, "&quot;&lt;b&gt;&quot;");
 * ```
 */
export function browsableApiRenderer(json: Renderer): Renderer {
  return {
    mediaType: "text/html",
    format: "api",
    contentType: "text/html; charset=utf-8",
    headers: { "content-security-policy": CSP },
    render: (data, options = {}) => page(json, data, options).text,
  };
}

function page(json: Renderer, data: unknown, options: RenderOptions): Html {
  const status = options.status ?? 200;
  const reason: string = STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? "";
  const url = new URL(options.request?.url ?? "http://localhost/");
  // HEAD is answered with GET's headers, Content-Length included: GET's page.
  const sent = options.request?.method ?? "GET";
  const method = sent === "HEAD" ? "GET" : sent;
  const title = options.view?.name ?? (reason || "Response");
  const headers = new Headers(options.headers);
  headers.set("content-type", json.contentType);
  const allowed = (headers.get("allow") ?? "").split(",").map((m) => m.trim());
  const jsonUrl = new URL(url);
  jsonUrl.searchParams.set("format", "json");
  // As DRF's page shows it: indented, with a space after each colon.
  // Bounded: deep nesting is not indented, and a long body is cut, saying so.
  const body = pageView(data, INDENT);
  // Built apart from the template, whose whitespace is deno fmt's (it formats
  // `html` templates as HTML): in a <pre>, whitespace shows.
  const response = join([
    html`<b class="status">HTTP ${status} ${reason}</b>`,
    ...[...headers].map(([name, value]) => html`<b>${headerName(name)}:</b> ${value}`),
    "",
    highlight(body.text),
    ...body.note ? [html`<i class="note">${body.note}</i>`] : [],
  ]);
  const buttons = BUTTON_METHODS.filter((m) => allowed.includes(m)).map((m) =>
    html`<button type="button" class="${m.toLowerCase()}" data-method="${m}">${m}</button>`
  );

  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title} · drf-deno</title>
        <style>${raw(STYLE)}</style>
      </head>
      <body>
        <header class="bar">
          <span><a href="/">drf-deno</a> <span>browsable API</span> <a href="/openapi.json">OpenAPI</a></span>
          ${tokenForm()}
        </header>
        <main data-allow="${allowed.join(",")}">
          <div class="top">
            <div>
              <h1>${title}</h1>
              ${options.view?.description
                ? html`<p class="description">${options.view.description}</p>`
                : ""}
            </div>
            <nav class="actions">
              ${buttons}
              <a class="button" href="${jsonUrl.pathname + jsonUrl.search}">JSON</a>
            </nav>
          </div>
          <section id="exchange" aria-live="polite" data-status="${status}">
            <p class="request">
              <b class="method">${method}</b> <code>${url.pathname + url.search}</code>
            </p>
            <pre class="response">${response}</pre>
            ${status === 401 || status === 403 ? authNote() : ""}
          </section>
          ${bodyForm(allowed.filter((m) => BODY_METHODS.includes(m)))}
          <noscript>
            <p class="note">OPTIONS, DELETE and the form need JavaScript; GET works without.</p>
          </noscript>
        </main>
        <script>${raw(SCRIPT)}</script>
      </body>
    </html>
  `;
}

// Content-Type, not content-type, and WWW-Authenticate, as DRF shows them.
function headerName(name: string): string {
  if (name === "www-authenticate") return "WWW-Authenticate";
  return name.replace(/(^|-)([a-z])/g, (_, dash, letter) => dash + letter.toUpperCase());
}

// A JSON token: a string (a key when a colon follows), a number or a literal.
const TOKEN =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
// A same-origin path: starts with one "/" and holds no "\" that a browser would
// read as a second one.
const LOCAL_LINK = /^\/(?![/\\])[\w\-.~%!$&'()*+,;=:@/?]*$/;

/** Mark up rendered JSON: keys, strings, numbers and literals, and links for paths. */
function highlight(text: string): Html {
  const out: (string | Html)[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const [token, string, colon, number, literal] = match;
    out.push(text.slice(last, match.index));
    last = match.index + token.length;
    if (string !== undefined && colon !== undefined) {
      out.push(html`<span class="k">${string}</span>${colon}`);
    } else if (string !== undefined) {
      const value: unknown = JSON.parse(string);
      out.push(
        typeof value === "string" && LOCAL_LINK.test(value)
          ? html`<a class="s" href="${value}">${string}</a>`
          : html`<span class="s">${string}</span>`,
      );
    } else if (number !== undefined) out.push(html`<span class="n">${number}</span>`);
    else out.push(html`<span class="l">${literal}</span>`);
  }
  out.push(text.slice(last));
  return html`<code>${out}</code>`;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `sha256-${encodeBase64(digest)}`;
}
