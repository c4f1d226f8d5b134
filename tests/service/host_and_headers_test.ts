// The request's Host and other header-bound values never reach a response
// unescaped: Host is checked and never echoed, nothing lands in a header.

import { assertEquals } from "@std/assert";
import { routes } from "../_service.ts";
import { send } from "../_request.ts";
import { canListen, exchange, withServer } from "../_socket.ts";
import { captureConsole } from "../../middleware/drf/test.ts";

const ignore = !canListen;
const INVALID_HOST = { detail: "Invalid Host header." };
// Every header the service itself sets on a response, and Deno's own.
const KNOWN_HEADERS = new Set([
  "allow",
  "content-type",
  "vary",
  "retry-after",
  "content-length",
  "date",
  "connection",
]);

function raw(method: string, target: string, host: string, body = ""): string {
  const length = body ? `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` : "";
  return `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n${length}\r\n${body}`;
}

Deno.test({
  name: "the Host header is never reflected, on any route, method or error",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const targets = routes.map((r) => r.pattern.replace("<int:id>", "7"));
      targets.push("/nope", "/items/1001", "/health?format=xml");
      const requests: string[] = [];
      for (const target of targets) {
        for (const method of ["GET", "HEAD", "OPTIONS", "PUT"]) {
          requests.push(raw(method, target, "evil.example"));
        }
        requests.push(raw("POST", target, "evil.example:8000", '{"name":"x"}'));
        requests.push(raw("GET", `http://evil.example${target}`, "evil.example"));
      }
      // /boom logs its error.
      await captureConsole(async () => {
        const answers = await Promise.all(requests.map((request) => exchange(port, request)));
        answers.forEach((answer, i) => {
          const line = requests[i].slice(0, requests[i].indexOf("\r\n"));
          assertEquals(answer.status > 0, true, line);
          assertEquals((answer.head + answer.body).includes("evil"), false, line);
        });
      });
    }),
});

Deno.test({
  name: "a malformed Host header returns 400 JSON without echoing it",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const hosts = [
        "evil.example/admin",
        "evil.example?x=1",
        "evil.example#x",
        "user@evil.example",
        "evil.example:80:80",
        "evil.example:port",
        "[::1",
        "evil example",
        "",
      ];
      for (const host of hosts) {
        const answer = await exchange(port, raw("GET", "/health", host));
        assertEquals([answer.status, JSON.parse(answer.body)], [400, INVALID_HOST], host);
        assertEquals(answer.head.includes("evil") || answer.body.includes("evil"), false);
      }
    }),
});

Deno.test({
  name: "well-formed Host headers are served",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const hosts = ["localhost", "localhost:8000", "127.0.0.1:1", "[::1]:8000", "api_1", "A.B.C"];
      for (const host of hosts) {
        const answer = await exchange(port, raw("GET", "/health", host));
        assertEquals([answer.status, answer.body], [200, '{"status":"ok"}'], host);
      }
    }),
});

Deno.test("a Host header given in-process is checked too", async () => {
  const answer = await send("/health", { headers: { host: "x/admin" } });
  assertEquals([answer.status, answer.json], [400, INVALID_HOST]);
});

Deno.test({
  name: "encoded CR LF in a path or query never becomes a response header",
  ignore,
  fn: () =>
    withServer(async (port) => {
      const injection = "%0D%0ASet-Cookie:%20a=b%0D%0AX-Injected:%201";
      const targets = [
        `/items/${injection}`,
        `/health${injection}`,
        `/health?format=${injection}`,
        `/health?${injection}`,
        `/nope${injection}`,
      ];
      for (const target of targets) {
        for (const method of ["GET", "PUT"]) {
          const answer = await exchange(port, raw(method, target, "localhost"));
          const names = [...answer.headers.keys()];
          assertEquals(names.filter((name) => !KNOWN_HEADERS.has(name)), [], target);
          assertEquals(/set-cookie|x-injected/i.test(answer.head), false, target);
        }
      }
    }),
});

Deno.test("request headers with odd values change no response header", async (t) => {
  const headers: [string, string][] = [
    ["accept", "application/json; indent=2; x=\u00ff"],
    ["accept", "*/*; q=abc, text/html;;;;, application/json;q=1e999"],
    ["content-type", "application/json; charset=\u00ff"],
    ["x-forwarded-host", "evil.example"],
    ["origin", "https://evil.example"],
  ];
  for (const [name, value] of headers) {
    await t.step(`${name}: ${value}`, async () => {
      const answer = await send("/health", { headers: { [name]: value } });
      const names = [...answer.headers.keys()];
      assertEquals(names.filter((n) => !KNOWN_HEADERS.has(n)), []);
      assertEquals(answer.text.includes("evil"), false);
    });
  }
});
