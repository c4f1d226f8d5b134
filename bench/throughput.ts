/**
 * Throughput benchmark (issues 6 and 12): the service side by side with the
 * references that keep the DRF contract's headers, all started at once, each
 * on its own 127.0.0.1 port:
 *
 * - `service`: `main.ts` as `deno task start` runs it (the start task's command
 *   line and permissions, read from deno.json), access log on, its stdout to a
 *   log file as a deployment's would be;
 * - `service, ACCESS_LOG=0`: the same with the access log off;
 * - `raw` (`bench/raw.ts`): a hand-written `Deno.serve`, only `Content-Type`;
 * - `raw + DRF headers` (`bench/raw.ts --drf-headers`): the same sending
 *   `Allow` and `Vary: Accept`, the least any implementation of the contract
 *   does;
 * - `Hono` and `Hono + DRF headers` (`bench/hono.ts [--drf-headers]`);
 * - `service --parallel`: `deno serve --parallel main.ts`.
 *
 * For each workload every peer is warmed up, then loaded with wrk in
 * alternation (A B C D, B C D A, ...) for `--runs` rounds; each figure is the
 * median of the rounds. Ratios are the median of the per-round ratios, so a
 * slow moment of the shared machine hits both sides of a ratio alike. CPU per
 * request is the server's user + system time (from `/proc`) over a run
 * divided by the requests. RSS is the peak of `VmRSS` sampled every 250 ms
 * during a run. Cold start is the time from spawning `deno` to the first `200`
 * on `GET /health`. It prints a markdown report and writes it to
 * `bench/results/throughput.md` (`throughput_quick.md` with `--quick`).
 *
 * Run from the repository root (about 15 minutes; `--quick` about 2):
 * `deno run --allow-run --allow-net=127.0.0.1 --allow-read
 * --allow-write=bench/results bench/throughput.ts [--quick] [--runs 5]
 * [--duration 4s] [--connections 64] [--threads 1] [--peers
 * service,service-log-off,raw,raw-headers,hono,hono-headers,parallel] [--tool
 * auto|wrk|autocannon] [--config deno.json] [--out file.md]`
 *
 * @module
 */

import {
  type LoadGenerator,
  loadGenerator,
  type LoadResult,
  type Workload,
} from "./_load_generator.ts";
import {
  type PeerOptions,
  type PeerSpec,
  readProc,
  type RunningPeer,
  startPeer,
  startTaskArgs,
  stopAllPeers,
} from "./_peer.ts";
import { REFERENCES, render, type Sample } from "./_throughput_report.ts";

/** The command line, parsed. */
export interface Options {
  quick: boolean;
  runs: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  threads: number;
  coldRuns: number;
  peers: string[];
  tool: "auto" | "wrk" | "autocannon";
  config?: string;
  out: string;
}

/** The Hono the peer was written and tested against (bench/hono.ts imports "hono"). */
const HONO = "npm:hono@4.13.19";
const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const USAGE = `Usage: deno run --allow-run --allow-net=127.0.0.1 --allow-read \\
  --allow-write=bench/results bench/throughput.ts [options]

  --quick              smoke run: 3 rounds of 1 s, no warm-up, 3 cold starts (about 2 minutes)
  --runs N             rounds per workload and peer (default 5)
  --duration Ns        length of one run, whole seconds (default 4s)
  --warmup Ns          warm-up per peer and workload, 0 for none (default 1s)
  --connections N      wrk connections (default 64)
  --threads N          wrk threads (default 1: the load generator shares 2 cores)
  --cold-runs N        cold starts per peer (default 9)
  --peers a,b          of service,service-log-off,raw,raw-headers,hono,hono-headers,parallel
                       (default all)
  --tool T             auto (wrk, else autocannon), wrk or autocannon
  --config FILE        deno.json for the peers (default: the repository's)
  --out FILE           the report (default bench/results/throughput.md)`;

/**
 * Parse the command line.
 *
 * @param args `Deno.args`.
 * @returns The options, defaults filled in.
 */
