// The browsable API page's inline style sheet and script. The page's
// Content-Security-Policy allows exactly these by their SHA-256 hashes, so a
// change here is a change of the policy too (made at startup, nothing to do).

/** The page's style sheet: system fonts, no images, nothing fetched. */
export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6776; --line: #d8dee6; --panel: #f6f8fa; --accent: #2b5d8c; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--accent); }
.bar { background: #1f3a56; color: #c9d6e3; padding: .6rem 1.25rem; font-size: .9rem; }
.bar a { color: #fff; font-weight: 600; text-decoration: none; margin-right: .5rem; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
.top { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; align-items: flex-start; }
h1 { font-size: 1.6rem; margin: .4rem 0; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.description { color: var(--muted); margin: 0 0 .5rem; white-space: pre-line; }
.actions { display: flex; gap: .5rem; margin-top: .6rem; }
button, .button { font: inherit; font-size: .85rem; font-weight: 600; padding: .35rem .8rem;
  border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink);
  cursor: pointer; text-decoration: none; }
button:hover, .button:hover { border-color: var(--accent); }
button.delete { color: #a3261b; }
button[disabled] { opacity: .6; cursor: wait; }
.request { margin: 1rem 0 .4rem; font-size: .95rem; }
.method { display: inline-block; background: var(--accent); color: #fff; border-radius: 3px;
  padding: 0 .45rem; margin-right: .3rem; font-size: .85rem; }
code, pre, textarea, select { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.response { background: var(--panel); border: 1px solid var(--line); border-radius: 4px;
  padding: 1rem; margin: 0; overflow: auto; font-size: .9rem; line-height: 1.45;
  white-space: pre-wrap; word-break: break-word; }
pre.response b { color: var(--muted); font-weight: 600; }
pre.response b.status { color: var(--ink); }
.k { color: #7a2e8e; } .s { color: #1b6e20; } .n { color: #1750eb; } .l { color: #a35200; }
a.s { color: #1b6e20; }
.send { margin-top: 1.5rem; padding: 1rem; border: 1px solid var(--line); border-radius: 4px; }
.send label { display: block; font-size: .85rem; font-weight: 600; margin: .6rem 0 .25rem; }
.send select { font-size: .85rem; padding: .25rem; }
.send textarea { width: 100%; font-size: .9rem; padding: .5rem; border: 1px solid var(--line);
  border-radius: 4px; resize: vertical; }
.send .buttons { display: flex; gap: .5rem; justify-content: flex-end; margin-top: .75rem; }
.note { color: var(--muted); font-size: .85rem; }
.bar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; justify-content: space-between; align-items: center; }
.token { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; font-size: .85rem; }
.token[hidden], .token [hidden] { display: none; }
.token input { font: inherit; padding: .2rem .4rem; border: 1px solid #5d7893; border-radius: 3px;
  background: #fff; color: var(--ink); width: 16rem; }
.token button { padding: .2rem .6rem; }
`;

/**
 * The page's script: the OPTIONS and DELETE buttons and the form send their
 * request to the page's URL and put the answer's page in place of this one's
 * request and response, so the answer shows as the page itself would. A
 * token pasted under Token is kept in this tab's sessionStorage (never in a
 * URL) and sent as \`Authorization: Bearer ...\` with each of those requests;
 * a GET page refused with 401 or 403 is asked for again with it.
 */
export const SCRIPT = `
"use strict";
(() => {
  const PLACEHOLDERS = {
    "application/json": '{"name": "Ada"}',
    "application/x-www-form-urlencoded": "name=Ada",
  };
  const TOKEN = "drf-deno.token";
  const allowed = document.querySelector("main").dataset.allow.split(",");

  function token() {
    try {
      return sessionStorage.getItem(TOKEN);
    } catch {
      return null;
    }
  }

  async function send(method, body, type) {
    const headers = { accept: "text/html" };
    if (type) headers["content-type"] = type;
    const key = token();
    if (key) headers.authorization = "Bearer " + key;
    const controls = document.querySelectorAll("button");
    for (const control of controls) control.disabled = true;
    let fresh;
    try {
      const response = await fetch(location.href, { method, headers, body });
      const text = await response.text();
      const answer = new DOMParser().parseFromString(text, "text/html");
      fresh = answer.getElementById("exchange");
      if (fresh) fresh = document.adoptNode(fresh);
      else fresh = plain(method, response.status + " " + response.statusText, response.headers);
    } catch (error) {
      fresh = plain(method, "failed: " + error.message, new Headers());
    } finally {
      for (const control of controls) control.disabled = false;
    }
    document.getElementById("exchange").replaceWith(fresh);
  }

  // An answer without a page (204, or not HTML): its status line and headers, as text.
  function plain(method, status, headers) {
    const section = document.createElement("section");
    section.id = "exchange";
    const request = section.appendChild(document.createElement("p"));
    request.className = "request";
    const badge = request.appendChild(document.createElement("b"));
    badge.className = "method";
    badge.textContent = method;
    request.append(" ", location.pathname + location.search);
    const pre = section.appendChild(document.createElement("pre"));
    pre.className = "response";
    const lines = ["HTTP " + status];
    for (const [name, value] of headers) lines.push(name + ": " + value);
    pre.textContent = lines.join("\\n");
    return section;
  }

  for (const button of document.querySelectorAll("button[data-method]")) {
    button.addEventListener("click", () => send(button.dataset.method));
  }

  const form = document.getElementById("send");
  if (form) {
    const type = form.elements.type;
    const content = form.elements.content;
    type.addEventListener("change", () => content.placeholder = PLACEHOLDERS[type.value]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const method = event.submitter ? event.submitter.value : "POST";
      send(method, content.value, type.value);
    });
  }

  // The page again, as GET with the token now in use, where the view takes GET.
  function reload() {
    if (allowed.includes("GET")) send("GET");
  }

  const tokenForm = document.getElementById("token");
  const input = document.getElementById("token-key");
  const forget = document.getElementById("token-forget");
  const state = document.getElementById("token-state");
  function showToken() {
    const set = token() !== null;
    forget.hidden = !set;
    state.textContent = set ? "a token is in use in this tab" : "";
    input.value = "";
  }
  tokenForm.hidden = false;
  showToken();
  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    try {
      sessionStorage.setItem(TOKEN, key);
    } catch {
      state.textContent = "this browser keeps no session storage";
      return;
    }
    showToken();
    reload();
  });
  forget.addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN);
    showToken();
    reload();
  });

  // A link or the address bar cannot send the token: a GET page refused for
  // want of it is asked for again with it.
  const exchange = document.getElementById("exchange");
  const first = document.querySelector("#exchange .method").textContent;
  if (token() !== null && first === "GET" && /^40[13]$/.test(exchange.dataset.status)) reload();
})();
`;
