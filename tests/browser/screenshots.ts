// Takes the README's screenshots of the browsable API in headless Chromium:
// docs/async.png (GET /async) and docs/echo-post.png (/echo after a POST from
// its form). Run with `deno task screenshots`.

import { handler } from "../_service.ts";
import { launchChromium } from "./_chromium.ts";

const DOCS = new URL("../../docs/", import.meta.url);

await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
await using browser = await launchChromium();
const base = `http://127.0.0.1:${server.addr.port}`;
const page = await browser.newPage();

await page.goto(`${base}/async`);
await Deno.writeFile(new URL("async.png", DOCS), await page.screenshot());

await page.goto(`${base}/echo`);
await page.type("#content", '{"name": "Ada", "languages": ["한국어", "English"], "admin": false}');
await page.click('button[value="POST"]');
await page.waitFor(`document.querySelector("#exchange .method").textContent === "POST"`);
await Deno.writeFile(new URL("echo-post.png", DOCS), await page.screenshot());
console.log("Wrote docs/async.png and docs/echo-post.png");
