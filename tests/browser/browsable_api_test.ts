// The browsable API in a real browser: Debian's headless Chromium opens the
// pages from a server on 127.0.0.1, and a person's clicks and typing drive
// them. Run by `deno task test:browser` (it needs to start the browser).

import { assertEquals, assertStringIncludes } from "@std/assert";
import { auth, handler } from "../_service.ts";
import { MESSAGE } from "../../views/async_view.ts";
import { launchChromium, type Page } from "./_chromium.ts";

const EXCHANGE = "#exchange";

await auth.users.create({ username: "browser_ada", password: "pw" });
const TOKEN = (await auth.tokens.getOrCreate("browser_ada", "pw")).key;
// Markup that would run if any of it reached the page unescaped.
const XSS = `</textarea><script>alert("script");window.ran=1</script>` +
  `<img src=x onerror="alert('img');window.ran=2"><!-- '"&`;

Deno.test("the browsable API works in Chromium", async (t) => {
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  await using browser = await launchChromium();
  const base = `http://127.0.0.1:${server.addr.port}`;
  const page = await browser.newPage();

  await t.step("GET /async shows the message on the page", async () => {
    await page.goto(`${base}/async`);
    assertEquals(await page.text("h1"), "Async View");
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "GET /async");
    assertStringIncludes(exchange, "HTTP 200 OK");
    assertStringIncludes(exchange, `"message": "${MESSAGE}"`);
  });

  await t.step("the inline style applies under the page's own CSP", async () => {
    const color = await page.evaluate("getComputedStyle(document.querySelector('.bar')).color");
    assertEquals(color, "rgb(201, 214, 227)");
  });

  await t.step("OPTIONS on /health shows the metadata on the page", async () => {
    await page.goto(`${base}/health`);
    await page.click('button[data-method="OPTIONS"]');
    await waitForMethod(page, "OPTIONS");
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 200 OK");
    assertStringIncludes(exchange, `"name": "Health"`);
    assertStringIncludes(
      exchange,
      `"renders": [\n        "application/json",\n        "text/html"`,
    );
  });

  await t.step("POST from the form on /echo shows the echoed data", async () => {
    await page.goto(`${base}/echo`);
    assertStringIncludes(await page.text(EXCHANGE), "HTTP 405 Method Not Allowed");
    await page.type("#content", '{"name": "Ada", "languages": ["한국어", "English"]}');
    await page.click('button[value="POST"]');
    await waitForMethod(page, "POST");
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 200 OK");
    assertStringIncludes(exchange, `"name": "Ada"`);
    assertStringIncludes(exchange, `"한국어"`);
  });

  await t.step("POST of form data from /echo shows it parsed", async () => {
    await page.goto(`${base}/echo`);
    await page.select("#type", "application/x-www-form-urlencoded");
    assertEquals(await page.evaluate("document.querySelector('#content').placeholder"), "name=Ada");
    await page.type("#content", "name=Grace&lang=COBOL");
    await page.click('button[value="POST"]');
    await waitForMethod(page, "POST");
    assertStringIncludes(await page.text(EXCHANGE), `"data": {\n        "name": "Grace",`);
  });

  await t.step("an error from the form shows as the error's page", async () => {
    await page.goto(`${base}/echo`);
    await page.type("#content", "{broken");
    await page.click('button[value="POST"]');
    await waitForMethod(page, "POST");
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 400 Bad Request");
    assertStringIncludes(exchange, `"detail": "JSON parse error - `);
  });

  await t.step("an XSS payload POSTed to /echo shows as text and never runs", async () => {
    await page.goto(`${base}/echo`);
    await page.type("#content", JSON.stringify({ [XSS]: XSS }));
    await page.click('button[value="POST"]');
    await waitForMethod(page, "POST");
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 200 OK");
    assertStringIncludes(exchange, JSON.stringify(XSS));
    assertEquals(await page.evaluate("window.ran"), undefined);
    assertEquals(await page.evaluate("document.scripts.length"), 1);
    assertEquals(await page.evaluate("document.images.length"), 0);
    assertEquals(page.dialogs, []);
  });

  await t.step("an XSS payload in the URL shows as text and never runs", async () => {
    await page.goto(`${base}/echo/${encodeURIComponent(XSS)}?q=${encodeURIComponent(XSS)}`);
    assertStringIncludes(await page.text(EXCHANGE), "HTTP 404 Not Found");
    assertEquals(await page.evaluate("window.ran"), undefined);
    assertEquals(await page.evaluate("document.images.length"), 0);
    assertEquals(page.dialogs, []);
  });

  await t.step("the API root links to each route's page", async () => {
    await page.goto(`${base}/`);
    assertEquals(await page.text("h1"), "Api Root");
    await page.click('a[href="/health"]');
    await page.waitFor("location.pathname === '/health' && document.readyState === 'complete'");
    assertEquals(await page.text("h1"), "Health");
  });

  await t.step("without JavaScript, a page and its JSON link still work", async () => {
    await page.send("Emulation.setScriptExecutionDisabled", { value: true });
    await page.goto(`${base}/health`);
    assertStringIncludes(await page.text(EXCHANGE), `"status": "ok"`);
    await page.click('a[href="/health?format=json"]');
    await page.waitFor("location.search === '?format=json' && document.readyState === 'complete'");
    assertEquals(await page.evaluate("document.body.textContent"), '{"status":"ok"}');
    await page.send("Emulation.setScriptExecutionDisabled", { value: false });
  });

  await t.step("GET /me without a token shows the 401 page with its challenge", async () => {
    await page.goto(`${base}/me`);
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 401 Unauthorized");
    assertStringIncludes(exchange, "WWW-Authenticate: Bearer");
    assertStringIncludes(exchange, `"detail": "Authentication credentials were not provided."`);
  });

  await t.step("a pasted token is sent as Bearer: GET /me answers 200 in place", async () => {
    await page.type("#token-key", TOKEN);
    await page.click('#token button[type="submit"]');
    await page.waitFor(`document.querySelector("${EXCHANGE}").dataset.status === "200"`);
    const exchange = await page.text(EXCHANGE);
    assertStringIncludes(exchange, "HTTP 200 OK");
    assertStringIncludes(exchange, `"username": "browser_ada"`);
    assertEquals(await page.evaluate("document.querySelector('#token-key').value"), "");
    assertEquals(await page.text("#token-state"), "a token is in use in this tab");
  });

  await t.step("the token stays in the tab's sessionStorage, never in a URL", async () => {
    assertEquals(await page.evaluate("sessionStorage.getItem('drf-deno.token')"), TOKEN);
    assertEquals((await page.evaluate("location.href") as string).includes(TOKEN), false);
    assertEquals(
      await page.evaluate(
        "document.body.innerHTML.includes(sessionStorage.getItem('drf-deno.token'))",
      ),
      false,
    );
  });

  await t.step("with a token, a page opened by a link is asked for again with it", async () => {
    await page.goto(`${base}/me`);
    await page.waitFor(`document.querySelector("${EXCHANGE}").dataset.status === "200"`);
    assertStringIncludes(await page.text(EXCHANGE), `"is_staff": false`);
    await page.click('button[data-method="OPTIONS"]');
    await waitForMethod(page, "OPTIONS");
    assertStringIncludes(await page.text(EXCHANGE), `"name": "Me"`);
  });

  await t.step("GET /staff with a non-staff token shows the 403 page", async () => {
    await page.goto(`${base}/staff`);
    await page.waitFor(`document.querySelector("${EXCHANGE}").dataset.status === "403"`);
    assertStringIncludes(
      await page.text(EXCHANGE),
      "You do not have permission to perform this action.",
    );
  });

  await t.step("Forget drops the token: /me is 401 again", async () => {
    await page.goto(`${base}/me`);
    await page.waitFor(`document.querySelector("${EXCHANGE}").dataset.status === "200"`);
    await page.click("#token-forget");
    await page.waitFor(`document.querySelector("${EXCHANGE}").dataset.status === "401"`);
    assertEquals(await page.evaluate("sessionStorage.getItem('drf-deno.token')"), null);
  });

  await t.step("no page broke its CSP or threw", () => {
    const problems = page.log.filter((entry) => entry.source !== "network");
    assertEquals(problems, []);
  });
});

// The exchange shows the method of the request the page last sent.
function waitForMethod(page: Page, method: string): Promise<void> {
  return page.waitFor(`document.querySelector("#exchange .method").textContent === "${method}"`);
}