export function parseOptions(args: string[]): Options {
  const quick = args.includes("--quick");
  const options: Options = {
    quick,
    runs: quick ? 3 : 5,
    seconds: quick ? 1 : 4,
    warmupSeconds: quick ? 0 : 1,
    connections: 64,
    threads: 1,
    coldRuns: quick ? 3 : 9,
    peers: Object.keys(PEERS),
    tool: "auto",
    out: `bench/results/throughput${quick ? "_quick" : ""}.md`,
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const found = inline ?? args[++i];
      if (found === undefined) throw new TypeError(`Missing value for "${flag}"`);
      return found;
    };
    switch (flag) {
      case "--quick":
        break;
      case "--runs":
        options.runs = count(flag, value());
        break;
      case "--duration":
        options.seconds = seconds(flag, value());
        break;
      case "--warmup":
        options.warmupSeconds = seconds(flag, value(), 0);
        break;
      case "--connections":
        options.connections = count(flag, value());
        break;
      case "--threads":
        options.threads = count(flag, value());
        break;
      case "--cold-runs":
        options.coldRuns = count(flag, value());
        break;
      case "--peers":
        options.peers = value().split(",").filter(Boolean);
        for (const peer of options.peers) {
          if (!(peer in PEERS)) throw new TypeError(`Unknown peer "${peer}"`);
        }
        break;
      case "--tool": {
        const tool = value();
        if (tool !== "auto" && tool !== "wrk" && tool !== "autocannon") {
          throw new TypeError(`Unknown tool "${tool}"`);
        }
        options.tool = tool;
        break;
      }
      case "--config":
        options.config = value();
        break;
      case "--out":
        options.out = value();
        break;
      case "--help":
        console.log(USAGE);
        Deno.exit(0);
        break;
      default:
        throw new TypeError(`Unknown option "${args[i]}"\n${USAGE}`);
    }
  }
  return options;
}

function count(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`Invalid ${flag} "${text}"`);
  return n;
}

function seconds(flag: string, text: string, least = 1): number {
  const match = /^(\d+)s?$/.exec(text);
  if (!match || Number(match[1]) < least) {
    throw new TypeError(`Invalid ${flag} "${text}": whole seconds, at least ${least}`);
  }
  return Number(match[1]);
}

/** A 1 KB JSON object (exactly 1024 bytes as sent), as a client might post. */
function echoBody(): string {
  const body = {
    id: 4217,
    name: "Ada Lovelace",
    email: "ada@example.com",
    active: true,
    roles: ["admin", "editor", "viewer"],
    address: { street: "12 St James's Square", city: "London", postcode: "SW1Y 4JH" },
    scores: [98.5, 87.25, 91, 79.75, 88.5, 93, 85.25, 90.5],
    tags: ["analytical-engine", "notes", "bernoulli", "poetical-science"],
    note: "",
  };
  const room = 1024 - JSON.stringify(body).length;
  const words = "The engine weaves algebraic patterns as the loom weaves flowers and leaves. ";
  body.note = words.repeat(Math.ceil(room / words.length)).slice(0, room);
  return JSON.stringify(body);
}

const ECHO_BODY = echoBody();

const WORKLOADS: Workload[] = [
  { name: "GET /health", method: "GET", path: "/health", status: 200 },
  { name: "GET /items/7", method: "GET", path: "/items/7", status: 200 },
  { name: "POST /echo (1 KB)", method: "POST", path: "/echo", body: ECHO_BODY, status: 200 },
  { name: "GET /nope (404)", method: "GET", path: "/nope", status: 404 },
  { name: "POST /health (405)", method: "POST", path: "/health", status: 405 },
];

const EXPECTED_BODY: Record<string, unknown> = {
  "/health": { status: "ok" },
  "/items/7": { id: 7 },
  "/echo": { data: JSON.parse(ECHO_BODY) },
};

const RUN = ["run", "--allow-net=127.0.0.1", "--allow-env"];

/** What the peers' command lines depend on. */
interface PeerContext {
  /** `--config=...` when one was given. */
  config: string[];
  /** A directory for the service's log files. */
  logs: string;
}

const startTask = (config: string[]) => startTaskArgs(ROOT, config);

