// The browsable API in-process: which requests get the HTML page, what the
// page shows, that nothing from a request or a view can run in it, and the API
// root. tests/browser/ opens the same pages in a real browser.

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { encodeBase64 } from "@std/encoding/base64";
import { apiView } from "../../middleware/drf/decorators.ts";
import { callView } from "../../middleware/drf/test.ts";
import { post, send } from "../_request.ts";

const HTML = "text/html; charset=utf-8";
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const XSS = `</textarea><script>alert("x")</script><!-- '"&`;

Deno.test("content negotiation picks the page for browsers and JSON for the rest", async (t) => {
  const cases: [string, Record<string, string>, string][] = [
    ["/health", { accept: "text/html" }, HTML],
    ["/health", { accept: BROWSER }, HTML],
    ["/health", { accept: "application/json;q=0.5, text/html" }, HTML],
    ["/health?format=api", {}, HTML],
    ["/health?format=api", { accept: "*/*" }, HTML],
    ["/health", {}, "application/json"],
    ["/health", { accept: "*/*" }, "application/json"],
    ["/health", { accept: "application/json" }, "application/json"],
    ["/health", { accept: "text/html;q=0.5, application/json" }, "application/json"],
    ["/health?format=json", { accept: BROWSER }, "application/json"],
  ];
  for (const [path, headers, type] of cases) {
    await t.step(`${path} with Accept: ${headers.accept ?? "(none)"} returns ${type}`, async () => {
      const answer = await send(path, { headers });
      assertEquals(answer.status, 200);
      assertEquals(answer.headers.get("content-type"), type);
      assertEquals(answer.headers.get("vary"), "Accept");
      assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
      if (type === HTML) assertStringIncludes(answer.text, "<!doctype html>");
      else assertEquals(answer.text, '{"status":"ok"}');
    });
  }
  await t.step("?format=api with Accept: application/json returns 406 JSON", async () => {
    const answer = await send("/health?format=api", { headers: { accept: "application/json" } });
    assertEquals(answer.status, 406);
    assertEquals(answer.json, { detail: "Could not satisfy the request Accept header." });
  });
  await t.step("JSON responses carry no Content-Security-Policy", async () => {
    assertEquals((await send("/health")).headers.get("content-security-policy"), null);
  });
  await t.step("HEAD with Accept: text/html returns the page's headers and no body", async () => {
    const answer = await send("/health", { method: "HEAD", headers: { accept: "text/html" } });
    assertEquals([answer.status, answer.text], [200, ""]);
    assertEquals(answer.headers.get("content-type"), HTML);
  });
});

Deno.test("the page shows the view, the request and the response as JSON clients get it", async (t) => {
  const answer = await send("/items/7?page=2", { headers: { accept: "text/html" } });
  const page = answer.text;
  await t.step("the view's name is the title and heading", () => {
    assertStringIncludes(page, "<title>Item Detail · drf-deno</title>");
    assertStringIncludes(page, "<h1>Item Detail</h1>");
  });
  await t.step("the request's method and path", () => {
    assertStringIncludes(page, '<b class="method">GET</b> <code>/items/7?page=2</code>');
  });
  await t.step("the status line and the headers a JSON client gets", () => {
    assertStringIncludes(
      page,
      '<b class="status">HTTP 200 OK</b>\n<b>Allow:</b> GET, HEAD, OPTIONS\n' +
        "<b>Content-Type:</b> application/json\n<b>Vary:</b> Accept\n",
    );
  });
  await t.step("the body as indented, highlighted JSON", () => {
    assertStringIncludes(
      page,
      '{\n    <span class="k">&quot;id&quot;</span>: <span class="n">7</span>\n}',
    );
  });
  await t.step("a link to the same URL as JSON", () => {
    assertStringIncludes(page, '<a class="button" href="/items/7?page=2&amp;format=json">JSON</a>');
  });
  await t.step("a GET-only view has an OPTIONS button and no form", () => {
    assertStringIncludes(page, 'data-method="OPTIONS"');
    assertEquals(page.includes('data-method="DELETE"'), false);
    assertEquals(page.includes('<form id="send"'), false);
  });
  await t.step("the description shows when the view has one", async () => {
    const root = await send("/", { headers: { accept: "text/html" } });
    assertStringIncludes(root.text, '<p class="description">The API&#39;s routes;');
  });
});

