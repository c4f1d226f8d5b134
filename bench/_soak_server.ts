/**
 * The soak's server: `main.ts` under the start task's permissions, spawned as
 * the deno binary itself under bash (`ulimit -n` raised, then `exec`), so that
 * the child's pid is the server's; its memory and descriptors read from /proc.
 *
 * @module
 */

import { ENV_VARIABLES } from "../middleware/http/settings.ts";
import { exchange, sleep } from "./_soak_exchange.ts";
import { get } from "./_soak_kinds.ts";

const decoder = new TextDecoder();

/** The server under test: the deno process itself, and its captured log. */
export interface Server {
  process: Deno.ChildProcess;
  port: number;
  pid: number;
  log: string[];
  logDone: Promise<void>;
}

export async function resolveDeno(): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: ["-c", "npx --yes deno@2.9.6 eval 'console.log(Deno.execPath())' 2>/dev/null"],
    stdout: "piped",
  }).output();
  const path = decoder.decode(out.stdout).trim();
  if (!out.success || !path) throw new Error("Could not resolve the deno binary through npx");
  return path;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

export async function startServer(deno: string, env: Record<string, string>): Promise<Server> {
  const port = freePort();
  const script = 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"';
  const process = new Deno.Command("bash", {
    args: [
      "-c",
      script,
      deno,
      "run",
      "--allow-net=127.0.0.1",
      `--allow-env=${ENV_VARIABLES.join(",")}`,
      "main.ts",
      "--listen",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    // The store in memory: the soak never writes to data/.
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      ACCESS_LOG: "0",
      NO_COLOR: "1",
      KV_PATH: ":memory:",
      ...env,
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  // Read the log as it comes, so a full pipe never blocks the server.
  const logDone = (async () => {
    let rest = "";
    for await (const piece of process.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + piece).split("\n");
      rest = lines.pop()!;
      log.push(...lines);
    }
  })();
  const server = { process, port, pid: process.pid, log, logDone };
  for (let i = 0; i < 100; i++) {
    const answer = await exchange(port, get("/health")).catch(() => undefined);
    if (answer?.status === 200) return server;
    await sleep(100);
  }
  await stopServer(server);
  throw new Error(`The server did not answer on port ${port}:\n${log.join("\n")}`);
}

export async function stopServer(server: Server): Promise<void> {
  try {
    server.process.kill("SIGTERM");
  } catch {
    // Already gone.
  }
  const killer = setTimeout(() => server.process.kill("SIGKILL"), 15_000);
  await server.process.status;
  clearTimeout(killer);
  await server.logDone;
}

// /proc is read through bash: Deno asks for --allow-all to read another
// process's entries there.
export async function proc(pid: number, command: string): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: ["-c", command, String(pid)],
    stdout: "piped",
    stderr: "null",
  }).output();
  return decoder.decode(out.stdout);
}

/** The server's resident memory in MiB and its open file descriptors. */
export async function memory(pid: number): Promise<{ rss: number; fds: number }> {
  const out = await proc(pid, 'cat "/proc/$0/status"; echo "Fds: $(ls "/proc/$0/fd" | wc -l)"');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(out)?.[1]);
  return { rss: field("VmRSS") / 1024, fds: field("Fds") };
}