const PEERS: Record<string, (context: PeerContext) => PeerSpec> = {
  service: ({ config, logs }) => ({
    name: REFERENCES.service,
    args: () => startTask(config),
    stdout: `${logs}/service.log`,
  }),
  "service-log-off": ({ config }) => ({
    name: REFERENCES.serviceLogOff,
    args: () => startTask(config),
    env: { ACCESS_LOG: "0" },
  }),
  raw: ({ config }) => ({ name: REFERENCES.raw, args: () => [...RUN, ...config, "bench/raw.ts"] }),
  "raw-headers": ({ config }) => ({
    name: REFERENCES.rawHeaders,
    args: () => [...RUN, ...config, "bench/raw.ts", "--drf-headers"],
  }),
  hono: ({ config }) => ({
    name: REFERENCES.hono,
    args: () => [...RUN, ...config, "bench/hono.ts"],
  }),
  "hono-headers": ({ config }) => ({
    name: REFERENCES.honoHeaders,
    args: () => [...RUN, ...config, "bench/hono.ts", "--drf-headers"],
  }),
  parallel: ({ config, logs }) => ({
    name: REFERENCES.parallel,
    // The start task's permissions, under `deno serve`.
    args: (port) => [
      "serve",
      "--parallel",
      "--host=127.0.0.1",
      `--port=${port}`,
      ...startTask(config).slice(1).filter((arg) => /^--(allow-|config)/.test(arg)),
      "main.ts",
    ],
    stdout: `${logs}/parallel.log`,
  }),
};

/** The cold-start peers, in order; only those also selected with `--peers` run. */
const COLD_PEERS = ["service", "raw", "hono"];

/**
 * Run the whole benchmark and write the report.
 *
 * @param options The parsed command line.
 * @returns The markdown report.
 */
export async function benchmark(options: Options): Promise<string> {
  const perRun = options.seconds + 0.4;
  const estimate = WORKLOADS.length * options.peers.length *
      (options.runs * perRun + options.warmupSeconds) +
    COLD_PEERS.length * (options.coldRuns + 1) * 0.5;
  console.error(
    `${options.peers.length} peers x ${WORKLOADS.length} workloads x ${options.runs} rounds of ` +
      `${options.seconds} s: about ${Math.ceil(estimate / 60)} min`,
  );
  const loadBefore = await loadAverage();
  await Deno.mkdir(`${ROOT}/bench/results`, { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: `${ROOT}/bench/results`, prefix: ".wrk_" });
  scratchDirs.add(scratch);
  const context = { config: options.config ? [`--config=${options.config}`] : [], logs: scratch };
  const specs = options.peers.map((peer) => PEERS[peer](context));
  const peerOptions = {
    deno: Deno.execPath(),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    readyTimeoutMs: 30_000,
  };
  try {
    const generator = await loadGenerator(options.tool, scratch);
    console.error(`load generator: ${generator.description}`);
    const samples = new Map<string, Map<string, Sample[]>>();
    const checks: string[] = [];
    const idleRss = new Map<string, number>();
    // Requests wrk completed against each peer, to check the service's log against.
    const sent = new Map<string, number>();
    let peers: RunningPeer[] = [];
    try {
      for (const spec of specs) peers.push(await start(spec, peerOptions));
      for (const peer of peers) idleRss.set(peer.name, await peer.rssKiB());
      for (const peer of peers) checks.push(...await check(peer));
      const count = (peer: RunningPeer, result: LoadResult) =>
        sent.set(peer.name, (sent.get(peer.name) ?? 0) + result.requests);
      for (const workload of WORKLOADS) {
        const byPeer = new Map(peers.map((peer) => [peer.name, [] as Sample[]]));
        samples.set(workload.name, byPeer);
        for (const peer of options.warmupSeconds > 0 ? peers : []) {
          const warmup = { ...options, seconds: options.warmupSeconds };
          count(peer, await generator.run(peer.origin, workload, warmup));
        }
        for (let round = 0; round < options.runs; round++) {
          const order = [
            ...peers.slice(round % peers.length),
            ...peers.slice(0, round % peers.length),
          ];
          for (const peer of order) {
            const sample = await measure(generator, peer, workload, options);
            count(peer, sample.result);
            byPeer.get(peer.name)!.push(sample);
            console.error(
              `${workload.name} | ${peer.name} | round ${round + 1}: ` +
                `${Math.round(sample.result.rps)} req/s, p99 ${
                  sample.result.p99Ms.toFixed(2)
                } ms, ` +
                `${sample.cpuUs.toFixed(1)} µs CPU/req`,
            );
          }
        }
      }
    } finally {
      await Promise.all(peers.map((peer) => peer.stop()));
      peers = [];
    }
    // Stopped gracefully (SIGTERM), the service has written every line by now.
    for (const spec of specs) {
      if (spec.stdout) checks.push(...await checkLog(spec, sent.get(spec.name) ?? 0));
    }
    const coldSpecs = COLD_PEERS.filter((peer) => options.peers.includes(peer))
      .map((peer) => ({ ...PEERS[peer](context), stdout: undefined }));
    let cold = new Map<string, number[]>();
    try {
      cold = await coldStarts(coldSpecs, peerOptions, options.coldRuns);
    } catch (error) {
      // The throughput figures are worth keeping when a cold start fails.
      console.error(error);
      checks.push(`cold start failed: ${String(error).split("\n", 2).join(" ")}`);
    }
    const loadAfter = await loadAverage();
    const report = render({
      title: `Throughput${
        options.quick ? " (quick smoke run, not a result: too few, too short runs)" : ""
      }`,
      header: await header(options, generator.description, [loadBefore, loadAfter]),
      samples,
      idleRss,
      cold,
      checks,
      coldRuns: options.coldRuns,
    });
    const out = options.out.startsWith("/") ? options.out : `${ROOT}/${options.out}`;
    await Deno.writeTextFile(out, report);
    console.error(`wrote ${options.out}`);
    return report;
  } finally {
    await Deno.remove(scratch, { recursive: true });
    scratchDirs.delete(scratch);
  }
}

