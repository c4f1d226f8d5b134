/**
 * The client half of `bench/load.ts`. It opens N TCP connections to one
 * server and holds them all open, then writes one raw HTTP/1.1 `GET` on each
 * and times every answer. One request per connection and no pool, so N
 * requests really are N sockets in flight at once; handshakes happen before
 * the first send, so the timings are about requests, not `accept()`.
 *
 * Run: `deno run --allow-net=127.0.0.1 bench/load_client.ts --port 8001 --n 1000`. It prints one
 * {@linkcode LoadResult} as JSON on stdout and exits by its deadline at the
 * latest.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";

/** What one load run sends, where, and how long it may take. */
export interface LoadOptions {
  /** Port on 127.0.0.1. */
  port: number;
  /** Number of simultaneous connections, one request each. */
  n: number;
  /** Request target; defaults to `/async`. */
  path?: string;
  /** Pause between the last handshake and the first send. */
  settleMs?: number;
  /** The whole run (connect, settle, exchange) ends by then. */
  deadlineMs?: number;
}

/** Latency summary of the answered requests, in milliseconds. */
export interface Latency {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Figures of one load run; times are milliseconds on the client's clock. */
export interface LoadResult {
  n: number;
  /** Answers that were 200 with the expected JSON body. */
  ok: number;
  /** Failed requests counted by reason. */
  failures: Record<string, number>;
  /** From the first `connect()` to the last established connection. */
  connectMs: number;
  /** From the first send to the last request fully written. */
  sendSpanMs: number;
  /** From the first send to the last response fully read. */
  wallMs: number;
  /** From the last request fully written to the last response fully read. */
  afterLastSendMs: number;
  /** Per request: from its send to its response fully read. */
  latencyMs: Latency;
  /** Answered requests by latency bound: `{ "1100": k }` is k within 1.1 s. */
  answeredWithinMs: Record<string, number>;
}

const MESSAGE = "비동기 작업이 완료되었습니다.";
const HEAD_END = [13, 10, 13, 10];
const LATENCY_BOUNDS_MS = [1050, 1100, 1250, 1500, 2000];

class RequestError extends Error {}

/**
 * Open `n` connections, then send one request on each and time the answers.
 *
 * @param options Target and bounds of the run.
 * @returns The figures of the run; failures are counted, never thrown.
 * @example
 * ```ts ignore
 * const result = await runLoad({ port: 8001, n: 100 });
 * console.log(result.ok === 100, result.afterLastSendMs);
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { port, n } = options;
  const path = options.path ?? "/async";
  const deadline = performance.now() + (options.deadlineMs ?? 60_000);
  const request = new TextEncoder().encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
  );
  const failures: Record<string, number> = {};
  const fail = (reason: string) => failures[reason] = (failures[reason] ?? 0) + 1;

  const conns: (Deno.TcpConn | undefined)[] = new Array(n);
  let connectTimedOut = false;
  const connectStart = performance.now();
  let connectEnd = connectStart;
  const connecting = Array.from(
    { length: n },
    (_, i) =>
      Deno.connect({ hostname: "127.0.0.1", port }).then(
        (conn) => {
          if (connectTimedOut) return close(conn);
          conns[i] = conn;
          connectEnd = performance.now();
        },
        (error) => fail(`connect: ${errorName(error)}`),
      ),
  );
  const connected = await within(Promise.all(connecting), deadline);
  if (!connected) {
    connectTimedOut = true;
    const open = conns.filter(Boolean).length;
    const failed = Object.values(failures).reduce((a, b) => a + b, 0);
    failures["connect: timeout"] = n - open - failed;
  }
  await sleep(Math.min(options.settleMs ?? 500, deadline - performance.now()));

  const sent = new Float64Array(n).fill(NaN);
  const written = new Float64Array(n).fill(NaN);
  const answered = new Float64Array(n).fill(NaN);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const conn of conns) if (conn) close(conn);
  }, Math.max(0, deadline - performance.now()));
  // Every request is written before any response is read. Starting 10,000
  // reads costs the client a syscall each; interleaved with the writes it
  // doubled the time to send them all (0.3 s to 0.6 s on a 2-core box).
  const writing: Promise<void>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const conn = conns[i];
    if (!conn) continue;
    sent[i] = performance.now();
    writing[i] = writeAll(conn, request).then(() => {
      written[i] = performance.now();
    });
  }
  await Promise.allSettled(writing.filter(Boolean));
  const exchanges: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const conn = conns[i];
    if (!conn) continue;
    exchanges.push(
      writing[i].then(() => readResponse(conn)).then((reply) => {
        answered[i] = performance.now();
        if (reply.status !== 200) {
          throw new RequestError(`status ${reply.status}`);
        }
        if (!isExpectedBody(reply.body)) {
          throw new RequestError("unexpected body");
        }
      }).catch((error) => {
        answered[i] = NaN;
        fail(
          timedOut ? "timeout" : error instanceof RequestError ? error.message : errorName(error),
        );
      }).finally(() => {
        if (!timedOut) close(conn);
      }),
    );
  }
  await Promise.all(exchanges);
  clearTimeout(timer);

  const firstSent = min(sent);
  const lastWritten = max(written);
  const lastAnswered = max(answered);
  const latencies = Array.from(answered, (t, i) => t - sent[i])
    .filter((ms) => !Number.isNaN(ms))
    .sort((a, b) => a - b);
  return {
    n,
    ok: latencies.length,
    failures,
    connectMs: connectEnd - connectStart,
    sendSpanMs: lastWritten - firstSent,
    wallMs: lastAnswered - firstSent,
    afterLastSendMs: lastAnswered - lastWritten,
    latencyMs: {
      min: latencies[0] ?? NaN,
      p50: quantile(latencies, 0.5),
      p90: quantile(latencies, 0.9),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1) ?? NaN,
    },
    answeredWithinMs: countWithin(latencies, LATENCY_BOUNDS_MS),
  };
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await conn.write(bytes.subarray(offset));
  }
}

/** Read one HTTP/1.1 response: status line, headers, then the body. */
async function readResponse(
  conn: Deno.Conn,
): Promise<{ status: number; body: string }> {
  const chunk = new Uint8Array(4096);
  let buffer: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  let headEnd = -1;
  let status = 0;
  let length: number | null = null;
  let chunked = false;
  while (true) {
    const count = await conn.read(chunk);
    if (count === null) {
      if (headEnd >= 0 && length === null && !chunked) {
        return { status, body: decode(buffer.subarray(headEnd)) };
      }
      throw new RequestError("closed before the response ended");
    }
    buffer = concat([buffer, chunk.subarray(0, count)]);
    if (headEnd < 0) {
      const at = indexOf(buffer, HEAD_END);
      if (at < 0) continue;
      headEnd = at + HEAD_END.length;
      const head = decode(buffer.subarray(0, at)).split("\r\n");
      status = Number(head[0].split(" ")[1]);
      for (const line of head.slice(1)) {
        const [name, value] = splitHeader(line);
        if (name === "content-length") length = Number(value);
        if (name === "transfer-encoding") {
          chunked = value.toLowerCase().includes("chunked");
        }
      }
    }
    const body = buffer.subarray(headEnd);
    if (length !== null && body.length >= length) {
      return { status, body: decode(body.subarray(0, length)) };
    }
    if (chunked) {
      const decoded = dechunk(body);
      if (decoded !== null) return { status, body: decoded };
    }
  }
}

/** The body of a complete chunked message, or null while it is incomplete. */
function dechunk(bytes: Uint8Array): string | null {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (true) {
    const lineEnd = indexOf(bytes.subarray(offset), [13, 10]);
    if (lineEnd < 0) return null;
    const size = parseInt(decode(bytes.subarray(offset, offset + lineEnd)), 16);
    const start = offset + lineEnd + 2;
    if (size === 0) {
      return bytes.length >= start + 2 ? decode(concat(parts)) : null;
    }
    if (bytes.length < start + size + 2) return null;
    parts.push(bytes.subarray(start, start + size));
    offset = start + size + 2;
  }
}

function isExpectedBody(body: string): boolean {
  try {
    return JSON.parse(body)?.message === MESSAGE;
  } catch {
    return false;
  }
}

function splitHeader(line: string): [string, string] {
  const colon = line.indexOf(":");
  return [
    line.slice(0, colon).trim().toLowerCase(),
    line.slice(colon + 1).trim(),
  ];
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

const decoder = new TextDecoder();
function decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

function countWithin(
  latencies: number[],
  bounds: number[],
): Record<string, number> {
  const count = (bound: number) => latencies.filter((ms) => ms <= bound).length;
  return Object.fromEntries(bounds.map((bound) => [bound, count(bound)]));
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function min(values: Float64Array): number {
  return values.reduce(
    (a, b) => Number.isNaN(b) ? a : Math.min(a, b),
    Infinity,
  );
}

function max(values: Float64Array): number {
  return values.reduce(
    (a, b) => Number.isNaN(b) ? a : Math.max(a, b),
    -Infinity,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Whether `promise` settled before `deadline` (a `performance.now()` time). */
async function within(
  promise: Promise<unknown>,
  deadline: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(
      () => resolve(false),
      Math.max(0, deadline - performance.now()),
    );
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

if (import.meta.main) {
  const port = Number(flag(Deno.args, "port"));
  const n = Number(flag(Deno.args, "n") ?? 100);
  if (!Number.isInteger(port) || !Number.isInteger(n) || n < 1) {
    console.error(`Invalid arguments: "${Deno.args.join(" ")}"`);
    Deno.exit(2);
  }
  const result = await runLoad({
    port,
    n,
    path: flag(Deno.args, "path"),
    settleMs: Number(flag(Deno.args, "settle-ms") ?? 500),
    deadlineMs: Number(flag(Deno.args, "deadline-ms") ?? 60_000),
  });
  console.log(JSON.stringify(result));
  // Pending connects past the deadline must not keep the process alive.
  Deno.exit(0);
}
