/**
 * The service's own work per request, in-process (no sockets): the handler
 * `main.ts` builds, with the access log off and on (into a writer that
 * discards), against `bench/raw.ts --drf-headers`'s handler (the least any
 * implementation of the contract does) and a handler that answers a constant
 * response (the cost of making the `Request` and awaiting). What `Deno.serve`
 * does around a handler is the same for all and left out, so the differences
 * are ours alone.
 *
 * Requests go 64 at a time, as wrk's 64 connections do; each figure is CPU
 * time (user + system, garbage collection included) per request over a batch
 * of requests, the least of the rounds (the machine's other work only adds);
 * the peers are alternated round by round.
 *
 * Run: `deno run --allow-env --allow-read bench/handler_bench.ts [requests a round] [rounds]`
 *
 * @module
 */

import process from "node:process";
import { createHandler } from "../main.ts";
import { BatchedWriter } from "../middleware/http/batched_writer.ts";
import { loadSettings } from "../middleware/http/settings.ts";
import { makeHandler, withDrfHeaders } from "./raw.ts";

type Serve = (request: Request) => Promise<Response>;

const kv = await Deno.openKv(":memory:");
const stores = { kv };
const discard = new BatchedWriter({
  write: (bytes) => Promise.resolve(bytes.length),
  writeSync: (bytes) => bytes.length,
});
const constant: Serve = () => Promise.resolve(new Response("{}"));
const PEERS: Record<string, Serve> = {
  "constant": constant,
  "raw + DRF headers": makeHandler(withDrfHeaders),
  "service, log off": createHandler(loadSettings({ ACCESS_LOG: "0", KV_PATH: ":memory:" }), stores),
  "service, log on": createHandler(loadSettings({ KV_PATH: ":memory:" }), stores, discard.write),
};

const WORKLOADS = [
  { name: "GET /health", method: "GET", path: "/health", status: 200 },
  { name: "GET /items/7", method: "GET", path: "/items/7", status: 200 },
  { name: "GET /nope (404)", method: "GET", path: "/nope", status: 404 },
  { name: "POST /health (405)", method: "POST", path: "/health", status: 405 },
];

const CONCURRENCY = 64;

/** CPU microseconds per request over `count` requests. */
async function measure(serve: Serve, url: string, init: RequestInit, count: number) {
  const before = process.cpuUsage();
  const batch: Promise<unknown>[] = new Array(CONCURRENCY);
  for (let done = 0; done < count; done += CONCURRENCY) {
    for (let i = 0; i < CONCURRENCY; i++) {
      batch[i] = serve(new Request(url, init)).then((response) => response.body?.cancel());
    }
    await Promise.all(batch);
    // Let timers run (the access log's batches), as a server's event loop does.
    if (done % 4096 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 100_000);
  const rounds = Number(Deno.args[1] ?? 7);
  const names = Object.keys(PEERS);
  console.log(`| workload | ${names.join(" | ")} | log on − raw + DRF headers |`);
  console.log(`|---|${names.map(() => "---:").join("|")}|---:|`);
  for (const workload of WORKLOADS) {
    // What wrk sends: a Host header and nothing else.
    const init = { method: workload.method, headers: { host: "127.0.0.1:8000" } };
    const url = `http://127.0.0.1:8000${workload.path}`;
    const best = new Map(names.map((name) => [name, Infinity]));
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
        const us = await measure(PEERS[name], url, init, count);
        best.set(name, Math.min(best.get(name)!, us));
      }
    }
    const cells = names.map((name) => best.get(name)!.toFixed(2));
    const extra = best.get("service, log on")! - best.get("raw + DRF headers")!;
    console.log(`| ${workload.name} | ${cells.join(" | ")} | ${extra.toFixed(2)} |`);
  }
  await discard.flush();
  kv.close();
}
