/**
 * Load benchmark for `GET /async` (issue 3): N simultaneous requests, one per
 * connection, against the service (`main.ts`) and, in the same run, the raw
 * `Deno.serve` reference (`bench/raw.ts`).
 *
 * For each N and round it starts a fresh server, warms it with 100 requests,
 * runs `bench/load_client.ts` in its own process, reads the server's peak RSS
 * (`VmHWM`) and stops the server. Peers alternate (service, raw, raw,
 * service, ...) and the table shows the median of the rounds. It prints a
 * markdown table and writes it to `bench/results/load.md`.
 *
 * Limits: both processes start under `bash -c 'ulimit -n ...; exec deno ...'`
 * with the open-files soft limit raised as far as the hard limit allows, and
 * `net.core.somaxconn` and `net.ipv4.tcp_max_syn_backlog` are raised with
 * `sysctl -w` for the run and restored after it (skip with `--no-sysctl`).
 * Deno fixes the listen backlog itself; the run reports what `ss` sees.
 *
 * Run from the repository root:
 * `deno run --allow-run --allow-net=127.0.0.1 --allow-read
 * --allow-write=bench/results bench/load.ts [--quick] [--rounds 5]
 * [--n 100,1000,10000] [--no-sysctl]`
 *
 * @module
 */

import type { LoadResult } from "./load_client.ts";
import { startTaskArgs } from "./_peer.ts";

interface Peer {
  name: string;
  script: string;
}

interface Measurement {
  peer: string;
  n: number;
  round: number;
  result: LoadResult;
  /** Peak RSS of the server process in KiB (`VmHWM`). */
  peakRssKiB: number;
  /** Listen backlog of the server socket as `ss` reports it. */
  backlog: number | null;
  serverNofile: string | null;
  clientNofile: string | null;
}

interface Sysctl {
  name: string;
  before: string | null;
  during: string | null;
  note: string;
}

const ROOT = new URL("..", import.meta.url).pathname;
const CLIENT = "bench/load_client.ts";
const RESULTS = "bench/results/load.md";
const DENO = Deno.execPath();
const WANTED_NOFILE = 65536;
const WANTED_BACKLOG = "65535";
const WARMUP_N = 100;
/** The target: service wall and after-last-send within 5 % of raw. */
const TOLERANCE = 0.05;
const SYSCTLS = ["net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog"];
const PERMISSIONS = [
  "--allow-run",
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-write=bench/results",
];

const live = new Set<Deno.ChildProcess>();
let raised: Sysctl[] = [];

/**
 * Run the whole benchmark as the command line asks.
 *
 * @param args Command-line flags: `--quick`, `--rounds k`, `--n a,b,c`,
 *   `--no-sysctl`.
 * @returns The markdown report that was printed and written.
 */
export async function main(args: string[]): Promise<string> {
  const quick = args.includes("--quick");
  const rounds = Number(flag(args, "rounds") ?? (quick ? 1 : 5));
  const ns = (flag(args, "n") ?? "100,1000,10000").split(",").map(Number);
  if (!Number.isInteger(rounds) || rounds < 1 || ns.some((n) => !(n >= 1))) {
    throw new TypeError(`Invalid arguments: "${args.join(" ")}"`);
  }
  const hasService = await exists(`${ROOT}main.ts`);
  const peers: Peer[] = [
    { name: "service", script: hasService ? "main.ts" : "bench/raw.ts" },
    { name: "raw", script: "bench/raw.ts" },
  ];
  const sysctls = args.includes("--no-sysctl")
    ? await Promise.all(SYSCTLS.map(async (name) => {
      const value = await readSysctl(name);
      return { name, before: value, during: value, note: "left as is" };
    }))
    : await raiseSysctls();
  raised = sysctls;
  const code = await revision();
  const loadBefore = await loadAverage();
  const measurements: Measurement[] = [];
  try {
    for (const n of ns) {
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? peers : [...peers].reverse();
        for (const peer of order) {
          const m = await measure(peer, n, round);
          measurements.push(m);
          log(m);
        }
      }
    }
  } finally {
    await restoreSysctls(sysctls);
  }
  const report = render({
    args,
    revision: code,
    loadAverage: `${loadBefore} before, ${await loadAverage()} after`,
    rounds,
    ns,
    peers,
    hasService,
    sysctls,
    measurements,
  });
  await Deno.mkdir(`${ROOT}bench/results`, { recursive: true });
  await Deno.writeTextFile(`${ROOT}${RESULTS}`, report);
  console.log(report);
  return report;
}