Deno.test("a view's other methods get controls on its page", async (t) => {
  const view = apiView(["GET", "POST", "PUT", "PATCH", "DELETE"], async () => ({}));
  const page = await (await callView(view, { path: "/things", headers: { accept: "text/html" } }))
    .text();
  await t.step("OPTIONS and DELETE as buttons", () => {
    assertStringIncludes(page, '<button type="button" class="options" data-method="OPTIONS">');
    assertStringIncludes(page, '<button type="button" class="delete" data-method="DELETE">');
  });
  await t.step("POST, PUT and PATCH as a form with a body and a media type", () => {
    assertStringIncludes(page, '<textarea id="content" name="content"');
    assertStringIncludes(page, '<option value="application/json">');
    assertStringIncludes(page, '<option value="application/x-www-form-urlencoded">');
    for (const method of ["POST", "PUT", "PATCH"]) {
      assertStringIncludes(page, `<button type="submit" name="method" value="${method}">`);
    }
  });
});

Deno.test("errors render as pages with their status and detail", async (t) => {
  const cases: [string, RequestInit, number, string, string][] = [
    // (What negotiation refuses, a 406 or an unknown ?format='s 404, is JSON
    // whatever the Accept: tests/drf/negotiation_test.ts.)
    ["/nope", {}, 404, "HTTP 404 Not Found", "Not found."],
    ["/echo", {}, 405, "HTTP 405 Method Not Allowed", "Method \\&quot;GET\\&quot; not allowed."],
    ["/echo", post("{broken"), 400, "HTTP 400 Bad Request", "JSON parse error - "],
    ["/boom", {}, 500, "HTTP 500 Internal Server Error", "A server error occurred."],
  ];
  for (const [path, init, status, line, detail] of cases) {
    await t.step(`${init.method ?? "GET"} ${path} returns a ${status} page`, async () => {
      const headers = new Headers(init.headers);
      headers.set("accept", "text/html");
      const answer = await send(path, { ...init, headers });
      assertEquals(answer.status, status);
      assertEquals(answer.headers.get("content-type"), HTML);
      assertStringIncludes(answer.text, `<b class="status">${line}</b>`);
      assertStringIncludes(answer.text, `<span class="s">&quot;${detail}`);
    });
  }
  await t.step("an unknown path's 404 varies by Accept, as JSON or as the page", async () => {
    for (const accept of ["application/json", "text/html"]) {
      assertEquals((await send("/nope", { headers: { accept } })).headers.get("vary"), "Accept");
    }
  });
  await t.step("the 405 page of a POST-only view offers the POST form", async () => {
    const answer = await send("/echo", { headers: { accept: BROWSER } });
    assertStringIncludes(answer.text, '<button type="submit" name="method" value="POST">');
  });
  await t.step("an Accept that admits nothing gets the 406 as JSON", async () => {
    const answer = await send("/health", { headers: { accept: "image/png" } });
    assertEquals(answer.headers.get("content-type"), "application/json");
  });
});

Deno.test("nothing from a request or a view can run in the page", async (t) => {
  await t.step("a JSON string with markup shows as text", async () => {
    const init = post(JSON.stringify({ [XSS]: XSS }));
    const answer = await send("/echo", { ...init, headers: { ...headers(init), accept: BROWSER } });
    assertEquals(answer.status, 200);
    const escaped = "&lt;/textarea&gt;&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;" +
      "&lt;!-- &#39;\\&quot;&amp;";
    assertStringIncludes(answer.text, `<span class="k">&quot;${escaped}&quot;</span>`);
    assertStringIncludes(answer.text, `<span class="s">&quot;${escaped}&quot;</span>`);
    assertEquals(count(answer.text, "<script"), 1, "only the page's own script");
    assertEquals(count(answer.text, "</textarea>"), 1, "only the form's own textarea");
    assertEquals(count(answer.text, "<!--"), 0);
  });
  await t.step("form data with markup shows as text", async () => {
    const init = post(
      new URLSearchParams({ note: XSS }).toString(),
      "application/x-www-form-urlencoded",
    );
    const answer = await send("/echo", { ...init, headers: { ...headers(init), accept: BROWSER } });
    assertEquals(count(answer.text, "<script"), 1);
    assertStringIncludes(answer.text, "&lt;/textarea&gt;&lt;script&gt;");
  });
  await t.step("a view's name and description are escaped", async () => {
    const view = apiView(["GET"], async () => ({}), { name: "<img src=x>", description: XSS });
    const page = await (await callView(view, { path: "/x", headers: { accept: "text/html" } }))
      .text();
    assertStringIncludes(page, "<h1>&lt;img src=x&gt;</h1>");
    assertStringIncludes(page, "&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)");
    assertEquals(count(page, "<script"), 1);
    assertEquals(page.includes("<img"), false);
  });
  await t.step("the request's path and query are escaped", async () => {
    const answer = await send(`/nope/'"><b>?q='"><b>`, { headers: { accept: "text/html" } });
    assertEquals(answer.status, 404);
    // The URL parser percent-encodes `"`, `<` and `>`, but not `'` in a path.
    const shown = "/nope/&#39;%22%3E%3Cb%3E?q=%27%22%3E%3Cb%3E";
    assertStringIncludes(answer.text, `<code>${shown}</code>`);
    assertStringIncludes(answer.text, `href="${shown}&amp;format=json"`);
  });
  await t.step("only same-origin paths become links", async () => {
    const strings = ["/async", "//evil.example", "/\\evil.example", "javascript:alert(1)"];
    const init = post(JSON.stringify(strings));
    const answer = await send("/echo", { ...init, headers: { ...headers(init), accept: BROWSER } });
    assertStringIncludes(answer.text, '<a class="s" href="/async">&quot;/async&quot;</a>');
    assertEquals(count(answer.text, '<a class="s"'), 1);
  });
});

