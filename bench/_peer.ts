/**
 * Server processes for the throughput benchmark: start one on a free
 * 127.0.0.1 port, wait for its first `200` on `GET /health`, read its RSS from
 * `/proc`, stop it.
 *
 * @module
 */

/** How to start one peer: the arguments to `deno`, given the port to use. */
export interface PeerSpec {
  /** The name in the tables. */
  name: string;
  /** The arguments to the `deno` binary; `PORT` and `HOST` are also set. */
  args(port: number): string[];
  /** Environment of this peer, over {@linkcode PeerOptions}' `env`. */
  env?: Record<string, string>;
  /**
   * A file the peer's stdout goes to (as a deployment's log file), through
   * `bash -c 'exec ... >file'` so that the pid stays the server's; by
   * default stdout is `/dev/null`.
   */
  stdout?: string;
}

/** Where and how peers run. */
export interface PeerOptions {
  /** The `deno` binary, spawned directly (not through `npx`, so the pid is the server's). */
  deno: string;
  /** The working directory: the repository root. */
  cwd: string;
  /** Environment added to the inherited one. */
  env: Record<string, string>;
  /** How long the first `200` may take before the start counts as failed. */
  readyTimeoutMs: number;
}

/** A peer that answered its first request. */
export interface RunningPeer {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` without the trailing slash. */
  readonly origin: string;
  /** Milliseconds from just before the spawn to the first `200` on `GET /health`. */
  readonly readyMs: number;
  /** Resident memory of the process (`VmRSS`) in KiB; 0 when it cannot be read. */
  rssKiB(): Promise<number>;
  /** CPU time the process has used so far (user + system, all threads), in µs. */
  cpuMicros(): Promise<number>;
  /** Stop with SIGTERM, then SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

const STDERR_TAIL = 4096;
const POLL_MS = 2;

/**
 * Pick a free port on 127.0.0.1 by binding port 0 and closing it again.
 *
 * @returns A port that was free a moment ago.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/**
 * Start a peer and wait until `GET /health` answers `200`.
 *
 * Throws an `Error` with the tail of the peer's stderr when it exits or does
 * not answer in time; the process is stopped first.
 *
 * @param spec What to start.
 * @param options Where and how to start it.
 * @returns The running peer, with the time it took to answer.
 */
export async function startPeer(spec: PeerSpec, options: PeerOptions): Promise<RunningPeer> {
  const port = freePort();
  const origin = `http://127.0.0.1:${port}`;
  const start = performance.now();
  const [command, args] = spec.stdout === undefined
    ? [options.deno, spec.args(port)]
    : ["bash", ["-c", 'exec "$@" >"$0"', spec.stdout, options.deno, ...spec.args(port)]];
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: { ...options.env, ...spec.env, HOST: "127.0.0.1", PORT: String(port) },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const drained = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        stderr = (stderr + chunk).slice(-STDERR_TAIL);
      },
    }),
  ).catch(() => {});
  let exited = false;
  const status = child.status.finally(() => exited = true);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      if (!exited) {
        trySignal(child, "SIGTERM");
        const timer = setTimeout(() => trySignal(child, "SIGKILL"), 5000);
        await status;
        clearTimeout(timer);
      }
      await drained;
    })();
  live.add(stop);
  status.finally(() => live.delete(stop));

  const deadline = start + options.readyTimeoutMs;
  while (true) {
    if (exited) {
      await stop();
      throw new Error(`Peer "${spec.name}" exited before answering:\n${stderr}`);
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(
        `Peer "${spec.name}" did not answer in ${options.readyTimeoutMs} ms:\n${stderr}`,
      );
    }
    if (await healthy(origin)) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const readyMs = performance.now() - start;
  return {
    name: spec.name,
    pid: child.pid,
    port,
    origin,
    readyMs,
    rssKiB: () => rssKiB(child.pid),
    cpuMicros: () => cpuMicros(child.pid),
    stop,
  };
}

/**
 * Stop every peer still running; for signal handlers and `finally` blocks.
 *
 * @returns When all of them exited.
 */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...live].map((stop) => stop()));
}

const live = new Set<() => Promise<void>>();

function trySignal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Read a file under `/proc` with `cat`: Deno 2 refuses `/proc` to anything
 * short of `--allow-all`, and `--allow-run` is granted anyway.
 *
 * @param path The file, e.g. `/proc/loadavg`.
 * @returns Its text, or `undefined` when it cannot be read.
 */
export async function readProc(path: string): Promise<string | undefined> {
  try {
    const { success, stdout } = await new Deno.Command("cat", { args: [path], stderr: "null" })
      .output();
    return success ? new TextDecoder().decode(stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** VmRSS of the process; `deno serve --parallel` runs its workers as threads of it. */
async function rssKiB(pid: number): Promise<number> {
  const status = await readProc(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status ?? "")?.[1] ?? 0);
}

/**
 * User and system CPU time of the process in µs, from `/proc/<pid>/stat`
 * (in clock ticks, 100 a second on Linux); NaN when it cannot be read.
 */
async function cpuMicros(pid: number): Promise<number> {
  const stat = await readProc(`/proc/${pid}/stat`);
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (!fields) return NaN;
  // utime and stime: the 14th and 15th fields, the 12th and 13th after the name.
  return (Number(fields[11]) + Number(fields[12])) * 1e6 / await clockTicks();
}

let ticks: Promise<number> | undefined;

function clockTicks(): Promise<number> {
  return ticks ??= (async () => {
    try {
      const { stdout } = await new Deno.Command("getconf", { args: ["CLK_TCK"] }).output();
      return Number(new TextDecoder().decode(stdout).trim()) || 100;
    } catch {
      return 100;
    }
  })();
}

/**
 * `deno task start`'s arguments to `deno` (deno.json's `tasks.start`, which
 * has no quoting: `run`, its permissions, `main.ts --listen`), with `extra`
 * (e.g. `--config=...`) after the subcommand: the service exactly as users
 * start it.
 *
 * @param root The repository root, where deno.json is.
 * @param extra Flags to add after `run`.
 * @returns The arguments, without the `deno` binary.
 */
export function startTaskArgs(root: string, extra: string[] = []): string[] {
  const task: string = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)).tasks.start;
  const [deno, subcommand, ...args] = task.trim().split(/\s+/);
  if (deno !== "deno" || subcommand !== "run") throw new Error(`Unexpected start task: ${task}`);
  return [subcommand, ...extra, ...args];
}