async function measure(
  peer: Peer,
  n: number,
  round: number,
): Promise<Measurement> {
  const port = freePort();
  // The service as `deno task start` runs it (its permissions, the access
  // log on, stdout to /dev/null); raw as a plain script.
  const args = peer.script === "main.ts"
    ? startTaskArgs(ROOT)
    : ["run", "--allow-net=127.0.0.1", "--allow-env", peer.script];
  const server = spawn([DENO, ...args], {
    env: { HOST: "127.0.0.1", PORT: String(port) },
    stdout: "null",
  });
  try {
    await waitForPort(port, server);
    const backlog = await listenBacklog(port);
    const serverNofile = await nofile(server.pid);
    await runClient(port, WARMUP_N);
    const client = await runClient(port, n);
    const status = await readProc(server.pid, "status");
    const hwm = status?.match(/^VmHWM:\s+(\d+) kB/m);
    return {
      peer: peer.name,
      n,
      round,
      result: client.result,
      peakRssKiB: hwm ? Number(hwm[1]) : NaN,
      backlog,
      serverNofile,
      clientNofile: client.nofile,
    };
  } finally {
    await stop(server);
  }
}

/** Run the client in its own process and parse its one line of JSON. */
async function runClient(
  port: number,
  n: number,
): Promise<{ result: LoadResult; nofile: string | null }> {
  const deadlineMs = 30_000 + n;
  const client = spawn([
    DENO,
    "run",
    "--allow-net=127.0.0.1",
    CLIENT,
    "--port",
    String(port),
    "--n",
    String(n),
    "--deadline-ms",
    String(deadlineMs),
  ], { stdout: "piped" });
  const killer = setTimeout(() => client.kill("SIGKILL"), deadlineMs + 15_000);
  try {
    const limits = await nofileOnceExecuted(client.pid);
    const output = await client.output();
    const text = new TextDecoder().decode(output.stdout).trim();
    if (!output.success || !text) {
      throw new Error(
        `Load client failed with code ${output.code} on port ${port}`,
      );
    }
    return { result: JSON.parse(text), nofile: limits };
  } finally {
    clearTimeout(killer);
    live.delete(client);
  }
}

/** Spawn `command` under bash with the open-files limit raised. */
function spawn(
  command: string[],
  options: { env?: Record<string, string>; stdout: "null" | "piped" },
): Deno.ChildProcess {
  const raise = `ulimit -n ${WANTED_NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)"`;
  const child = new Deno.Command("bash", {
    args: ["-c", `${raise}; exec "$@"`, "bash", ...command],
    cwd: ROOT,
    env: options.env,
    stdin: "null",
    stdout: options.stdout,
    stderr: "inherit",
  }).spawn();
  live.add(child);
  return child;
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Already gone.
  }
  const exited = await Promise.race([
    child.status.then(() => true),
    sleep(3000).then(() => false),
  ]);
  if (!exited) {
    child.kill("SIGKILL");
    await child.status;
  }
  live.delete(child);
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function waitForPort(
  port: number,
  server: Deno.ChildProcess,
): Promise<void> {
  let exited = false;
  server.status.then(() => exited = true);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(
    `Server did not listen on port ${port}${exited ? ": it exited" : ""}`,
  );
}

/** The Send-Q column of `ss` for a listening socket, i.e. its backlog. */
async function listenBacklog(port: number): Promise<number | null> {
  const out = await run("ss", ["-Hltn", `sport = :${port}`]);
  const fields = out?.trim().split(/\s+/);
  return fields && fields.length > 2 ? Number(fields[2]) : null;
}

async function nofile(pid: number): Promise<string | null> {
  const limits = await readProc(pid, "limits");
  const line = limits?.split("\n").find((l) => l.startsWith("Max open files"));
  return line ? line.split(/\s+/).slice(3, 5).join("/") : null;
}

/** Wait until bash has exec'd into deno, then read the open-files limit. */
async function nofileOnceExecuted(pid: number): Promise<string | null> {
  for (let i = 0; i < 100; i++) {
    const comm = (await readProc(pid, "comm"))?.trim();
    if (comm === undefined) return null;
    if (comm !== "bash") return await nofile(pid);
    await sleep(20);
  }
  return null;
}

/** Deno refuses to read `/proc` without `--allow-all`, so `cat` reads it. */
function readProc(pid: number, file: string): Promise<string | null> {
  return run("cat", [`/proc/${pid}/${file}`]);
}

