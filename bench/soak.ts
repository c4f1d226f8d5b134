/**
 * Soak (issues 5 and 13): 2,000 simultaneous `GET /async` while bad requests
 * of every kind the service refuses are sent in parallel, over raw sockets,
 * with idle and half-head connections held open, and WebSocket attacks run
 * beside them (`_soak_ws.ts`: a flood of pending messages, sockets full of
 * pending work that hang up, clients that never read, messages too large,
 * malformed floods). The bad kinds (`_soak_kinds.ts`) include issue 13's HTTP
 * attacks: trickled bodies, a backtracking multipart header, deep bodies
 * indented, long Accept headers. A probe outside this process (curl, every
 * 100 ms) times `/health` all round long. Every good request must get 200 with
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
 * --allow-all for another process's /proc). `BODY_IDLE_TIMEOUT_MS` is 10 s
 * here so that the stalled bodies' 408s come back within a round (and a
 * WebSocket message of megabytes, which stalls Deno for a moment before the
 * service sees it, does not turn a body that keeps coming into a 408). A last
 * phase starts a second server with `MAX_IN_FLIGHT=500` and sends 1,000
 * `/async` at once.
 *
 * Run from the repository root (every loop is bounded; the run stops itself,
 * in about four minutes):
 * `npx --yes deno@2.9.6 run --allow-run=bash --allow-net=127.0.0.1
 * --allow-write=bench/results bench/soak.ts [--rounds 3] [--glibc-tunables T]
 * [--settle SECONDS] [--each N] [--skip-issue-13-http] [--without-ws]
 * [--ws-scale JSON]`
 * (`--settle` and `--each` shorten a run: seconds idle before RSS is read, and
 * at most N of each bad kind; `--ws-scale` overrides `WS_SCALE`'s figures.)
 * It prints a report, writes it to `bench/results/soak.md` and exits 1 when
 * anything came back wrong.
 *
 * @module
 */

import { exchange, MAX_ANSWER_BYTES, sleep } from "./_soak_exchange.ts";
import { BAD, type BadKind, get, ISSUE_13_HTTP } from "./_soak_kinds.ts";
import { memory, proc, resolveDeno, startServer, stopServer } from "./_soak_server.ts";
import { NO_WS, pendingReleased, type Tally, WS_SCALE, wsAttacks } from "./_soak_ws.ts";

const GOOD = 2_000;
const EACH_BAD = 20;
const IDLE_CONNECTIONS = 200;
const BODY_IDLE_MS = 10_000;
// V8 collects the burst's garbage some 25 s after it, when allocation stops.
const SETTLE_MS = 40_000;
// The good requests start this long after the attacks, so that they meet them.
const GOOD_AFTER_MS = 300;
const SHED_LIMIT = 500;
const SHED_SENT = 1_000;
const MESSAGE = '{"message":"비동기 작업이 완료되었습니다."}';
const RESULTS = new URL("./results/soak.md", import.meta.url);
const encoder = new TextEncoder();

/** The figures of one round. */
interface Round {
  good: { ok: number; failures: Map<string, number> };
  bad: Map<string, Tally>;
  idleHeld: number;
  seconds: number;
  peakFds: number;
  peakRss: number;
  /** `/health` times from outside, all round long: median and maximum ms. */
  health: { median: number; max: number; count: number };
}

/** What a round sends: the bad kinds, how many of each, the WebSocket attacks' scale. */
interface Plan {
  kinds: BadKind[];
  each: number;
  ws: typeof WS_SCALE;
}

/**
 * Time `GET /health` every 100 ms from a separate process (curl under bash),
 * so that this process's own work does not count; stop() gives the times.
 */
