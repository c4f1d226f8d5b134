/**
 * The service's own work per request, in-process (no sockets): the handler
 * `main.ts` builds, with the access log off and on (written to `/dev/null` as
 * the service writes it), against `bench/raw.ts --drf-headers`'s handler (the least any
 * implementation of the contract does) and a handler that answers a constant
 * response (the cost of making the `Request` and awaiting). What `Deno.serve`
 * does around a handler is the same for all and left out, so the differences
 * are ours alone.
 *
 * Requests go 64 at a time, as wrk's 64 connections do; each figure is CPU
 * time (user + system, garbage collection included) per request over a batch
 * of requests, the least of the rounds (the machine's other work only adds);
 * the peers are alternated round by round. Beside it, the bytes of JS heap
 * allocated per request (steady from run to run, unlike time): what the
 * garbage collector has to clear.
 *
 * Run: `deno run --allow-env --allow-read --allow-write=/dev/null bench/handler_bench.ts [requests a round]
 * [rounds] [only]`, where `only` keeps the peers and workloads whose names
 * contain it (e.g. `log on`, `/health`), for a profile of one of them
 * (`deno run --cpu-prof ...`).
 *
 * @module
 */

import { MemoryThrottleStore } from "../middleware/drf/throttle_stores/memory.ts";
import process from "node:process";
import { getHeapStatistics } from "node:v8";

// Node's typings omit it; V8 (and so Deno) reports it.
const allocatedBytes = () =>
  (getHeapStatistics() as unknown as { total_allocated_bytes: number }).total_allocated_bytes;
import { createHandler } from "../main.ts";
import { BatchedWriter } from "../middleware/http/batched_writer.ts";
import { loadSettings } from "../middleware/http/settings.ts";
import { makeHandler, withDrfHeaders } from "./raw.ts";

type Serve = (request: Request) => Promise<Response>;

const kv = await Deno.openKv(":memory:");
const stores = { kv, throttle: new MemoryThrottleStore() };
// The access log as the service writes it to /dev/null: synchronously, in batches.
const devNull = await Deno.open("/dev/null", { write: true });
const log = new BatchedWriter(devNull, { synchronous: true });
const constant: Serve = () => Promise.resolve(new Response("{}"));
const PEERS: Record<string, Serve> = {
  "constant": constant,
  "raw + DRF headers": makeHandler(withDrfHeaders),
  "service, log off": createHandler(loadSettings({ ACCESS_LOG: "0", KV_PATH: ":memory:" }), stores),
  "service, log on": createHandler(loadSettings({ KV_PATH: ":memory:" }), stores, undefined, log),
};

const WORKLOADS = [
  { name: "GET /health", method: "GET", path: "/health", status: 200 },
  { name: "GET /items/7", method: "GET", path: "/items/7", status: 200 },
  { name: "GET /nope (404)", method: "GET", path: "/nope", status: 404 },
  { name: "POST /health (405)", method: "POST", path: "/health", status: 405 },
];

const CONCURRENCY = 64;

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

// A turn of the event loop, without a timer's clamping.
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** CPU microseconds and bytes of JS heap allocated per request over `count` requests. */
async function measure(serve: Serve, url: string, init: RequestInit, count: number) {
  const allocated = allocatedBytes();
  const before = process.cpuUsage();
  const batch: Promise<unknown>[] = new Array(CONCURRENCY);
  for (let done = 0; done < count; done += CONCURRENCY) {
    for (let i = 0; i < CONCURRENCY; i++) {
      batch[i] = serve(new Request(url, init)).then((response) => response.body?.cancel());
    }
    await Promise.all(batch);
    // A macrotask between batches, as a server's event loop has: timers (the
    // access log's batches) run on time.
    await macrotask();
  }
  const used = process.cpuUsage(before);
  const bytes = allocatedBytes() - allocated;
  return { us: (used.user + used.system) / count, bytes: bytes / count };
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 100_000);
  const rounds = Number(Deno.args[1] ?? 7);
  const only = Deno.args[2] ?? "";
  const matching = <T>(all: T[], name: (item: T) => string) => {
    const kept = all.filter((item) => name(item).includes(only));
    return kept.length > 0 ? kept : all;
  };
  const names = matching(Object.keys(PEERS), (name) => name);
  const workloads = matching(WORKLOADS, (workload) => workload.name);
  console.log(
    `CPU µs per request, least of ${rounds} rounds of ${count}; bytes allocated per request`,
  );
  console.log(`| workload | ${names.join(" | ")} | log on − raw + DRF headers |`);
  console.log(`|---|${names.map(() => "---:").join("|")}|---:|`);
  for (const workload of workloads) {
    // What wrk sends: a Host header and nothing else.
    const init = { method: workload.method, headers: { host: "127.0.0.1:8000" } };
    const url = `http://127.0.0.1:8000${workload.path}`;
    const best = new Map(names.map((name) => [name, Infinity]));
    const bytes = new Map<string, number>();
    for (const name of names) {
      const response = await PEERS[name](new Request(url, init));
      await response.body?.cancel();
      if (name !== "constant" && response.status !== workload.status) {
        throw new Error(`${name}, ${workload.name}: status ${response.status}`);
      }
      await measure(PEERS[name], url, init, count / 4); // warm-up
    }
    for (let round = 0; round < rounds; round++) {
      const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
      for (const name of order) {
        const run = await measure(PEERS[name], url, init, count);
        best.set(name, Math.min(best.get(name)!, run.us));
        bytes.set(name, Math.min(bytes.get(name) ?? Infinity, run.bytes));
      }
    }
    const cells = names.map((name) =>
      `${best.get(name)!.toFixed(2)} µs, ${Math.round(bytes.get(name)!)} B`
    );
    const extra = best.get("service, log on")! - best.get("raw + DRF headers")!;
    const extraBytes = bytes.get("service, log on")! - bytes.get("raw + DRF headers")!;
    console.log(
      `| ${workload.name} | ${cells.join(" | ")} | ${extra.toFixed(2)} µs, ${
        Math.round(extraBytes)
      } B |`,
    );
  }
  await log.flush();
  devNull.close();
  channel.port1.close();
  kv.close();
}