async function run(command: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(command, {
      args,
      stdin: "null",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : null;
  } catch {
    return null;
  }
}

/** The 1, 5 and 15-minute load averages: how busy the shared machine was. */
async function loadAverage(): Promise<string> {
  const text = await run("cat", ["/proc/loadavg"]);
  return text?.split(" ").slice(0, 3).join(" ") ?? "n/a";
}

/** The commit measured, and whether the service had uncommitted changes. */
async function revision(): Promise<string> {
  const head = (await run("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]))?.trim();
  const dirty = await run("git", [
    "-C",
    ROOT,
    "status",
    "--porcelain",
    "--",
    "main.ts",
    "middleware",
    "views",
  ]);
  if (!head) return "not a git checkout";
  return dirty?.trim() ? `${head} with uncommitted changes to the service` : head;
}

async function readSysctl(name: string): Promise<string | null> {
  return (await run("sysctl", ["-n", name]))?.trim() ?? null;
}

async function raiseSysctls(): Promise<Sysctl[]> {
  const raised: Sysctl[] = [];
  for (const name of SYSCTLS) {
    const before = await readSysctl(name);
    if (before !== null && Number(before) >= Number(WANTED_BACKLOG)) {
      raised.push({
        name,
        before,
        during: before,
        note: "already high enough",
      });
      continue;
    }
    const wrote = await run("sysctl", ["-w", `${name}=${WANTED_BACKLOG}`]);
    const during = await readSysctl(name);
    const note = wrote === null
      ? "not writable here, left as is"
      : "raised with sysctl -w, restored afterwards";
    raised.push({ name, before, during, note });
  }
  return raised;
}

async function restoreSysctls(sysctls: Sysctl[]): Promise<void> {
  for (const { name, before, during } of sysctls) {
    if (before !== null && before !== during) {
      await run("sysctl", ["-w", `${name}=${before}`]);
    }
  }
}

interface Report {
  args: string[];
  revision: string;
  loadAverage: string;
  rounds: number;
  ns: number[];
  peers: Peer[];
  hasService: boolean;
  sysctls: Sysctl[];
  measurements: Measurement[];
}

function render(report: Report): string {
  const { args, rounds, revision } = report;
  const command = ["deno run", ...PERMISSIONS, "bench/load.ts", ...args].join(" ");
  return [
    "# Load: N simultaneous `GET /async`",
    "",
    `${new Date().toISOString()}, Deno ${Deno.version.deno}, ${Deno.build.os}, ` +
    `${navigator.hardwareConcurrency} CPUs. ${rounds} round(s) per N, peers ` +
    `alternated, a fresh server per measurement (warmed with ${WARMUP_N} ` +
    `requests); each figure is the median of the rounds. The service runs as ` +
    "`deno task start` runs it (its permissions, access log on, stdout to /dev/null). " +
    `Code: ${revision}.`,
    "",
    "```sh",
    command,
    "```",
    "",
    ...figuresTable(report),
    "",
    "Wall: first send to last response. After last send: last request fully " +
    "written to last response fully read. Send span: first send to last " +
    "request written. Latency: per request, its send to its response (ideal " +
    "1.000). Peak RSS: `VmHWM` of the server process. All N connections are " +
    "open before the first send (500 ms settle after the last handshake).",
    "",
    ...latencyTable(report),
    "",
    ...pairNotes(report),
    "",
    ...limitNotes(report),
    "",
  ].join("\n");
}

function figuresTable(report: Report): string[] {
  const { ns, peers, hasService, measurements } = report;
  const lines = [
    "| N | peer | all 200 | wall (s) | after last send (s) | send span (s) " +
    "| latency p50 / p99 / max (s) | peak RSS (MiB) |",
    "|---:|---|---|---:|---:|---:|---|---:|",
  ];
  for (const n of ns) {
    const figures = peers.map((peer) => {
      const runs = measurements.filter((m) => m.n === n && m.peer === peer.name);
      const pick = (f: (m: Measurement) => number) => median(runs.map(f));
      return {
        peer,
        runs,
        values: [
          pick((m) => m.result.wallMs / 1000),
          pick((m) => m.result.afterLastSendMs / 1000),
          pick((m) => m.result.sendSpanMs / 1000),
          pick((m) => m.result.latencyMs.p50 / 1000),
          pick((m) => m.result.latencyMs.p99 / 1000),
          pick((m) => m.result.latencyMs.max / 1000),
          pick((m) => m.peakRssKiB / 1024),
        ],
      };
    });
    for (const { peer, runs, values } of figures) {
      const allOk = runs.filter((m) => m.result.ok === n).length;
      const worst = Math.min(...runs.map((m) => m.result.ok));
      const rounds = `${allOk}/${runs.length} rounds` +
        (allOk < runs.length ? ` (worst ${worst}/${n})` : "");
      const name = peer.name === "service" && !hasService ? "service (raw.ts stand-in)" : peer.name;
      lines.push(row(n, name, rounds, values.map((v, i) => fixed(v, i < 6 ? 3 : 1))));
    }
    const [a, b] = figures.map((f) => f.values);
    const within = a[0] / b[0] <= 1 + TOLERANCE && a[1] / b[1] <= 1 + TOLERANCE;
    const verdict = `${within ? "within" : "not within"} ${TOLERANCE * 100} %`;
    lines.push(row(n, "service ÷ raw", verdict, a.map((v, i) => fixed(v / b[i], 3))));
  }
  return lines;
}

function row(n: number, peer: string, ok: string, cells: string[]): string {
  const [wall, after, span, p50, p99, max, rss] = cells;
  return `| ${n} | ${peer} | ${ok} | ${wall} | ${after} | ${span} | ` +
    `${p50} / ${p99} / ${max} | ${rss} |`;
}

function latencyTable(report: Report): string[] {
  const { ns, peers, measurements } = report;
  const bounds = Object.keys(measurements[0]?.result.answeredWithinMs ?? {});
  const lines = [
    "Share of requests answered within (median of rounds):",
    "",
    `| N | peer | ${bounds.map((ms) => `≤ ${Number(ms) / 1000} s`).join(" | ")} |`,
    `|---:|---|${bounds.map(() => "---:").join("|")}|`,
  ];
  for (const n of ns) {
    for (const peer of peers) {
      const runs = measurements.filter((m) => m.n === n && m.peer === peer.name);
      const shares = bounds.map((bound) =>
        median(runs.map((m) => m.result.answeredWithinMs[bound] / n * 100))
      );
      lines.push(`| ${n} | ${peer.name} | ${shares.map((p) => `${fixed(p, 1)} %`).join(" | ")} |`);
    }
  }
  return lines;
}

function limitNotes(report: Report): string[] {
  const { ns, peers, sysctls, measurements } = report;
  const distinct = (f: (m: Measurement) => string | number | null) =>
    [...new Set(measurements.map(f))].join(", ");
  const connect = peers.map((peer) => {
    const runs = measurements.filter((m) => m.n === ns.at(-1) && m.peer === peer.name);
    return `${peer.name} ${fixed(median(runs.map((m) => m.result.connectMs / 1000)), 3)} s`;
  });
  const failed = measurements.filter((m) => m.result.ok !== m.n);
  return [
    "Limits and run notes:",
    "",
    `- open files (soft/hard) after \`ulimit -n ${WANTED_NOFILE}\`, else ` +
    `\`ulimit -n $(ulimit -Hn)\`: server ${distinct((m) => m.serverNofile)}, ` +
    `client ${distinct((m) => m.clientNofile)}`,
    ...sysctls.map((x) => `- \`${x.name}\`: ${x.before} → ${x.during} (${x.note})`),
    "- listen backlog of the server socket (`ss -ltn` Send-Q; Deno sets it, " +
    `Deno.serve has no option): ${distinct((m) => m.backlog)}`,
    `- connect phase for N=${ns.at(-1)} (median, untimed): ${connect.join(", ")}`,
    `- load average (1/5/15 min): ${report.loadAverage}`,
    ...failed.map((m) =>
      `- failures, N=${m.n} round ${m.round + 1} ${m.peer}: ` +
      JSON.stringify(m.result.failures)
    ),
  ];
}

function pairNotes(report: Report): string[] {
  const { ns, measurements } = report;
  return [
    "Service ÷ raw per round (wall / after last send), each pair measured back to back:",
    "",
    ...ns.map((n) => `- N=${n}: ${pairedRatios(measurements, n).join(", ")}`),
  ];
}

function pairedRatios(measurements: Measurement[], n: number): string[] {
  const rounds = [...new Set(measurements.filter((m) => m.n === n).map((m) => m.round))];
  return rounds.map((round) => {
    const find = (peer: string) =>
      measurements.find((m) => m.n === n && m.round === round && m.peer === peer)?.result;
    const [a, b] = [find("service"), find("raw")];
    if (!a || !b) return "n/a";
    return `${fixed(a.wallMs / b.wallMs, 2)} / ${fixed(a.afterLastSendMs / b.afterLastSendMs, 2)}`;
  });
}

function log(m: Measurement): void {
  const r = m.result;
  const ms = (value: number) => value.toFixed(0);
  console.error(
    `N=${m.n} round ${m.round + 1} ${m.peer}: ${r.ok}/${m.n} ok, ` +
      `wall ${ms(r.wallMs)} ms, after last send ${ms(r.afterLastSendMs)} ms, ` +
      `p50/p99/max ${ms(r.latencyMs.p50)}/${ms(r.latencyMs.p99)}/` +
      `${ms(r.latencyMs.max)} ms, connect ${ms(r.connectMs)} ms, ` +
      `peak RSS ${(m.peakRssKiB / 1024).toFixed(1)} MiB`,
  );
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function killAll(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

if (import.meta.main) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      killAll();
      await restoreSysctls(raised);
      Deno.exit(130);
    });
  }
  try {
    await main(Deno.args);
  } finally {
    killAll();
  }
}