/**
 * The service logs every request it answers: its log must have a line for
 * each request wrk counted, and at most 64 more a run (those in flight when
 * wrk stops are answered, not counted); a dropped-lines report is a problem.
 */
async function checkLog(spec: PeerSpec, requests: number): Promise<string[]> {
  const { stdout } = await new Deno.Command("bash", {
    args: [
      "-c",
      'grep -c " [0-9][0-9][0-9] [0-9.]*ms$" "$0"; grep -c "lines dropped" "$0"',
      spec.stdout!,
    ],
  }).output();
  const [lines, dropped] = new TextDecoder().decode(stdout).trim().split("\n").map(Number);
  const problems: string[] = [];
  if (!(lines >= requests)) {
    problems.push(`${spec.name}: ${lines} access log lines for ${requests} requests`);
  }
  if (dropped > 0) problems.push(`${spec.name}: the access log reported dropped lines`);
  console.error(`${spec.name}: ${lines} access log lines, ${requests} requests counted by wrk`);
  logCounts.set(spec.name, [lines, requests]);
  return problems;
}

/** Access log lines and wrk's request count, per logging peer, for the report. */
const logCounts = new Map<string, [number, number]>();

async function header(
  options: Options,
  generator: string,
  load: [string, string],
): Promise<string[]> {
  const command = "deno run --allow-run --allow-net=127.0.0.1 --allow-read " +
    "--allow-write=bench/results bench/throughput.ts " + Deno.args.join(" ");
  const logs = [...logCounts].map(([peer, [lines, requests]]) =>
    `${peer}: ${lines.toLocaleString("en-US")} lines for ${
      requests.toLocaleString("en-US")
    } requests wrk counted`
  );
  return [
    `${new Date().toISOString()}, Deno ${Deno.version.deno}, ${Deno.build.os}, ` +
    `${navigator.hardwareConcurrency} CPUs (${await cpuModel()}), load average ` +
    `${load[0]} before and ${load[1]} after. Hono: \`${await honoVersion(
      options.config ?? `${ROOT}/deno.json`,
    )}\`. Code: ${await revision()}.`,
    "",
    "```sh",
    command.trim(),
    "```",
    "",
    `${generator}, ${options.connections} connections, ${options.threads} thread(s), ` +
    `${options.seconds} s a run after ${options.warmupSeconds} s of warm-up per peer and ` +
    `workload; ${options.runs} rounds, peers alternated with the starting peer rotated each ` +
    "round. All peers run at once on their own 127.0.0.1 port; only one is loaded at a time. " +
    "`service` is started with deno.json's start task (its permissions, `data/` for its KV " +
    "store), access log on, stdout to a log file (a regular file: the log writes " +
    "synchronously, in batches); `service, ACCESS_LOG=0` is the same with the log off." +
    (logs.length > 0 ? ` Access log: ${logs.join("; ")}.` : ""),
  ];
}

/** wrk's script directories, removed by the interrupt handler too (`Deno.exit` skips `finally`). */
const scratchDirs = new Set<string>();

