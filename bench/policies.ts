/**
 * The cost of the policies on the hot path (issue 10): `GET /throttled` (an
 * anon and a user throttle, so two store hits a request) against `GET
 * /health` in the same process, with each throttle store: `memory`, `kv` (a
 * Deno KV file) and `redis` (a `redis-server` this script starts on
 * 127.0.0.1).
 *
 * Three workloads per store, all through one wrk Lua script that sets
 * `X-Forwarded-For` (the service runs with `NUM_PROXIES=1`) per request:
 * - `health`: `GET /health`, the baseline (no policy);
 * - `admit`: `GET /throttled-admit` (`bench/policies_peer.ts`: the view with
 *   `1000/min`), the clients rotating over `--clients` addresses, so every
 *   request is admitted and recorded: the path of a client within its rate;
 * - `refuse`: `GET /throttled` as it is (3/min), one client: after its third
 *   request every one is a 429, read from the store and not recorded.
 *
 * Peers and workloads are alternated (rotated each round); figures are
 * medians of the rounds, ratios medians of the per-round ratios against
 * `health` on the same peer. The Redis figures end with Redis's own CPU per
 * script call (`INFO commandstats`), which says how many service processes one
 * Redis can serve. Writes `bench/results/policies.md`.
 *
 * Run from the repository root: `deno task bench:policies [--quick] [--runs 5]
 * [--duration 4s] [--connections 64] [--clients 10000] [--stores memory,kv,redis]`.
 *
 * @module
 */

import { freePort, readProc, type RunningPeer, startPeer, stopAllPeers } from "./_peer.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

interface Options {
  quick: boolean;
  runs: number;
  seconds: number;
  warmup: number;
  connections: number;
  clients: number;
  stores: string[];
  out: string;
}

interface Workload {
  name: string;
  path: string;
  clients: number;
  status: number;
}

interface Result {
  rps: number;
  p99Ms: number;
  unexpected: number;
  errors: number;
  /** CPU time of the service process per request, µs: steadier than req/s on a shared machine. */
  cpuUs: number;
  /** CPU time of the Redis process per request, µs (0 without Redis). */
  redisCpuUs: number;
}

function parseOptions(args: string[]): Options {
  const quick = args.includes("--quick");
  const options: Options = {
    quick,
    runs: quick ? 3 : 5,
    seconds: quick ? 1 : 4,
    warmup: quick ? 0 : 1,
    connections: 64,
    clients: 10_000,
    stores: ["memory", "kv", "redis"],
    out: `bench/results/policies${quick ? "_quick" : ""}.md`,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => args[++i] ?? "";
    if (flag === "--quick") continue;
    else if (flag === "--runs") options.runs = Number(value());
    else if (flag === "--duration") options.seconds = parseInt(value());
    else if (flag === "--warmup") options.warmup = parseInt(value());
    else if (flag === "--connections") options.connections = Number(value());
    else if (flag === "--clients") options.clients = Number(value());
    else if (flag === "--stores") options.stores = value().split(",");
    else if (flag === "--out") options.out = value();
    else throw new TypeError(`Unknown option "${flag}"`);
  }
  return options;
}

// Every request names its client in X-Forwarded-For, 10.x.y.z from a counter
// over `clients` addresses: the same Lua work on every workload.
function wrkScript(workload: Workload): string {
  return `
local clients, i = ${workload.clients}, ${Math.floor(Math.random() * 1e6)}
request = function()
  i = i + 1
  local n = i % clients
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
    math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", "${workload.path}")
end
function done(summary, latency, requests)
  io.write(string.format("\\nTHROUGHPUT %.0f %.0f %.0f %.0f %.0f\\n", summary.requests,
    summary.duration, latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`;
}

