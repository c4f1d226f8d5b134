/**
 * Soak (issue 5): 2,000 simultaneous `GET /async` while bad requests of every
 * kind the service refuses are sent in parallel, over raw sockets, with idle
 * and half-head connections held open. Every good request must get 200 with
 * the message, every bad one its own status as JSON (and never the hostile
 * Host or an injected header back), the server must keep serving, and its
 * memory must come back after each round: open file descriptors to the
 * baseline count, resident memory to the level of the first round (it must
 * not grow round after round).
 *
 * The server is `main.ts` under the start task's permissions, spawned as the
 * deno binary itself (resolved once through npx) under `bash -c 'ulimit -n
 * <hard>; exec deno ...'`, so the child's pid is the server's; its RSS and
 * descriptors come from `/proc/<pid>` (read through bash, as Deno wants
 * --allow-all for another process's /proc). `BODY_IDLE_TIMEOUT_MS` is 2 s
 * here so that the stalled bodies' 408s come back within a round. A last
 * phase starts a second server with `MAX_IN_FLIGHT=500` and sends 1,000
 * `/async` at once.
 *
 * Run from the repository root (every loop is bounded; the run stops itself,
 * in about three minutes):
 * `npx --yes deno@2.9.6 run --allow-run=bash --allow-net=127.0.0.1
 * --allow-write=bench/results bench/soak.ts [--rounds 3] [--glibc-tunables T]`
 * It prints a report, writes it to `bench/results/soak.md` and exits 1 when
 * anything came back wrong.
 *
 * @module
 */

import { ENV_VARIABLES } from "../middleware/http/settings.ts";

const GOOD = 2_000;
const EACH_BAD = 20;
const IDLE_CONNECTIONS = 200;
const BODY_IDLE_MS = 2_000;
const ROUND_DEADLINE_MS = 60_000;
// V8 collects the burst's garbage some 25 s after it, when allocation stops.
const SETTLE_MS = 40_000;
const SHED_LIMIT = 500;
const SHED_SENT = 1_000;
const MESSAGE = '{"message":"비동기 작업이 완료되었습니다."}';
const RESULTS = new URL("./results/soak.md", import.meta.url);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One kind of bad request: what is sent, and what must come back. */
interface BadKind {
  name: string;
  status: number;
  /** The request head, and the body or pieces of it to write after. */
  request: () => { head: string; body?: Uint8Array[] };
  /** Text that must not appear anywhere in the answer. */
  absent?: RegExp;
}

function post(path: string, type: string, body: string | Uint8Array, extra = ""): {
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

function get(target: string, headers = "Host: localhost\r\n", method = "GET") {
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

const MIB = 1024 * 1024;
const chunk = new Uint8Array(64 * 1024).fill(0x20);

const BAD: BadKind[] = [
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
        () => concat(encoder.encode("10000\r\n"), chunk, encoder.encode("\r\n")),
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

/** What one exchange came to. */
interface Answer {
  status: number;
  text: string;
  error?: string;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Send a request over its own connection and read one response (by its
 * Content-Length), then close. Writing stops as soon as the answer is in.
 */
async function exchange(
  port: number,
  request: { head: string; body?: Uint8Array[] },
  opened?: Deno.TcpConn,
): Promise<Answer> {
  let conn: Deno.TcpConn;
  try {
    conn = opened ?? await Deno.connect({ hostname: "127.0.0.1", port });
  } catch (error) {
    return { status: 0, text: "", error: `connect: ${(error as Error).name}` };
  }
  let answered = false;
  const deadline = setTimeout(() => conn.close(), ROUND_DEADLINE_MS);
  const writing = (async () => {
    await conn.write(encoder.encode(request.head));
    for (const piece of request.body ?? []) {
      if (answered) return;
      await conn.write(piece);
    }
  })().catch(() => {});
  try {
    const answer = await readAnswer(conn);
    answered = true;
    return answer;
  } catch (error) {
    return { status: 0, text: "", error: `read: ${(error as Error).name}` };
  } finally {
    answered = true;
    clearTimeout(deadline);
    try {
      conn.close();
    } catch {
      // Closed by the deadline already.
    }
    await writing;
  }
}

async function readAnswer(conn: Deno.Conn): Promise<Answer> {
  const buffer = new Uint8Array(64 * 1024);
  let received = new Uint8Array(0);
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) return { status: 0, text: decoder.decode(received), error: "closed" };
    received = concat(received, buffer.subarray(0, n));
    const text = decoder.decode(received);
    const end = text.indexOf("\r\n\r\n");
    if (end === -1) continue;
    const length = Number(/\r\ncontent-length: *([0-9]+)/i.exec(text.slice(0, end))?.[1] ?? 0);
    if (received.length - encoder.encode(text.slice(0, end + 4)).length < length) continue;
    return { status: Number(text.slice(9, 12)), text };
  }
}

/** The server under test: the deno process itself, and its captured log. */
interface Server {
  process: Deno.ChildProcess;
  port: number;
  pid: number;
  log: string[];
  logDone: Promise<void>;
}

async function resolveDeno(): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: ["-c", "npx --yes deno@2.9.6 eval 'console.log(Deno.execPath())' 2>/dev/null"],
    stdout: "piped",
  }).output();
  const path = decoder.decode(out.stdout).trim();
  if (!out.success || !path) throw new Error("Could not resolve the deno binary through npx");
  return path;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

