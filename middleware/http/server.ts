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
 * Deno's own graceful shutdown (`server.shutdown()`) stops listening and lets
 * the handlers in flight finish, but ends at once every request body still
 * arriving: an upload in progress would read "Request body ended before it
 * was complete.". So a shutdown first waits for the requests in flight that
 * have a body (answering any new request `503` with `Connection: close`
 * meanwhile), then hands over to Deno's; the grace period bounds both.
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
  const uploads = new Uploads();
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: (addr) => options.onListen?.(addr),
  }, (request, info) => {
    if (uploads.closing) return shuttingDown();
    // GET and HEAD bodies are dropped by Deno: only others may be arriving.
    const method = request.method;
    if (method === "GET" || method === "HEAD" || !hasBody(request)) return handler(request, info);
    return uploads.track(() => handler(request, info));
  });
  let stopping: Promise<boolean> | undefined;
  return {
    addr: server.addr,
    shutdown() {
      return stopping ??= (async () => {
        const grace = new AbortController();
        const expired = delay(options.graceMs, { signal: grace.signal }).then(
          () => false,
          () => true,
        );
        const finished = uploads.close().then(() => server.shutdown()).then(() => true);
        const complete = await Promise.race([finished, expired]);
        grace.abort();
        // Out of grace with uploads left: stop listening anyway.
        if (!complete) server.shutdown().catch(() => {});
        return complete;
      })();
    },
  };
}

function hasBody(request: Request): boolean {
  const headers = request.headers;
  const length = headers.get("content-length");
  return length === null ? headers.has("transfer-encoding") : length !== "0";
}

function shuttingDown(): Response {
  return Response.json({ detail: "The server is shutting down." }, {
    status: 503,
    headers: { connection: "close", "retry-after": "1" },
  });
}

// The requests in flight whose body may still be arriving.
class Uploads {
  closing = false;
  #count = 0;
  #idle: (() => void) | undefined;

  track(run: () => Response | Promise<Response>): Response | Promise<Response> {
    this.#count++;
    let result;
    try {
      result = run();
    } catch (error) {
      this.#done();
      throw error;
    }
    // One derived promise, not an async wrapper: this is every POST's path.
    if (result instanceof Promise) result.then(this.#done, this.#done);
    else this.#done();
    return result;
  }

  #done = (): void => {
    if (--this.#count === 0) this.#idle?.();
  };

  /** Take no more; resolves once none is in flight. */
  close(): Promise<void> {
    this.closing = true;
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle = resolve);
  }
}
