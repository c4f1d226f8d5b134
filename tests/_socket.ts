// Helpers for tests over a real socket: a server on 127.0.0.1 for the length
// of a test, and raw HTTP/1.1 exchanges for what `fetch` will not send (odd
// methods and targets, hostile Host headers, stalled bodies).

import { handler } from "./_service.ts";
import { ApiContext } from "../middleware/drf/request.ts";
import type { Handler } from "../middleware/http/context.ts";

/** Whether this process may listen on 127.0.0.1 (`--allow-net=127.0.0.1`). */
export const canListen =
  Deno.permissions.querySync({ name: "net", host: "127.0.0.1" }).state === "granted";

/** Serve `app` (the service by default) on a free port for the length of `run`. */
export async function withServer(
  run: (port: number) => Promise<void>,
  app?: Handler,
): Promise<void> {
  const serve = app
    ? (request: Request, info: Deno.ServeHandlerInfo) => app(request, new ApiContext(request, info))
    : handler;
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, serve);
  await run(server.addr.port);
}

/** A response as read off the wire. */
export interface RawAnswer {
  /** The status code; 0 when no response arrived. */
  status: number;
  /** The head: status line and headers, as sent. */
  head: string;
  /** Header names in lower case, and their values. */
  headers: Map<string, string>;
  /** The body (by `Content-Length`). */
  body: string;
  /** Whether nothing (or not all) arrived before `waitMs`. */
  timedOut: boolean;
}

const encoder = new TextEncoder();

/** Open a connection to the test server, to hold or write to. */
export function connect(port: number): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname: "127.0.0.1", port });
}

/**
 * Write `request` as it is, then read one response: until its
 * `Content-Length` is in, or `waitMs` passes. The connection is closed after.
 */
export async function exchange(
  port: number,
  request: string | Uint8Array,
  waitMs = 5000,
): Promise<RawAnswer> {
  const conn = await connect(port);
  try {
    await conn.write(typeof request === "string" ? encoder.encode(request) : request);
    return await readResponse(conn, waitMs);
  } finally {
    conn.close();
  }
}

/** Read one response from an open connection, as {@linkcode exchange} does. */
export async function readResponse(conn: Deno.Conn, waitMs = 5000): Promise<RawAnswer> {
  const bytes: number[] = [];
  const buffer = new Uint8Array(64 * 1024);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), waitMs));
  let answer: RawAnswer | undefined;
  try {
    while (!answer) {
      const read = await Promise.race([conn.read(buffer), expired]);
      if (read === null) break;
      for (let i = 0; i < read; i++) bytes.push(buffer[i]);
      answer = parse(new Uint8Array(bytes));
    }
  } finally {
    clearTimeout(timer);
  }
  return answer ?? { ...partial(new Uint8Array(bytes)), timedOut: true };
}

function parse(bytes: Uint8Array): RawAnswer | undefined {
  const text = new TextDecoder().decode(bytes);
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const answer = partial(bytes);
  const length = Number(answer.headers.get("content-length") ?? 0);
  const body = bytes.subarray(encoder.encode(text.slice(0, end + 4)).length);
  if (body.length < length) return undefined;
  return { ...answer, body: new TextDecoder().decode(body.subarray(0, length)) };
}

function partial(bytes: Uint8Array): RawAnswer {
  const text = new TextDecoder().decode(bytes);
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(/^HTTP\/1\.[01] ([0-9]{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, head, headers, body: "", timedOut: false };
}
