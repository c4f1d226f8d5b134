/**
 * Serving with a graceful shutdown, for `deno task start`.
 *
 * @module
 */

import { delay } from "@std/async/delay";

/** Where and how {@linkcode listen} serves. */
export interface ListenOptions {
  /** The address to bind. */
  hostname: string;
  /** The port to bind; 0 for any free one. */
  port: number;
  /** How long requests in flight may take to finish once shutdown begins. */
  graceMs: number;
  /** Called once the server listens. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A running server and the way to stop it. */
export interface GracefulServer {
  /** The address the server listens on. */
  readonly addr: Deno.NetAddr;
  /**
   * Stop accepting connections at once and let requests in flight finish, for
   * up to the grace period. Resolves `true` when every one finished, `false`
   * when the grace period ran out first. Calling it again returns the same.
   */
  shutdown(): Promise<boolean>;
}

/**
 * Serve a handler with `Deno.serve`, ready for a graceful shutdown.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { listen } from "./server.ts";
 *
 * const server = listen(() => new Response("hi"), { hostname: "127.0.0.1", port: 0, graceMs: 1000 });
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assertEquals(await response.text(), "hi");
 * assertEquals(await server.shutdown(), true);
 * ```
 */
export function listen(handler: Deno.ServeHandler, options: ListenOptions): GracefulServer {
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: (addr) => options.onListen?.(addr),
  }, handler);
  let stopping: Promise<boolean> | undefined;
  return {
    addr: server.addr,
    shutdown() {
      return stopping ??= (async () => {
        const grace = new AbortController();
        const finished = server.shutdown().then(() => true);
        const expired = delay(options.graceMs, { signal: grace.signal }).then(
          () => false,
          () => true,
        );
        const complete = await Promise.race([finished, expired]);
        grace.abort();
        return complete;
      })();
    },
  };
}