function probeHealth(port: number): () => Promise<number[]> {
  const process = new Deno.Command("bash", {
    args: [
      "-c",
      'while :; do curl -s -o /dev/null -m 30 -w "%{time_total}\\n" "$0"; sleep 0.1; done',
      `http://127.0.0.1:${port}/health`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const output = new Response(process.stdout).text();
  return async () => {
    process.kill("SIGTERM");
    await process.status;
    return (await output).split("\n").filter(Boolean).map((s) => Number(s) * 1000);
  };
}

function countOf(kind: BadKind, plan: Plan): number {
  return Math.min(kind.count ?? plan.each, plan.each);
}

/** One round: the good requests, every kind of bad one, the WebSocket attacks, idle connections. */
async function round(port: number, pid: number, plan: Plan): Promise<Round> {
  const started = performance.now();
  const stopProbe = probeHealth(port);
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
  const ws = wsAttacks(port, plan.ws);
  const bad = Promise.all(
    plan.kinds.flatMap((kind) =>
      Array.from({ length: countOf(kind, plan) }, async () => {
        const request = kind.request();
        const answer = await exchange(port, request);
        return { kind, answer };
      })
    ),
  );
  await sleep(GOOD_AFTER_MS);
  const good = Promise.all(goodConns.map((conn) => exchange(port, get("/async"), conn)));
  const [goodAnswers, badAnswers, wsTallies] = await Promise.all([good, bad, ws]);
  clearInterval(sampling);
  for (const conn of idle) conn.close();
  // The sockets that left must have released their pending work.
  await sleep(500);
  wsTallies.set("WS: 1,000 pending on a fresh socket after the round", await pendingReleased(port));
  const times = (await stopProbe()).sort((a, b) => a - b);

  const result: Round = {
    good: { ok: 0, failures: new Map() },
    bad: new Map(),
    idleHeld: idle.length,
    seconds: (performance.now() - started) / 1000,
    peakFds,
    peakRss,
    health: {
      median: times[times.length >> 1] ?? NaN,
      max: times.at(-1) ?? NaN,
      count: times.length,
    },
  };
  for (const answer of goodAnswers) {
    if (answer.status === 200 && answer.text.endsWith(`\r\n\r\n${MESSAGE}`)) result.good.ok++;
    else count(result.good.failures, answer.error ?? `status ${answer.status}`);
  }
  for (const { kind, answer } of badAnswers) {
    const entry = result.bad.get(kind.name) ?? { sent: 0, right: 0, wrong: new Map() };
    result.bad.set(kind.name, entry);
    entry.sent++;
    const type = new RegExp(`\\r\\ncontent-type: ${kind.contentType ?? "application/json"}`, "i");
    const typed = type.test(answer.text);
    const leaked = kind.absent?.test(answer.text) ?? false;
    const statuses = typeof kind.status === "number" ? [kind.status] : kind.status;
    const tooLarge = answer.bytes > (kind.maxAnswerBytes ?? MAX_ANSWER_BYTES);
    if (statuses.includes(answer.status) && typed && !leaked && !tooLarge) entry.right++;
    else {
      count(
        entry.wrong,
        leaked
          ? "leaked"
          : tooLarge
          ? `status ${answer.status}, ${(answer.bytes / 1e6).toFixed(0)} MB`
          : answer.error ?? `status ${answer.status}${typed ? "" : ", not the right type"}`,
      );
    }
  }
  for (const [name, tally] of wsTallies) result.bad.set(name, tally);
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
  const settleMs = Number(option(args, "settle") ?? SETTLE_MS / 1000) * 1000;
  const skipHttp = args.includes("--skip-issue-13-http");
  const kinds = [...BAD, ...ISSUE_13_HTTP.filter((kind) => !skipHttp || !kind.issue13Http)];
  const withoutWs = args.includes("--without-ws");
  // e.g. --ws-scale '{"large":0}' to leave one attack out.
  const ws = { ...withoutWs ? NO_WS : WS_SCALE, ...JSON.parse(option(args, "ws-scale") ?? "{}") };
  const plan: Plan = { kinds, each: Number(option(args, "each") ?? EACH_BAD), ws };
  const sent = kinds.reduce((n, kind) => n + countOf(kind, plan), 0);
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
    const { flood, hangUps, nonReaders, large, largeMb, fragmented, fragmentedMib, malformed } =
      plan.ws;
    say(
      `# Soak: ${GOOD} simultaneous /async with ${kinds.length} kinds of bad request and ` +
        "6 WebSocket attacks",
    );
    say("");
    say(
      `${new Date().toISOString()}. Server: pid ${server.pid}, process "${name}" (${deno}), ` +
        `open files limit ${nofile}, BODY_IDLE_TIMEOUT_MS=${BODY_IDLE_MS}` +
        `${tunables ? `, GLIBC_TUNABLES=${tunables}` : ""}. Each round: ${GOOD} good ` +
        `(sent ${GOOD_AFTER_MS} ms into the attacks), ${sent} bad (${plan.each} of each kind ` +
        `or fewer${skipHttp ? "; issue 13's HTTP kinds left out" : ""}), ${IDLE_CONNECTIONS} ` +
        `idle or half-head connections held open, and over WebSocket: ${flood} pending ` +
        `messages on one socket, ${hangUps} sockets × 1,000 pending that hang up, ` +
        `${nonReaders} sockets that never read, ${large} × a ${largeMb} MB message, ` +
        `${fragmented} × ${fragmentedMib} MiB in 1 MiB fragments, ${malformed} × 5,000 malformed messages; ` +
        `then ${settleMs / 1000} s idle before RSS is read.`,
    );
    // Warm-up: each kind once and a hundred good, so JIT and pools exist.
    await Promise.all([
      ...kinds.map((kind) => exchange(server.port, kind.request())),
      ...Array.from({ length: 100 }, () => exchange(server.port, get("/async"))),
      pendingReleased(server.port),
    ]);
    await sleep(3000);
    const baseline = await memory(server.pid);
    say("");
    say(`Baseline after warm-up: RSS ${baseline.rss.toFixed(1)} MiB, ${baseline.fds} fds.`);
    say("");
    say(
      "| round | good 200 | bad right | s | /health median / max ms | peak fds | peak RSS MiB " +
        "| RSS after MiB | fds after |",
    );
    say(
      "| ----- | -------- | --------- | - | ----------------------- | -------- | ------------ " +
        "| ------------- | --------- |",
    );
    const after: number[] = [];
    const byKind = new Map<string, { sent: number; right: number }>();
    for (let r = 1; r <= rounds; r++) {
      const result = await round(server.port, server.pid, plan);
      await sleep(settleMs);
      const settled = await memory(server.pid);
      after.push(settled.rss);
      let right = 0;
      let sent = 0;
      for (const [name, entry] of result.bad) {
        right += entry.right;
        sent += entry.sent;
        const total = byKind.get(name) ?? { sent: 0, right: 0 };
        byKind.set(name, { sent: total.sent + entry.sent, right: total.right + entry.right });
        if (entry.wrong.size) failures.push(`round ${r}, ${name}: ${[...entry.wrong].join(", ")}`);
      }
      if (result.good.ok !== GOOD) {
        failures.push(`round ${r}, /async: ${[...result.good.failures].join(", ")}`);
      }
      if (Math.abs(settled.fds - baseline.fds) > 2) {
        failures.push(`round ${r}: ${settled.fds} fds open after, ${baseline.fds} before`);
      }
      const { median, max } = result.health;
      say(
        `| ${r} | ${result.good.ok}/${GOOD} | ${right}/${sent} | ${result.seconds.toFixed(1)} | ` +
          `${median.toFixed(0)} / ${max.toFixed(0)} | ${result.peakFds} | ` +
          `${result.peakRss.toFixed(1)} | ${settled.rss.toFixed(1)} | ${settled.fds} |`,
      );
    }
    say("");
    say("Right answers by kind, over every round:");
    say("");
    for (const [name, { sent, right }] of byKind) say(`- ${name}: ${right}/${sent}`);
    // A leak grows round after round; memory the allocator and V8 keep from
    // the first bursts does not (the WebSocket attacks' megabyte messages
    // raise it for a round or two, then it stays: 8 rounds measured 142, 188,
    // 192, then 165 MiB five times). The last round must end within 10 % of
    // the highest before it.
    const growth = after.at(-1)! / Math.max(...after.slice(0, -1)) - 1;
    if (growth > 0.1) {
      failures.push(`RSS after the last round grew ${(growth * 100).toFixed(0)} % past the others`);
    }
    const boomLogged = server.log.filter((l) => l.startsWith("Internal server error:")).length;
    const boomSent = rounds * Math.min(EACH_BAD, plan.each) + 1;
    if (boomLogged !== boomSent) failures.push(`/boom logged ${boomLogged} times for ${boomSent}`);
    const alive = await exchange(server.port, get("/health"));
    if (alive.status !== 200) failures.push("the server stopped serving");
    say("");
    say(
      `RSS after the last round vs the highest before it: ${(growth * 100).toFixed(1)} %; ` +
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
