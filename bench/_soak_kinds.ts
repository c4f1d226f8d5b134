/**
 * The soak's bad requests over HTTP: what each kind sends and what must come
 * back. The kinds of issue 5 (`BAD`), and issue 13's HTTP attacks
 * (`ISSUE_13_HTTP`: trickled bodies, a backtracking multipart header, deep
 * bodies indented, long Accept headers), whose fixes are the HTTP half of that
 * issue; until those are in, these kinds fail (`--skip-issue-13-http` leaves
 * them out).
 *
 * @module
 */

import { concat } from "@std/bytes/concat";

const encoder = new TextEncoder();
const MIB = 1024 * 1024;
const chunk = new Uint8Array(64 * 1024).fill(0x20);

/** One kind of bad request: what is sent, and what must come back. */
export interface BadKind {
  name: string;
  /** The status that must come back, or any of several. */
  status: number | readonly number[];
  /** The request head, the body or pieces of it to write after, and a pause between pieces. */
  request: () => { head: string; body?: Uint8Array[]; gapMs?: number };
  /** Text that must not appear anywhere in the answer. */
  absent?: RegExp;
  /** How many of this kind a round sends (the soak's EACH_BAD by default). */
  count?: number;
  /** The largest answer body taken as right (bytes); past it the answer is wrong. */
  maxAnswerBytes?: number;
  /** The answer's media type (JSON by default). */
  contentType?: string;
  /** From issue 13's HTTP half: left out by `--skip-issue-13-http`. */
  issue13Http?: boolean;
}

export function post(path: string, type: string, body: string | Uint8Array, extra = ""): {
  head: string;
  body: Uint8Array[];
} {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return {
    head: `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${type}\r\n` +
      `Content-Length: ${bytes.length}\r\n${extra}\r\n`,
    body: [bytes],
  };
}

export function get(target: string, headers = "Host: localhost\r\n", method = "GET") {
  return { head: `${method} ${target} HTTP/1.1\r\n${headers}\r\n` };
}

function multipart(parts: number, file: boolean): string {
  let body = "";
  for (let i = 0; i < parts; i++) {
    const filename = file ? `; filename="${i}.txt"` : "";
    body += `--b\r\nContent-Disposition: form-data; name="f${i}"${filename}\r\n\r\nx\r\n`;
  }
  return body + "--b--\r\n";
}

/** The kinds of issue 5. */
export const BAD: BadKind[] = [
  {
    name: "body over the limit by Content-Length",
    status: 413,
    request: () => ({
      head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${3 * MIB}\r\n\r\n`,
      body: [chunk],
    }),
  },
  {
    name: "declared 10 GiB body",
    status: 413,
    request: () => ({
      head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${10 * 1024 * MIB}\r\n\r\n`,
    }),
  },
  {
    name: "chunked body growing past the limit",
    status: 413,
    request: () => ({
      head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        "Transfer-Encoding: chunked\r\n\r\n",
      body: Array.from(
        { length: 48 },
        () => concat([encoder.encode("10000\r\n"), chunk, encoder.encode("\r\n")]),
      ),
    }),
  },
  {
    name: "stalled body (408)",
    status: 408,
    request: () => ({
      head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        "Content-Length: 100\r\n\r\n",
      body: [encoder.encode('{"a":')],
    }),
  },
  {
    name: "JSON nested 513 deep",
    status: 400,
    request: () => post("/echo", "application/json", "[".repeat(513) + "]".repeat(513)),
  },
  {
    name: "JSON nested a million deep",
    status: 400,
    request: () => post("/echo", "application/json", "[".repeat(1_000_000)),
  },
  {
    name: "invalid JSON",
    status: 400,
    request: () => post("/echo", "application/json", '{"a":'),
  },
  {
    name: "__proto__ as data",
    status: 200,
    request: () => post("/echo", "application/json", '{"__proto__":{"admin":true}}'),
  },
  {
    name: "1001 form fields",
    status: 400,
    request: () =>
      post("/echo", "application/x-www-form-urlencoded", Array(1001).fill("a=1").join("&")),
  },
  {
    name: "1001 multipart fields",
    status: 400,
    request: () => post("/echo", "multipart/form-data; boundary=b", multipart(1001, false)),
  },
  {
    name: "101 multipart files",
    status: 400,
    request: () => post("/echo", "multipart/form-data; boundary=b", multipart(101, true)),
  },
  {
    name: "malformed part header",
    status: 400,
    request: () =>
      post("/echo", "multipart/form-data; boundary=b", "--b\r\nbad header\r\n\r\nx\r\n--b--\r\n"),
  },
  {
    name: "unsupported media type",
    status: 415,
    request: () => post("/echo", "text/csv", "a,b"),
  },
  {
    name: "not acceptable",
    status: 406,
    request: () => get("/health", "Host: x\r\nAccept: text/csv\r\n"),
  },
  { name: "bad percent-encoding", status: 404, request: () => get("/items/%zz") },
  { name: "dot segments", status: 404, request: () => get("/items/../health") },
  { name: "encoded dot segments", status: 404, request: () => get("/items/%2e%2e/health") },
  { name: "encoded slash", status: 404, request: () => get("/items/..%2Fhealth") },
  { name: "encoded backslash", status: 404, request: () => get("/%5Chealth") },
  { name: "double encoding", status: 404, request: () => get("/%252Fhealth") },
  { name: "30,000 path segments", status: 404, request: () => get("/a".repeat(30_000)) },
  { name: "unknown method", status: 405, request: () => get("/health", undefined, "BREW") },
  {
    name: "10,000-character method",
    status: 405,
    request: () => get("/health", undefined, "M".repeat(10_000)),
  },
  {
    name: "malformed Host",
    status: 400,
    request: () => get("/health", "Host: evil.example/admin\r\n"),
    absent: /evil/,
  },
  {
    name: "foreign Host not reflected",
    status: 404,
    request: () => get("/nope", "Host: evil.example\r\n"),
    absent: /evil/,
  },
  {
    name: "encoded CR LF in the path",
    status: 404,
    request: () => get("/items/%0D%0ASet-Cookie:%20a=b"),
    absent: /set-cookie/i,
  },
  { name: "a view that throws (500)", status: 500, request: () => get("/boom") },
];

