import { assertEquals, assertStringIncludes } from "@std/assert";
import { send } from "../_request.ts";
import { auth } from "../_service.ts";

await auth.users.create({ username: "page_ada", password: "pw" });
const TOKEN = (await auth.tokens.getOrCreate("page_ada", "pw")).key;

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

Deno.test("a 401 page shows the status, the WWW-Authenticate challenge and how to authenticate", async () => {
  const answer = await send("/me", { headers: { accept: BROWSER } });
  assertEquals(answer.status, 401);
  assertEquals(answer.headers.get("www-authenticate"), "Bearer");
  assertStringIncludes(answer.text, '<section id="exchange" aria-live="polite" data-status="401">');
  assertStringIncludes(answer.text, "HTTP 401 Unauthorized");
  assertStringIncludes(answer.text, "<b>WWW-Authenticate:</b> Bearer");
  assertStringIncludes(answer.text, "Authentication credentials were not provided.");
  assertStringIncludes(answer.text, '<a href="/api-token-auth">/api-token-auth</a>');
});

Deno.test("a 403 page shows its status and detail, and no challenge", async () => {
  const answer = await send("/staff", {
    headers: { accept: BROWSER, authorization: `Bearer ${TOKEN}` },
  });
  assertEquals([answer.status, answer.headers.get("www-authenticate")], [403, null]);
  assertStringIncludes(answer.text, 'data-status="403"');
  assertStringIncludes(answer.text, "HTTP 403 Forbidden");
  assertStringIncludes(answer.text, "You do not have permission to perform this action.");
  assertEquals(answer.text.includes("WWW-Authenticate"), false);
  assertEquals(answer.text.includes(TOKEN), false);
});

Deno.test("a wrong token's 401 page shows DRF's message and the challenge", async () => {
  const answer = await send("/staff", {
    headers: { accept: BROWSER, authorization: "Bearer nope" },
  });
  assertEquals(answer.status, 401);
  assertStringIncludes(answer.text, "Invalid token.");
  assertStringIncludes(answer.text, "<b>WWW-Authenticate:</b> Bearer");
});

Deno.test("the token form is hidden until the script shows it, and can never submit the token", async () => {
  const answer = await send("/health", { headers: { accept: BROWSER } });
  assertStringIncludes(answer.text, '<form id="token" class="token" hidden>');
  const form = answer.text.slice(answer.text.indexOf('<form id="token"'));
  const input = form.slice(form.indexOf("<input"), form.indexOf(">", form.indexOf("<input")) + 1);
  assertStringIncludes(input, 'type="password"');
  assertStringIncludes(input, 'autocomplete="off"');
  assertEquals(/\sname=/.test(input), false, "an input without a name is never submitted");
  assertEquals(answer.status, 200);
  assertEquals(
    answer.text.includes("auth-note") || answer.text.includes("/api-token-auth</a>"),
    false,
  );
});

Deno.test("the page keeps its strict CSP: the script and style by hash, nothing else", async () => {
  const answer = await send("/me", { headers: { accept: BROWSER } });
  const csp = answer.headers.get("content-security-policy") ?? "";
  assertStringIncludes(csp, "default-src 'none'");
  assertEquals(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/.test(csp), true, csp);
  assertEquals(/style-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/.test(csp), true, csp);
  assertEquals(csp.includes("unsafe"), false);
});
