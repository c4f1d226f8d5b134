/**
 * The load generator for the throughput benchmark: wrk from Debian's
 * packages (installed with `apt-get` when missing), or autocannon from npm
 * through `npx` when wrk cannot be had.
 *
 * @module
 */

/** One request shape to load a peer with. */
export interface Workload {
  /** The name in the tables, e.g. `GET /health`. */
  name: string;
  method: "GET" | "POST";
  path: string;
  /** The request body, sent as `application/json`. */
  body?: string;
  /** The status every response should have. */
  status: number;
}

/** What one timed run measured. */
export interface LoadResult {
  /** Responses completed. */
  requests: number;
  /** Responses a second over the run. */
  rps: number;
  /** Median latency in milliseconds. */
  p50Ms: number;
  /** 99th percentile latency in milliseconds. */
  p99Ms: number;
  /** Connect, read, write and timeout errors. */
  socketErrors: number;
  /** Responses whose status class differs from the workload's expected one. */
  unexpected: number;
}

/** How hard and how long to load. */
export interface LoadOptions {
  /** Whole seconds; wrk takes no fractions. */
  seconds: number;
  connections: number;
  threads: number;
}

/** A load generator ready to run. */
export interface LoadGenerator {
  /** `wrk` or `autocannon`, with its version. */
  readonly description: string;
  /** Load `origin` with `workload` for `options.seconds`. */
  run(origin: string, workload: Workload, options: LoadOptions): Promise<LoadResult>;
}

const AUTOCANNON = "autocannon@8.0.0";

/**
 * Find or install a load generator: wrk first (`apt-get install -y wrk`, with
 * `apt-get update` on a first failure), else autocannon through `npx`.
 *
 * @param tool `wrk` or `autocannon` to insist on one, `auto` to prefer wrk.
 * @param scratch A directory for wrk's Lua scripts, removed by the caller.
 * @returns The load generator.
 */
export async function loadGenerator(
  tool: "auto" | "wrk" | "autocannon",
  scratch: string,
): Promise<LoadGenerator> {
  if (tool !== "autocannon") {
    let version = await wrkVersion();
    if (version === undefined) {
      console.error("wrk not found; installing it with apt-get");
      const env = { DEBIAN_FRONTEND: "noninteractive" };
      if (!await succeeds("apt-get", ["install", "-y", "-q", "wrk"], env)) {
        await succeeds("apt-get", ["update", "-q"], env);
        await succeeds("apt-get", ["install", "-y", "-q", "wrk"], env);
      }
      version = await wrkVersion();
    }
    if (version !== undefined) return wrk(version, scratch);
    if (tool === "wrk") throw new Error("wrk is not installed and apt-get could not install it");
    console.error(`apt-get could not install wrk; using ${AUTOCANNON} through npx`);
  }
  if (!await succeeds("npx", ["--yes", AUTOCANNON, "--version"], {}, scratch)) {
    throw new Error(`Neither wrk nor ${AUTOCANNON} (npx) is available`);
  }
  return autocannon(scratch);
}

async function wrkVersion(): Promise<string | undefined> {
  try {
    // `wrk --version` prints its banner and usage, then exits 1.
    const { stdout } = await new Deno.Command("wrk", { args: ["--version"] }).output();
    return /^wrk (\S+)/m.exec(new TextDecoder().decode(stdout))?.[1] ?? "?";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function succeeds(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, {
      args,
      env,
      cwd,
      stdin: "null",
      stdout: "null",
      stderr: "inherit",
    }).output();
    return success;
  } catch {
    return false;
  }
}

function wrk(version: string, scratch: string): LoadGenerator {
  const scripts = new Map<string, string>();
  return {
    description: `wrk ${version}`,
    async run(origin, workload, options) {
      let script = scripts.get(workload.name);
      if (script === undefined) {
        script = `${scratch}/wrk_${scripts.size}.lua`;
        await Deno.writeTextFile(script, wrkScript(workload));
        scripts.set(workload.name, script);
      }
      const { stdout, stderr } = await new Deno.Command("wrk", {
        args: [
          `--threads=${options.threads}`,
          `--connections=${options.connections}`,
          `--duration=${options.seconds}s`,
          "--timeout=5s",
          `--script=${script}`,
          `${origin}${workload.path}`,
        ],
        stdin: "null",
      }).output();
      const text = new TextDecoder().decode(stdout);
      const line = /^THROUGHPUT (.+)$/m.exec(text)?.[1];
      if (line === undefined) {
        throw new Error(`wrk gave no summary:\n${text}${new TextDecoder().decode(stderr)}`);
      }
      const [requests, durationUs, p50Us, p99Us, connect, read, write, status, timeout] = line
        .split(" ").map(Number);
      return {
        requests,
        rps: requests / (durationUs / 1e6),
        p50Ms: p50Us / 1000,
        p99Ms: p99Us / 1000,
        socketErrors: connect + read + write + timeout,
        // wrk counts statuses >= 400 as errors: all of them are expected on 4xx workloads.
        unexpected: workload.status >= 400 ? requests - status : status,
      };
    },
  };
}

function wrkScript(workload: Workload): string {
  const lines = [`wrk.method = "${workload.method}"`];
  if (workload.body !== undefined) {
    if (workload.body.includes("]==]")) throw new Error("The body must not contain ]==]");
    lines.push(`wrk.body = [==[${workload.body}]==]`);
    lines.push(`wrk.headers["Content-Type"] = "application/json"`);
  }
  // One parsable line from all threads' totals; latencies are in microseconds.
  lines.push(
    "function done(summary, latency, requests)",
    '  io.write(string.format("\\nTHROUGHPUT %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",',
    "    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),",
    "    summary.errors.connect, summary.errors.read, summary.errors.write,",
    "    summary.errors.status, summary.errors.timeout))",
    "end",
  );
  return lines.join("\n") + "\n";
}

interface AutocannonJson {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function autocannon(scratch: string): LoadGenerator {
  return {
    description: `${AUTOCANNON} (npx; Node shares the CPUs and tops out far below wrk)`,
    async run(origin, workload, options) {
      const args = [
        "--yes",
        AUTOCANNON,
        "--json",
        `--connections=${options.connections}`,
        `--duration=${options.seconds}`,
        `--method=${workload.method}`,
      ];
      if (options.threads > 1) args.push(`--workers=${options.threads}`);
      if (workload.body !== undefined) {
        args.push("--headers", "content-type=application/json", `--body=${workload.body}`);
      }
      args.push(`${origin}${workload.path}`);
      const { stdout, stderr } = await new Deno.Command("npx", {
        args,
        cwd: scratch,
        stdin: "null",
      })
        .output();
      const text = new TextDecoder().decode(stdout);
      let json: AutocannonJson;
      try {
        json = JSON.parse(text.slice(text.indexOf("{")));
      } catch {
        throw new Error(`autocannon gave no summary:\n${text}${new TextDecoder().decode(stderr)}`);
      }
      const requests = json.requests.total;
      return {
        requests,
        rps: requests / json.duration,
        p50Ms: json.latency.p50,
        p99Ms: json.latency.p99,
        socketErrors: json.errors + json.timeouts,
        unexpected: workload.status >= 300 ? requests - json.non2xx : json.non2xx,
      };
    },
  };
}