// CPU seconds (user + system) a process has used, from /proc/<pid>/stat.
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readProc(`/proc/${pid}/stat`) ?? "";
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// One wrk run, with the CPU the service (and Redis) spent on it.
async function measure(
  peer: RunningPeer,
  redisPid: number | undefined,
  script: string,
  workload: Workload,
  options: Options,
): Promise<Result> {
  const before = [await cpuSeconds(peer.pid), await cpuSeconds(redisPid)];
  const result = await wrk(peer.origin, script, workload, options.seconds, options.connections);
  const after = [await cpuSeconds(peer.pid), await cpuSeconds(redisPid)];
  const requests = result.rps * options.seconds;
  result.cpuUs = (after[0] - before[0]) / requests * 1e6;
  result.redisCpuUs = (after[1] - before[1]) / requests * 1e6;
  return result;
}

async function wrk(
  origin: string,
  script: string,
  workload: Workload,
  seconds: number,
  connections: number,
): Promise<Result> {
  const { stdout } = await new Deno.Command("wrk", {
    args: [
      "--threads=1",
      `--connections=${connections}`,
      `--duration=${seconds}s`,
      "--timeout=5s",
      `--script=${script}`,
      origin,
    ],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(stdout);
  const line = /^THROUGHPUT (.+)$/m.exec(text)?.[1];
  if (!line) throw new Error(`wrk gave no summary:\n${text}`);
  const [requests, durationUs, p99Us, status, errors] = line.split(" ").map(Number);
  return {
    rps: requests / (durationUs / 1e6),
    p99Ms: p99Us / 1000,
    // wrk counts statuses >= 400; the refusing workload's 3 admitted requests come first.
    unexpected: workload.status >= 400 ? Math.max(0, requests - status - 3) : status,
    errors,
    cpuUs: 0,
    redisCpuUs: 0,
  };
}

// A redis-server of this benchmark's own on a free loopback port, nothing saved.
async function startRedis(
  dir: string,
): Promise<{ url: string; port: number; pid: number; stop(): Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command("redis-server", {
    args: [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0; i < 100; i++) {
    if (await redisCli(port, "PING") === "PONG") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await new Deno.Command("redis-cli", {
      args: ["-p", String(port), ...args],
      stderr: "null",
    }).output();
    return new TextDecoder().decode(stdout).trim();
  } catch {
    return "";
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function benchmark(options: Options): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bench-policies-" });
  const workloads: Workload[] = [
    { name: "health", path: "/health", clients: options.clients, status: 200 },
    { name: "admit", path: "/throttled-admit", clients: options.clients, status: 200 },
    { name: "refuse", path: "/throttled", clients: 1, status: 429 },
  ];
  const scripts = new Map<string, string>();
  for (const workload of workloads) {
    const script = `${dir}/${workload.name}.lua`;
    await Deno.writeTextFile(script, wrkScript(workload));
    scripts.set(workload.name, script);
  }
  const redis = options.stores.includes("redis") ? await startRedis(dir) : undefined;
  const peers: RunningPeer[] = [];
  const results = new Map<string, Result[]>();
  try {
    for (const store of options.stores) {
      peers.push(
        await startPeer({
          name: store,
          args: () => [
            "run",
            "--allow-net=127.0.0.1",
            "--allow-env",
            `--allow-read=${dir}`,
            `--allow-write=${dir}`,
            "bench/policies_peer.ts",
          ],
        }, {
          deno: Deno.execPath(),
          cwd: ROOT,
          env: {
            ACCESS_LOG: "0",
            NUM_PROXIES: "1",
            THROTTLE_STORE: store === "redis" ? redis!.url : store,
            KV_PATH: store === "kv" ? `${dir}/kv.sqlite3` : ":memory:",
          },
          readyTimeoutMs: 30_000,
        }),
      );
    }
    const pairs = peers.flatMap((peer) => workloads.map((workload) => ({ peer, workload })));
    if (options.warmup > 0) {
      for (const { peer, workload } of pairs) {
        await wrk(
          peer.origin,
          scripts.get(workload.name)!,
          workload,
          options.warmup,
          options.connections,
        );
      }
    }
    for (let round = 0; round < options.runs; round++) {
      const shift = (round * 4) % pairs.length;
      for (const { peer, workload } of [...pairs.slice(shift), ...pairs.slice(0, shift)]) {
        const script = scripts.get(workload.name)!;
        const result = await measure(peer, redis?.pid, script, workload, options);
        const key = `${peer.name} ${workload.name}`;
        results.set(key, [...results.get(key) ?? [], result]);
        console.error(
          `${key} | round ${round + 1}: ${Math.round(result.rps)} req/s, p99 ${
            result.p99Ms.toFixed(2)
          } ms, ${result.cpuUs.toFixed(1)} µs CPU/request`,
        );
      }
    }
    const stats = redis ? await redisCli(redis.port, "INFO", "commandstats") : "";
    return render(options, results, stats);
  } finally {
    await stopAllPeers();
    await redis?.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

function render(options: Options, results: Map<string, Result[]>, redisStats: string): string {
  const lines = [
    `# Policies on the hot path${options.quick ? " (quick smoke run, not a result)" : ""}`,
    "",
    `${new Date().toISOString()}, Deno ${Deno.version.deno}, ` +
    `${navigator.hardwareConcurrency} CPUs shared with wrk (1 thread, ${options.connections} ` +
    `connections); ${options.runs} rounds of ${options.seconds} s, stores and workloads ` +
    `alternated; ${options.clients} clients for \`health\` and \`admit\`, one for \`refuse\`.`,
    "",
    "| store | workload | req/s | ÷ health | p99 (ms) | CPU µs/request | + over health | Redis CPU µs/request | bad statuses, socket errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  const med = (runs: Result[], f: (r: Result) => number) => median(runs.map(f));
  for (const store of options.stores) {
    const health = results.get(`${store} health`)!;
    for (const name of ["health", "admit", "refuse"]) {
      const runs = results.get(`${store} ${name}`)!;
      const ratio = median(runs.map((run, i) => run.rps / health[i].rps));
      const extra = median(runs.map((run, i) => run.cpuUs - health[i].cpuUs));
      const bad = runs.reduce((sum, r) => sum + r.unexpected, 0);
      const errors = runs.reduce((sum, r) => sum + r.errors, 0);
      lines.push(
        `| ${store} | ${name} | ${Math.round(med(runs, (r) => r.rps)).toLocaleString("en-US")} | ` +
          `${ratio.toFixed(2)} | ${med(runs, (r) => r.p99Ms).toFixed(2)} | ` +
          `${med(runs, (r) => r.cpuUs).toFixed(1)} | ${
            name === "health" ? "" : extra.toFixed(1)
          } | ` +
          `${
            store === "redis" ? med(runs, (r) => r.redisCpuUs).toFixed(1) : ""
          } | ${bad}, ${errors} |`,
      );
    }
  }
  lines.push(
    "",
    "req/s, p99 and CPU: medians of the rounds; ÷ health and + over health: medians of the " +
      "per-round differences against `GET /health` on the same service process. CPU is the " +
      "service process's user + system time over the run divided by its requests, which the " +
      "other load on a shared machine disturbs far less than req/s.",
  );
  const evalsha = /^cmdstat_evalsha:calls=(\d+),usec=\d+,usec_per_call=([\d.]+)/m.exec(redisStats);
  if (evalsha) {
    const usec = Number(evalsha[2]);
    lines.push(
      "",
      `Redis ran ${Number(evalsha[1]).toLocaleString("en-US")} throttle checks at ${usec} µs ` +
        `of its CPU each (\`INFO commandstats\`): one Redis core does about ` +
        `${Math.round(1e6 / usec).toLocaleString("en-US")} checks a second (\`/throttled\` ` +
        "makes two a request).",
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  Deno.addSignalListener("SIGINT", () => stopAllPeers().finally(() => Deno.exit(130)));
  const report = await benchmark(options);
  await Deno.writeTextFile(`${ROOT}/${options.out}`, report);
  console.log(report);
  console.error(`load average after: ${(await readProc("/proc/loadavg"))?.trim()}`);
}
