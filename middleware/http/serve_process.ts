/**
 * A serving process around its service: it listens at once while the service
 * opens (its stores), stops with status 1 when the service cannot open, and
 * on SIGINT or SIGTERM stops listening, lets the requests in flight finish
 * within the grace period, closes the service and exits 0.
 *
 * @module
 */

import { listen } from "./server.ts";

/** The function `Deno.serve` calls. */
type Fetch = (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response>;

/** A service once open: its handler, and how to close what it opened. */
export interface OpenService {
  /** Answers a request. */
  readonly handler: Fetch;
  /** Closes what opening it opened (its stores). */
  close(): Promise<void>;
}

/** A service that may still be opening. */
export interface OpeningService {
  /** Answers with the service, waiting for it to open when it has not yet. */
  readonly fetch: Fetch;
  /** The open service, opened on the first call. */
  ready(): Promise<OpenService>;
}

/**
 * A service opened on first use by `open`, whose requests wait for it until
 * it is open and then go straight to it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { openingService } from "./serve_process.ts";
 * const service = openingService(async () => ({
 *   handler: async () => new Response("open"),
 *   close: async () => {},
 * }));
 * const info = {} as Deno.ServeHandlerInfo;
 * assertEquals(await (await service.fetch(new Request("http://x/"), info)).text(), "open");
 * ```
 */
export function openingService(open: () => Promise<OpenService>): OpeningService {
  let opening: Promise<OpenService> | undefined;
  let opened: OpenService | undefined;
  const ready = () => opening ??= open().then((service) => opened = service);
  return {
    fetch(request, info) {
      if (opened) return opened.handler(request, info);
      return ready().then((service) => service.handler(request, info));
    },
    ready,
  };
}

/**
 * Open `service` now, and end the process with status 1 and the reason when
 * it cannot open (a store outside what `--allow-write` grants), so that it
 * stops at start instead of failing every request. `what` names what is
 * opened in that message.
 *
 * @example
 * ```ts
 * import { exitUnlessOpened, openingService } from "./serve_process.ts";
 * const service = openingService(async () => ({
 *   handler: async () => new Response("open"),
 *   close: async () => {},
 * }));
 * exitUnlessOpened(service, "the stores");
 * await service.ready();
 * ```
 */
export function exitUnlessOpened(
  service: OpeningService,
  what: string,
  exit: (code: number) => void = Deno.exit,
): void {
  service.ready().catch((error) => {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`Could not open ${what}: ${reason}`);
    exit(1);
  });
}

/** Where {@linkcode serveUntilSignalled} serves, and what it does at the end. */
export interface ServeProcessOptions {
  /** The address to bind. */
  readonly hostname: string;
  /** The port to bind; 0 for any free one. */
  readonly port: number;
  /** How long requests in flight may finish after the signal. */
  readonly graceMs: number;
  /** Runs after the service is closed, before the last word (e.g. flushing a log). */
  readonly onStopped?: () => Promise<void>;
  /** Ends the process (`Deno.exit` unless given). */
  readonly exit?: (code: number) => void;
}

/** A serving process, and the stop that SIGINT and SIGTERM run. */
export interface ServeProcess {
  /** The address it listens on. */
  readonly addr: Deno.NetAddr;
  /** Stop as a signal does: finish the requests in flight, close, exit 0. */
  stop(signal: Deno.Signal): Promise<void>;
}

/**
 * Serve `service` until SIGINT or SIGTERM, then shut down gracefully: no new
 * connections, the requests in flight finish within the grace period, the
 * service closes, and the process exits 0.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { openingService, serveUntilSignalled } from "./serve_process.ts";
 * const service = openingService(async () => ({
 *   handler: async () => new Response("open"),
 *   close: async () => {},
 * }));
 * let status: number | undefined;
 * const served = serveUntilSignalled(service, {
 *   hostname: "127.0.0.1",
 *   port: 0,
 *   graceMs: 1000,
 *   exit: (code) => void (status = code),
 * });
 * const answer = await fetch(`http://127.0.0.1:${served.addr.port}/`);
 * assertEquals(await answer.text(), "open");
 * await served.stop("SIGTERM");
 * assertEquals(status, 0);
 * ```
 */
export function serveUntilSignalled(
  service: OpeningService,
  options: ServeProcessOptions,
): ServeProcess {
  const server = listen(service.fetch, {
    hostname: options.hostname,
    port: options.port,
    graceMs: options.graceMs,
    onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
  });
  const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const listener = () => void stop(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  let stopping: Promise<void> | undefined;
  const stop = (signal: Deno.Signal) =>
    stopping ??= (async () => {
      console.log(`${signal}: no new connections; finishing requests in flight`);
      const complete = await server.shutdown();
      await (await service.ready()).close();
      await options.onStopped?.();
      console.log(complete ? "Stopped." : `Stopped after ${options.graceMs} ms of grace.`);
      // Kept until now: a second signal while stopping is ignored, not fatal.
      for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
      (options.exit ?? Deno.exit)(0);
    })();
  return { addr: server.addr, stop };
}