async function startServer(deno: string, env: Record<string, string>): Promise<Server> {
  const port = freePort();
  const script = 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"';
  const process = new Deno.Command("bash", {
    args: [
      "-c",
      script,
      deno,
      "run",
      "--allow-net=127.0.0.1",
      `--allow-env=${ENV_VARIABLES.join(",")}`,
      // The start task's: the KV store under data/.
      "--allow-read=data",
      "--allow-write=data",
      "main.ts",
      "--listen",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    env: { HOST: "127.0.0.1", PORT: String(port), ACCESS_LOG: "0", NO_COLOR: "1", ...env },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  // Read the log as it comes, so a full pipe never blocks the server.
  const logDone = (async () => {
    let rest = "";
    for await (const piece of process.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + piece).split("\n");
      rest = lines.pop()!;
      log.push(...lines);
    }
  })();
  const server = { process, port, pid: process.pid, log, logDone };
  for (let i = 0; i < 100; i++) {
    const answer = await exchange(port, get("/health")).catch(() => undefined);
    if (answer?.status === 200) return server;
    await sleep(100);
  }
  await stopServer(server);
  throw new Error(`The server did not answer on port ${port}`);
}

async function stopServer(server: Server): Promise<void> {
  try {
    server.process.kill("SIGTERM");
  } catch {
    // Already gone.
  }
  const killer = setTimeout(() => server.process.kill("SIGKILL"), 15_000);
  await server.process.status;
  clearTimeout(killer);
  await server.logDone;
}

// /proc is read through bash: Deno asks for --allow-all to read another
// process's entries there.
async function proc(pid: number, command: string): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: ["-c", command, String(pid)],
    stdout: "piped",
    stderr: "null",
  }).output();
  return decoder.decode(out.stdout);
}

/** The server's resident memory in MiB and its open file descriptors. */
async function memory(pid: number): Promise<{ rss: number; fds: number }> {
  const out = await proc(pid, 'cat "/proc/$0/status"; echo "Fds: $(ls "/proc/$0/fd" | wc -l)"');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(out)?.[1]);
  return { rss: field("VmRSS") / 1024, fds: field("Fds") };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The figures of one round. */
interface Round {
  good: { ok: number; failures: Map<string, number> };
  bad: Map<string, { sent: number; right: number; wrong: Map<string, number> }>;
  idleHeld: number;
  seconds: number;
  peakFds: number;
  peakRss: number;
}