// A JSON body of exactly `length` bytes: {"a":"xxx..."}.
function jsonOfLength(length: number): string {
  return `{"a":"${"x".repeat(length - 8)}"}`;
}

// 250 arrays nested 510 deep in one array: 255 KB, 511 deep, within the
// 512 limit; indented 8 a level it became 250-500 MB.
function deepArrays(): string {
  return `[${Array(250).fill("[".repeat(510) + "]".repeat(510)).join(",")}]`;
}

// 6,501 media ranges in 32 KB of Accept, none of them JSON's but the last.
function longAccept(): string {
  return Array(6500).fill("x/y").join(", ") + ", application/json";
}

/** The issue 13 HTTP attacks. */
export const ISSUE_13_HTTP: BadKind[] = [
  {
    name: "trickled body, 1 byte every 20 ms (30 at once)",
    status: 200,
    count: 30,
    issue13Http: true,
    request: () => {
      const body = encoder.encode(jsonOfLength(300));
      return {
        head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
          `Content-Length: ${body.length}\r\n\r\n`,
        body: Array.from(body, (byte) => new Uint8Array([byte])),
        gapMs: 20,
      };
    },
  },
  {
    name: "multipart part header that backtracks",
    status: 400,
    issue13Http: true,
    request: () => {
      const body = encoder.encode(`--b\r\nX:${" ".repeat(4000)}\x01\r\n\r\nx\r\n--b--\r\n`);
      return {
        head: "POST /echo HTTP/1.1\r\nHost: localhost\r\n" +
          `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`,
        body: [body],
      };
    },
  },
  {
    name: "deep legal body echoed with indent=8",
    status: 200,
    issue13Http: true,
    maxAnswerBytes: 8 * 1024 * 1024,
    request: () => deepEcho("application/json; indent=8"),
  },
  {
    name: "deep legal body echoed as the browsable page",
    status: 200,
    issue13Http: true,
    maxAnswerBytes: 8 * 1024 * 1024,
    contentType: "text/html",
    request: () => deepEcho("text/html"),
  },
  {
    name: "Accept of 6,501 ranges on a 404",
    status: [404, 406],
    issue13Http: true,
    request: () => ({
      head: `GET /nope HTTP/1.1\r\nHost: localhost\r\nAccept: ${longAccept()}\r\n\r\n`,
    }),
  },
];

function deepEcho(accept: string): { head: string; body: Uint8Array[] } {
  const body = encoder.encode(deepArrays());
  return {
    head: "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
      `Accept: ${accept}\r\nContent-Length: ${body.length}\r\n\r\n`,
    body: [body],
  };
}
