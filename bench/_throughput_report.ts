/**
 * The throughput benchmark's report (`bench/throughput.ts`): markdown tables
 * of req/s, p99, CPU per request and RSS for each workload and peer, with the
 * ratios to the references measured in the same run, then the targets, cold
 * start and the checks.
 *
 * @module
 */

import type { LoadResult } from "./_load_generator.ts";

/** One timed run of one peer. */
export interface Sample {
  result: LoadResult;
  /** Peak VmRSS during the run, KiB. */
  rssKiB: number;
  /** Server CPU time (user + system) over the run divided by the requests, µs. */
  cpuUs: number;
}

/** The names of the peers the ratios are taken against. */
export const REFERENCES = {
  raw: "raw",
  rawHeaders: "raw + DRF headers",
  hono: "Hono",
  honoHeaders: "Hono + DRF headers",
  service: "service",
  serviceLogOff: "service, ACCESS_LOG=0",
  parallel: "service --parallel",
} as const;

/** Everything the report shows. */
export interface ReportInput {
  title: string;
  header: string[];
  samples: Map<string, Map<string, Sample[]>>;
  idleRss: Map<string, number>;
  cold: Map<string, number[]>;
  checks: string[];
  coldRuns: number;
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median over rounds of `a`'s req/s divided by `b`'s in the same round. */
function ratioOf(a: Sample[], b: Sample[] | undefined): number {
  if (!b) return NaN;
  return median(a.map((sample, i) => sample.result.rps / b[i].result.rps));
}

const fixed = (n: number, digits = 2) => Number.isFinite(n) ? n.toFixed(digits) : "";
const mib = (kib: number) => (kib / 1024).toFixed(1);
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Render the report.
 *
 * @param input What was measured.
 * @returns Markdown.
 */
export function render(input: ReportInput): string {
  const { samples } = input;
  const lines = [`# ${input.title}`, "", ...input.header];
  lines.push(
    "",
    "## Requests a second and CPU per request",
    "",
    "| workload | peer | req/s | req/s min–max | p99 (ms) | CPU µs/req | RSS (MiB) | ÷ raw | " +
      "÷ raw + DRF headers | ÷ Hono | ÷ Hono + DRF headers |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  const problems: string[] = [];
  for (const [workload, byPeer] of samples) {
    for (const [peer, runs] of byPeer) {
      const rps = runs.map((sample) => sample.result.rps);
      const ratios = [
        REFERENCES.raw,
        REFERENCES.rawHeaders,
        REFERENCES.hono,
        REFERENCES.honoHeaders,
      ]
        .map((reference) => fixed(ratioOf(runs, byPeer.get(reference))));
      lines.push(
        `| ${workload} | ${peer} | ${int(median(rps))} | ${int(Math.min(...rps))}–${
          int(Math.max(...rps))
        } | ${median(runs.map((sample) => sample.result.p99Ms)).toFixed(2)} | ${
          fixed(median(runs.map((sample) => sample.cpuUs)), 1)
        } | ${mib(median(runs.map((sample) => sample.rssKiB)))} | ${ratios.join(" | ")} |`,
      );
      const socketErrors = runs.reduce((sum, sample) => sum + sample.result.socketErrors, 0);
      const unexpected = runs.reduce((sum, sample) => sum + sample.result.unexpected, 0);
      if (socketErrors) problems.push(`${peer}, ${workload}: ${socketErrors} socket errors`);
      if (unexpected) problems.push(`${peer}, ${workload}: ${unexpected} unexpected statuses`);
    }
  }
  lines.push(
    "",
    "req/s, p99 and CPU µs/req: median of the rounds. CPU µs/req is the server process's user + " +
      "system time over a run (from `/proc/<pid>/stat`, all its threads) divided by the " +
      "requests wrk completed: steadier than req/s on a shared machine, and it does not " +
      "depend on how much CPU wrk got. RSS: peak `VmRSS` during a run (sampled every 250 ms), " +
      "median of the rounds; V8 may keep heap an earlier workload grew, so later rows can " +
      "carry it. ÷ X: median of the per-round ratios of req/s to peer X (above 1 is faster).",
  );
  lines.push(...targets(samples));
  lines.push(...parallel(samples));
  lines.push(...coldStart(input));
  lines.push("", "## Idle RSS after start (MiB)", "");
  lines.push([...input.idleRss].map(([peer, kib]) => `${peer} ${mib(kib)}`).join(", ") + ".");
  lines.push("", "## Checks", "");
  const all = [...input.checks, ...problems];
  lines.push(
    all.length === 0
      ? "Every peer answered every workload with the expected status and JSON body before the " +
        "runs; no socket errors and no unexpected statuses during them."
      : all.map((problem) => `- ${problem}`).join("\n"),
  );
  return lines.join("\n") + "\n";
}

// The service as `deno task start` runs it against the contract's floors:
// throughput ratios, p99 and CPU per request side by side.
function targets(samples: Map<string, Map<string, Sample[]>>): string[] {
  const rows: string[] = [];
  for (const [workload, byPeer] of samples) {
    const service = byPeer.get(REFERENCES.service);
    const rawHeaders = byPeer.get(REFERENCES.rawHeaders);
    if (!service || !rawHeaders) continue;
    const logOff = byPeer.get(REFERENCES.serviceLogOff);
    const cpu = (runs: Sample[] | undefined) =>
      runs ? median(runs.map((sample) => sample.cpuUs)) : NaN;
    const p99 = (runs: Sample[] | undefined) =>
      runs ? median(runs.map((sample) => sample.result.p99Ms)) : NaN;
    rows.push(
      `| ${workload} | ${fixed(ratioOf(service, rawHeaders))} | ${
        fixed(ratioOf(service, byPeer.get(REFERENCES.honoHeaders)))
      } | ${fixed(ratioOf(service, logOff))} | ${fixed(p99(service))} / ${
        fixed(p99(rawHeaders))
      } (${fixed(p99(service) / p99(rawHeaders))}) | ${fixed(cpu(service), 1)} / ${
        fixed(cpu(logOff), 1)
      } / ${fixed(cpu(rawHeaders), 1)} / ${fixed(cpu(byPeer.get(REFERENCES.honoHeaders)), 1)} |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    "",
    "## The service as `deno task start` runs it, against the contract's floors",
    "",
    "| workload | ÷ raw + DRF headers (target ≥ 0.97) | ÷ Hono + DRF headers (≥ 1.00) | " +
    "÷ itself with ACCESS_LOG=0 (≥ 0.95) | p99 ms, service / raw + DRF headers (ratio; ≤ 1.10) | " +
    "CPU µs/req: service / log off / raw + DRF headers / Hono + DRF headers |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows,
  ];
}

function parallel(samples: Map<string, Map<string, Sample[]>>): string[] {
  const single = [...samples].map(([workload, byPeer]) =>
    [workload, byPeer.get(REFERENCES.service), byPeer.get(REFERENCES.parallel)] as const
  );
  if (!single.every(([, one, parallel]) => one && parallel)) return [];
  const rps = (runs: Sample[]) => median(runs.map((sample) => sample.result.rps));
  const p99 = (runs: Sample[]) => median(runs.map((sample) => sample.result.p99Ms));
  return [
    "",
    "## `deno serve --parallel` against one process",
    "",
    "| workload | 1 process req/s | --parallel req/s | ratio | 1 process p99 (ms) | " +
    "--parallel p99 (ms) |",
    "|---|---:|---:|---:|---:|---:|",
    ...single.map(([workload, one, parallel]) =>
      `| ${workload} | ${int(rps(one!))} | ${int(rps(parallel!))} | ${
        fixed(ratioOf(parallel!, one))
      } | ${p99(one!).toFixed(2)} | ${p99(parallel!).toFixed(2)} |`
    ),
    "",
    `The machine has ${navigator.hardwareConcurrency} cores and wrk runs on them too, so ` +
    "`--parallel` (one worker per core) competes with the load generator for the second " +
    "core: the ratio understates what it gives on a machine with cores to spare. Both run " +
    "with the start task's permissions and the access log on.",
  ];
}

function coldStart(input: ReportInput): string[] {
  if (input.cold.size === 0) return [];
  const raw = input.cold.get(REFERENCES.raw);
  return [
    "",
    "## Cold start",
    "",
    "| peer | median (ms) | min–max (ms) | ÷ raw (target ≤ 1.2 for the service) |",
    "|---|---:|---:|---:|",
    ...[...input.cold].map(([peer, times]) =>
      `| ${peer} | ${median(times).toFixed(1)} | ${Math.min(...times).toFixed(1)}–${
        Math.max(...times).toFixed(1)
      } | ${raw ? (median(times) / median(raw)).toFixed(2) : ""} |`
    ),
    "",
    "From just before spawning `deno` to the first `200` on `GET /health` (polled every " +
    `2 ms), ${input.coldRuns} starts each, alternated, after one unmeasured start each ` +
    "that fills Deno's caches; median. The service starts as `deno task start` runs it " +
    "(opening its Deno KV store under `data/`).",
  ];
}