/** One round: the good requests, every kind of bad one, idle connections. */
async function round(port: number, pid: number): Promise<Round> {
  const started = performance.now();
  // Connections held open doing nothing, or with half a head, all round long.
  const idle: Deno.TcpConn[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    if (i % 2) await conn.write(encoder.encode("GET /health HTTP/1.1\r\nHo"));
    idle.push(conn);
  }
  // The good ones connect first, then all send at once.
  const goodConns: Deno.TcpConn[] = [];
  for (let i = 0; i < GOOD; i += 200) {
    const batch = Math.min(200, GOOD - i);
    goodConns.push(
      ...await Promise.all(
        Array.from({ length: batch }, () => Deno.connect({ hostname: "127.0.0.1", port })),
      ),
    );
  }
  let peakFds = 0;
  let peakRss = 0;
  const sampling = setInterval(() => {
    memory(pid).then((m) => {
      peakFds = Math.max(peakFds, m.fds);
      peakRss = Math.max(peakRss, m.rss);
    }, () => {});
  }, 250);
  const good = Promise.all(goodConns.map((conn) => exchange(port, get("/async"), conn)));
  const bad = Promise.all(
    BAD.flatMap((kind) =>
      Array.from({ length: EACH_BAD }, async () => {
        const request = kind.request();
        const answer = await exchange(port, request);
        return { kind, answer };
      })
    ),
  );
  const [goodAnswers, badAnswers] = await Promise.all([good, bad]);
  clearInterval(sampling);
  for (const conn of idle) conn.close();

  const result: Round = {
    good: { ok: 0, failures: new Map() },
    bad: new Map(),
    idleHeld: idle.length,
    seconds: (performance.now() - started) / 1000,
    peakFds,
    peakRss,
  };
  for (const answer of goodAnswers) {
    if (answer.status === 200 && answer.text.endsWith(`\r\n\r\n${MESSAGE}`)) result.good.ok++;
    else count(result.good.failures, answer.error ?? `status ${answer.status}`);
  }
  for (const { kind, answer } of badAnswers) {
    const entry = result.bad.get(kind.name) ?? { sent: 0, right: 0, wrong: new Map() };
    result.bad.set(kind.name, entry);
    entry.sent++;
    const json = answer.text.includes("\r\ncontent-type: application/json");
    const leaked = kind.absent?.test(answer.text) ?? false;
    if (answer.status === kind.status && json && !leaked) entry.right++;
    else {
      count(entry.wrong, leaked ? "leaked" : answer.error ?? `status ${answer.status}`);
    }
  }
  return result;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Load shedding under a small MAX_IN_FLIGHT: 1,000 `/async` at once. */
async function shedding(deno: string): Promise<Record<string, number>> {
  const server = await startServer(deno, {
    MAX_IN_FLIGHT: String(SHED_LIMIT),
    BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS),
  });
  try {
    const conns = await Promise.all(
      Array.from(
        { length: SHED_SENT },
        () => Deno.connect({ hostname: "127.0.0.1", port: server.port }),
      ),
    );
    const answers = await Promise.all(conns.map((c) => exchange(server.port, get("/async"), c)));
    const tally: Record<string, number> = {};
    for (const a of answers) {
      const shed = a.status === 503 && /\r\nretry-after: 1\r\n/i.test(a.text) &&
        a.text.endsWith('{"detail":"Service temporarily unavailable, try again later."}');
      const key = a.status === 200 ? "200" : shed ? "503 with Retry-After" : `other ${a.status}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    return tally;
  } finally {
    await stopServer(server);
  }
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: string[]): Promise<boolean> {
  const rounds = Number(option(args, "rounds") ?? 3);
  if (!Number.isInteger(rounds) || rounds < 2) throw new TypeError("--rounds takes 2 or more");
  // Optional allocator settings for the server, e.g. to see how much of the
  // RSS left after a burst is glibc keeping freed memory.
  const tunables = option(args, "glibc-tunables");
  const deno = await resolveDeno();
  const env: Record<string, string> = { BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS) };
  if (tunables) env.GLIBC_TUNABLES = tunables;
  const server = await startServer(deno, env);
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  const failures: string[] = [];
  try {
    // The process's own name: "deno", not bash, once bash has exec'd it.
    const name = /^Name:\s+(\S+)/m.exec(await proc(server.pid, 'cat "/proc/$0/status"'))?.[1];
    const limits = await proc(server.pid, 'cat "/proc/$0/limits"');
    const nofile = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    say(`# Soak: ${GOOD} simultaneous /async with ${BAD.length} kinds of bad request`);
    say("");
    say(
      `${new Date().toISOString()}. Server: pid ${server.pid}, process "${name}" (${deno}), ` +
        `open files limit ${nofile}, BODY_IDLE_TIMEOUT_MS=${BODY_IDLE_MS}` +
        `${tunables ? `, GLIBC_TUNABLES=${tunables}` : ""}. Each round: ${GOOD} good, ` +
        `${BAD.length * EACH_BAD} bad (${EACH_BAD} of each kind), ${IDLE_CONNECTIONS} idle or ` +
        `half-head connections held open; then ${SETTLE_MS / 1000} s idle before RSS is read.`,
    );
    // Warm-up: each kind once and a hundred good, so JIT and pools exist.
    await Promise.all([
      ...BAD.map((kind) => exchange(server.port, kind.request())),
      ...Array.from({ length: 100 }, () => exchange(server.port, get("/async"))),
    ]);
    await sleep(3000);
    const baseline = await memory(server.pid);
    say("");
    say(`Baseline after warm-up: RSS ${baseline.rss.toFixed(1)} MiB, ${baseline.fds} fds.`);
    say("");
    say(
      "| round | good 200 | bad right | s | peak fds | peak RSS MiB | RSS after MiB | fds after |",
    );
    say(
      "| ----- | -------- | --------- | - | -------- | ------------ | ------------- | --------- |",
    );
    const after: number[] = [];
    for (let r = 1; r <= rounds; r++) {
      const result = await round(server.port, server.pid);
      await sleep(SETTLE_MS);
      const settled = await memory(server.pid);
      after.push(settled.rss);
      let right = 0;
      let sent = 0;
      for (const [name, entry] of result.bad) {
        right += entry.right;
        sent += entry.sent;
        if (entry.wrong.size) failures.push(`round ${r}, ${name}: ${[...entry.wrong].join(", ")}`);
      }
      if (result.good.ok !== GOOD) {
        failures.push(`round ${r}, /async: ${[...result.good.failures].join(", ")}`);
      }
      if (Math.abs(settled.fds - baseline.fds) > 2) {
        failures.push(`round ${r}: ${settled.fds} fds open after, ${baseline.fds} before`);
      }
      say(
        `| ${r} | ${result.good.ok}/${GOOD} | ${right}/${sent} | ${result.seconds.toFixed(1)} | ` +
          `${result.peakFds} | ${result.peakRss.toFixed(1)} | ${settled.rss.toFixed(1)} | ` +
          `${settled.fds} |`,
      );
    }
    // A leak grows round after round; memory the allocator keeps from the
    // first burst does not. Later rounds must end within 10 % of the first.
    const growth = Math.max(...after.slice(1)) / after[0] - 1;
    if (growth > 0.1) failures.push(`RSS after the rounds grew ${(growth * 100).toFixed(0)} %`);
    const boomLogged = server.log.filter((l) => l.startsWith("Internal server error:")).length;
    const boomSent = rounds * EACH_BAD + 1;
    if (boomLogged !== boomSent) failures.push(`/boom logged ${boomLogged} times for ${boomSent}`);
    const alive = await exchange(server.port, get("/health"));
    if (alive.status !== 200) failures.push("the server stopped serving");
    say("");
    say(
      `RSS after each round vs the first: ${(growth * 100).toFixed(1)} % at most; ` +
        `/boom errors logged ${boomLogged} times for ${boomSent} sent; ` +
        `serving after the soak: ${alive.status === 200 ? "yes" : "no"}.`,
    );
  } finally {
    await stopServer(server);
  }
  const tally = await shedding(deno);
  say("");
  say(
    `Load shedding, MAX_IN_FLIGHT=${SHED_LIMIT}, ${SHED_SENT} /async at once: ` +
      Object.entries(tally).map(([k, v]) => `${v} × ${k}`).join(", ") + ".",
  );
  const admitted = tally["200"] ?? 0;
  if (admitted < SHED_LIMIT || admitted + (tally["503 with Retry-After"] ?? 0) !== SHED_SENT) {
    failures.push("load shedding answered otherwise");
  }
  say("");
  for (const failure of failures) say(`- FAILED: ${failure}`);
  say(`Result: ${failures.length ? "FAIL" : "PASS"}`);
  await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(RESULTS, lines.join("\n") + "\n");
  return failures.length === 0;
}

if (import.meta.main) {
  const passed = await main(Deno.args);
  Deno.exit(passed ? 0 : 1);
}
