/**
 * The browsable API's forms: the one that sends a request with a body, the
 * one where a person pastes a token, and the note on how to get a token.
 *
 * @module
 */

import { type Html, html } from "./_html.ts";

/**
 * The form that sends a request with a body, a button for each of `methods`;
 * nothing when there is none.
 *
 * @example
 * ```ts
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 * import { bodyForm } from "./_browsable_api_forms.ts";
 * import { html } from "./_html.ts";
 * assertEquals(bodyForm([]), "");
 * assertStringIncludes(html`${bodyForm(["POST"])}`.text, 'value="POST">POST</button>');
 * ```
 */
export function bodyForm(methods: string[]): Html | "" {
  if (methods.length === 0) return "";
  const buttons = methods.map((m) =>
    html`<button type="submit" name="method" value="${m}">${m}</button>`
  );
  return html`
    <form id="send" class="send">
      <h2>Send a request</h2>
      <label for="type">Media type</label>
      <select id="type" name="type">
        <option value="application/json">application/json</option>
        <option value="application/x-www-form-urlencoded">application/x-www-form-urlencoded</option>
      </select>
      <label for="content">Content</label>
      <textarea id="content" name="content" rows="8" spellcheck="false"
        placeholder='{"name": "Ada"}'></textarea>
      <div class="buttons">${buttons}</div>
    </form>
  `;
}

/**
 * Where a person pastes a token, which the page's requests then send as
 * `Authorization: Bearer ...`. Shown by the script only (it does nothing
 * without), and its input has no name, so that no submission can ever put the
 * token in a URL; the script keeps it in this tab's sessionStorage.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { tokenForm } from "./_browsable_api_forms.ts";
 * assertStringIncludes(tokenForm().text, '<form id="token" class="token" hidden>');
 * ```
 */
export function tokenForm(): Html {
  return html`
    <form id="token" class="token" hidden>
      <label for="token-key">Token</label>
      <input id="token-key" type="password" autocomplete="off" spellcheck="false"
        placeholder="paste a token">
      <button type="submit">Use</button>
      <button type="button" id="token-forget" hidden>Forget</button>
      <span id="token-state" role="status"></span>
    </form>
  `;
}

/**
 * The note a 401 or 403 page shows: how to authenticate.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { authNote } from "./_browsable_api_forms.ts";
 * assertStringIncludes(authNote().text, '<a href="/api-token-auth">/api-token-auth</a>');
 * ```
 */
export function authNote(): Html {
  return html`
    <p class="note">
      Authenticate by pasting a token under <b>Token</b> above (get one with a POST of
      <code>username</code> and <code>password</code> to <a href="/api-token-auth">/api-token-auth</a>).
    </p>
  `;
}