Deno.test("the page's Content-Security-Policy forbids everything but its own script and style", async (t) => {
  const answer = await send("/health", { headers: { accept: "text/html" } });
  const policy = answer.headers.get("content-security-policy") ?? "";
  const directives = new Map(policy.split("; ").map((d) => [d.split(" ")[0], d]));
  await t.step("nothing from elsewhere, no inline code but the hashed", () => {
    assertEquals(directives.get("default-src"), "default-src 'none'");
    assertEquals(directives.get("connect-src"), "connect-src 'self'");
    assertEquals(directives.get("frame-ancestors"), "frame-ancestors 'none'");
    assertEquals(policy.includes("unsafe"), false);
    assertEquals(policy.includes("*"), false);
  });
  for (const tag of ["script", "style"]) {
    await t.step(`the page's one <${tag}> matches its hash`, async () => {
      const inline = [...answer.text.matchAll(new RegExp(`<${tag}>([^]*?)</${tag}>`, "g"))];
      assertEquals(inline.length, 1);
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(inline[0][1]));
      assertEquals(directives.get(`${tag}-src`), `${tag}-src 'sha256-${encodeBase64(digest)}'`);
    });
  }
  await t.step("the page loads nothing: no src, no stylesheet link", () => {
    assertEquals(/\ssrc=|<link|@import|url\(/.test(answer.text), false);
  });
});

Deno.test("the API root lists the routes as relative links", async (t) => {
  const links = {
    async: "/async",
    health: "/health",
    echo: "/echo",
    boom: "/boom",
    validate: "/validate",
    throttled: "/throttled",
    ws: "/ws",
    "api-token-auth": "/api-token-auth",
    me: "/me",
    staff: "/staff",
    notes: "/notes",
    "openapi.json": "/openapi.json",
  };
  await t.step("GET / returns the links as JSON", async () => {
    const answer = await send("/");
    assertEquals(answer.status, 200);
    assertEquals(answer.text, JSON.stringify(links));
    assertEquals(answer.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
  await t.step("the Host header is never reflected", async () => {
    const answer = await send("/", { headers: { host: "evil.example" } });
    assertEquals(answer.json, links);
    const page = await send("/", { headers: { host: "evil.example", accept: "text/html" } });
    assertEquals(page.text.includes("evil.example"), false);
  });
  await t.step("the page links every route", async () => {
    const answer = await send("/", { headers: { accept: BROWSER } });
    assertStringIncludes(answer.text, "<h1>Api Root</h1>");
    for (const [name, path] of Object.entries(links)) {
      assertStringIncludes(
        answer.text,
        `<span class="k">&quot;${name}&quot;</span>: <a class="s" href="${path}">`,
      );
    }
  });
  await t.step("OPTIONS / names it as DRF does", async () => {
    const answer = await send("/", { method: "OPTIONS" });
    assert((answer.json as { name: string }).name === "Api Root");
  });
});

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

function headers(init: RequestInit): Record<string, string> {
  return Object.fromEntries(new Headers(init.headers));
}
