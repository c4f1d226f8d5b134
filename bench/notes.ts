/**
 * The notes API under load (wrk), against `/health` on the same server:
 * `GET /notes` (page 1, an index range), `GET /notes?page=50`,
 * `GET /notes?search=...` (a scan of every note), `POST /notes` (a create:
 * the id sequence, the record, two index entries and the count in one KV
 * commit; creates take turns in a process, so this is the disk's commit
 * rate). KV is a file in a temporary directory, seeded with `--seed` notes
 * (1,000 by default). Rounds alternate the workloads; the report gives the
 * median requests a second, the ratio to `/health` and the median p99.
 *
 * Run: deno task bench:notes [--rounds N] [--seconds S] [--seed N] [--connections C]
 *
 * @module
 */

import { loadGenerator, type LoadResult, type Workload } from "./_load_generator.ts";
import { startPeer, stopAllPeers } from "./_peer.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const flag = (name: string, fallback: number) => {
  const index = Deno.args.indexOf(name);
  return index === -1 ? fallback : Number(Deno.args[index + 1]);
};
const rounds = flag("--rounds", 3);
const seconds = flag("--seconds", 4);
const seed = flag("--seed", 1000);
const connections = flag("--connections", 64);

const WORKLOADS: Workload[] = [
  { name: "GET /health", method: "GET", path: "/health", status: 200 },
  { name: "GET /notes", method: "GET", path: "/notes", status: 200 },
  { name: "GET /notes?page=50", method: "GET", path: "/notes?page=50", status: 200 },
  {
    name: "POST /notes",
    method: "POST",
    path: "/notes",
    body: '{"title":"Bench","body":"A note."}',
    status: 201,
  },
  // Last: a scan of every note is the slowest, and its backlog must not
  // spill into the next workload.
  { name: "GET /notes?search=note 7", method: "GET", path: "/notes?search=note%207", status: 200 },
];

const dir = await Deno.makeTempDir({ prefix: "notes_bench_" });
const scratch = await Deno.makeTempDir({ prefix: "notes_bench_wrk_" });
try {
  const kv = `${dir}/kv.sqlite3`;
  const peer = await startPeer({
    name: "notes",
    args: () => [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-env=HOST,PORT",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      "bench/notes_server.ts",
      "--kv",
      kv,
      "--seed",
      String(seed),
    ],
  }, { deno: Deno.execPath(), cwd: ROOT, env: {}, readyTimeoutMs: 120_000 });
  const generator = await loadGenerator("auto", scratch);
  const samples = new Map<string, LoadResult[]>(WORKLOADS.map((w) => [w.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const workload of WORKLOADS) {
      await generator.run(peer.origin, workload, { seconds: 1, connections, threads: 1 }); // warm up
      const result = await generator.run(peer.origin, workload, {
        seconds,
        connections,
        threads: 1,
      });
      samples.get(workload.name)!.push(result);
      console.error(
        `round ${round + 1} ${workload.name}: ${result.rps.toFixed(0)} req/s, p99 ${
          result.p99Ms.toFixed(2)
        } ms`,
      );
    }
  }
  await peer.stop();
  const median = (values: number[]) =>
    values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
  const health = median(samples.get("GET /health")!.map((r) => r.rps));
  const lines = [
    `# Notes API throughput`,
    "",
    `${generator.description}, ${connections} connections, ${rounds} rounds of ${seconds} s, ` +
    `KV on disk (a temporary file), ${seed} notes seeded; ${navigator.hardwareConcurrency} cores shared with wrk.`,
    "",
    "| workload | req/s (median) | ÷ GET /health | p99 ms (median) | unexpected statuses |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...WORKLOADS.map((w) => {
      const runs = samples.get(w.name)!;
      const rps = median(runs.map((r) => r.rps));
      return `| \`${w.name}\` | ${rps.toFixed(0)} | ${(rps / health).toFixed(2)} | ${
        median(runs.map((r) => r.p99Ms)).toFixed(2)
      } | ${runs.reduce((n, r) => n + r.unexpected + r.socketErrors, 0)} |`;
    }),
  ];
  const report = lines.join("\n") + "\n";
  console.log(report);
  await Deno.writeTextFile(`${ROOT}/bench/results/notes.md`, report);
} finally {
  await stopAllPeers();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(scratch, { recursive: true });
}
