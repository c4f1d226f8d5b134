// Two service processes on one throttle store count together, exactly:
// GET /throttled (anonymous: 3 a minute by the anon throttle, 5 by the user
// throttle, by address), requests alternating between the processes, one
// after another (3 admitted) and 40 at once (each throttle's history holds
// exactly its rate, read back from the store). The processes run the start
// task's command from deno.json: as it is for Redis, with its data/ folder
// swapped for a temporary one for a shared Deno KV file.
//
// `deno task test:stores`: it starts processes (--allow-run=deno) and makes
// the KV file in /tmp. The Redis test runs when REDIS_URL names one (.ci/run
// starts it and sets it).

import { assertEquals } from "@std/assert";
import config from "../../deno.json" with { type: "json" };

const REDIS_URL = Deno.env.get("REDIS_URL");
const BURSTS = 5;
const REQUESTS = 40;

// How many requests a throttle key's history holds, read from the store.
type HistorySize = (key: string) => Promise<number>;

Deno.test("two processes sharing one Deno KV file count each throttle exactly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "throttle-kv-" });
  try {
    const flags = startFlags().map((flag) =>
      flag === "--allow-read=data" || flag === "--allow-write=data"
        ? flag.replace("=data", `=${dir}`)
        : flag
    );
    const path = `${dir}/kv.sqlite3`;
    await twoProcesses(flags, { THROTTLE_STORE: "kv", KV_PATH: path }, async (key) => {
      using kv = await Deno.openKv(path);
      return (await kv.get<Float64Array>(["throttle", key])).value?.length ?? 0;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "two processes sharing one Redis count each throttle exactly (the start task as it is)",
  ignore: !REDIS_URL,
  fn: async () => {
    const { createClient } = await import("redis");
    const redis = createClient({ url: REDIS_URL, maintNotifications: "disabled" });
    await redis.connect();
    try {
      const env = { THROTTLE_STORE: REDIS_URL!, KV_PATH: ":memory:" };
      await twoProcesses(startFlags(), env, (key) => redis.zCard(key));
    } finally {
      await redis.close();
    }
  },
});

// The start task's permission flags, e.g. ["--allow-net=...", "--allow-env=..."].
function startFlags(): string[] {
  const words = config.tasks.start.split(/\s+/);
  return words.slice(words.indexOf("run") + 1, words.indexOf("main.ts"));
}

async function twoProcesses(
  flags: string[],
  env: Record<string, string>,
  historySize: HistorySize,
): Promise<void> {
  // NUM_PROXIES=1 makes each X-Forwarded-For a client of its own, so that
  // every step starts afresh (and no other run sharing the Redis interferes).
  const servers = await Promise.all([0, 1].map(() => serve(flags, { ...env, NUM_PROXIES: "1" })));
  const send = async (i: number, client: string) => {
    const response = await fetch(`http://127.0.0.1:${servers[i % 2].port}/throttled`, {
      headers: { "x-forwarded-for": client },
    });
    await response.body?.cancel();
    return response.status;
  };
  try {
    const client = crypto.randomUUID();
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push(await send(i, client));
    assertEquals(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);

    for (let burst = 0; burst < BURSTS; burst++) {
      const client = crypto.randomUUID();
      const statuses = await Promise.all(
        Array.from({ length: REQUESTS }, (_, i) => send(i, client)),
      );
      // Each throttle admitted exactly its rate between the two processes.
      assertEquals(await historySize(`throttle_anon_${client}`), 3, `burst ${burst}`);
      assertEquals(await historySize(`throttle_user_${client}`), 5, `burst ${burst}`);
      // A request is served only if both admitted it (DRF consults every
      // throttle, so at once the user throttle may spend its 5 on requests
      // the anon one refused): at most 3, the rest 429, from both processes.
      const served = statuses.filter((s) => s === 200).length;
      assertEquals(served <= 3, true, `burst ${burst}: ${statuses}`);
      assertEquals(statuses.filter((s) => s === 429).length, REQUESTS - served);
      for (const parity of [0, 1]) {
        assertEquals(statuses.some((s, i) => i % 2 === parity && s === 429), true);
      }
    }
  } finally {
    const statuses = await Promise.all(servers.map((server) => server.stop()));
    assertEquals(statuses, [0, 0]);
  }
}

interface Server {
  port: number;
  stop(): Promise<number>;
}

// One service process on a free loopback port, once it says it listens.
async function serve(flags: string[], env: Record<string, string>): Promise<Server> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command("deno", {
    args: ["run", ...flags, "main.ts", "--listen"],
    env: { ...env, HOST: "127.0.0.1", PORT: String(port), ACCESS_LOG: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
  let output = "";
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    for await (const chunk of lines) {
      output += chunk;
      if (output.includes("Listening on")) break;
    }
  } finally {
    clearTimeout(timeout);
  }
  if (!output.includes("Listening on")) {
    throw new Error(`the service did not start: ${output} (${(await child.status).code})`);
  }
  // Read the rest so that the child never blocks on a full pipe.
  const drained = (async () => {
    for await (const _ of lines);
  })();
  return {
    port,
    async stop() {
      child.kill("SIGTERM");
      const { code } = await child.status;
      await drained;
      return code;
    },
  };
}