/** {@linkcode startPeer}, with a hint when Hono is not in the import map. */
async function start(spec: PeerSpec, peerOptions: PeerOptions): Promise<RunningPeer> {
  try {
    return await startPeer(spec, peerOptions);
  } catch (error) {
    if (error instanceof Error && error.message.includes('Import "hono"')) {
      error.message += `\nAdd "hono": "${HONO}" to the "imports" of deno.json, or pass --config.`;
    }
    throw error;
  }
}

async function measure(
  generator: LoadGenerator,
  peer: RunningPeer,
  workload: Workload,
  options: Options,
): Promise<Sample> {
  let peak = await peer.rssKiB();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      peak = Math.max(peak, await peer.rssKiB());
    }
  })();
  let result: LoadResult;
  const cpuBefore = await peer.cpuMicros();
  try {
    result = await generator.run(peer.origin, workload, options);
  } finally {
    sampling = false;
    await sampler;
  }
  const cpuUs = (await peer.cpuMicros() - cpuBefore) / result.requests;
  return { result, rssKiB: peak, cpuUs };
}

/** One request per workload, checked for status and body: all peers must answer alike. */
async function check(peer: RunningPeer): Promise<string[]> {
  const problems: string[] = [];
  for (const workload of WORKLOADS) {
    const response = await fetch(`${peer.origin}${workload.path}`, {
      method: workload.method,
      body: workload.body,
      headers: workload.body ? { "content-type": "application/json" } : {},
    });
    const text = await response.text();
    const problem = (what: string) => problems.push(`${peer.name}, ${workload.name}: ${what}`);
    if (response.status !== workload.status) problem(`status ${response.status}`);
    const expected = EXPECTED_BODY[workload.path];
    if (workload.status === 200 && text !== JSON.stringify(expected)) {
      problem(`body ${JSON.stringify(text.slice(0, 80))}`);
    }
    if (workload.status === 405 && !response.headers.has("allow")) problem("no Allow header");
    if (!response.headers.get("content-type")?.startsWith("application/json")) {
      problem(`content-type ${response.headers.get("content-type")}`);
    }
  }
  return problems;
}

async function coldStarts(
  specs: PeerSpec[],
  peerOptions: PeerOptions,
  runs: number,
): Promise<Map<string, number[]>> {
  const times = new Map(specs.map((spec) => [spec.name, [] as number[]]));
  // One unmeasured start each fills Deno's module and code caches.
  for (const spec of specs) await (await start(spec, peerOptions)).stop();
  for (let round = 0; round < runs; round++) {
    const order = [...specs.slice(round % specs.length), ...specs.slice(0, round % specs.length)];
    for (const spec of order) {
      const peer = await start(spec, peerOptions);
      await peer.stop();
      times.get(spec.name)!.push(peer.readyMs);
      console.error(
        `cold start | ${spec.name} | round ${round + 1}: ${peer.readyMs.toFixed(1)} ms`,
      );
    }
  }
  return times;
}

async function loadAverage(): Promise<string> {
  return (await readProc("/proc/loadavg"))?.split(" ").slice(0, 3).join(" ") ?? "?";
}

async function honoVersion(config: string): Promise<string> {
  try {
    return JSON.parse(await Deno.readTextFile(config)).imports?.hono ?? "?";
  } catch {
    return "?";
  }
}

/** The commit measured, and whether tracked files differ from it. */
async function revision(): Promise<string> {
  const git = async (...args: string[]) => {
    try {
      const { success, stdout } = await new Deno.Command("git", {
        args: ["-C", ROOT, ...args],
        stdin: "null",
        stderr: "null",
      }).output();
      return success ? new TextDecoder().decode(stdout).trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const head = await git("rev-parse", "--short", "HEAD");
  if (head === undefined) return "?";
  const changes = await git("status", "--porcelain", "--untracked-files=no");
  return changes ? `${head} with uncommitted changes` : head;
}

async function cpuModel(): Promise<string> {
  const info = await readProc("/proc/cpuinfo");
  return /^model name\s*:\s*(.+)$/m.exec(info ?? "")?.[1] ?? "?";
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  const interrupt = () => {
    console.error("interrupted: stopping the peers");
    for (const dir of scratchDirs) Deno.removeSync(dir, { recursive: true });
    stopAllPeers().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", interrupt);
  Deno.addSignalListener("SIGTERM", interrupt);
  try {
    console.log(await benchmark(options));
  } finally {
    await stopAllPeers();
    Deno.removeSignalListener("SIGINT", interrupt);
    Deno.removeSignalListener("SIGTERM", interrupt);
  }
}
