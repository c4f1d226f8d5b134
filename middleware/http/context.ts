/**
 * The one handler type everywhere: a handler takes a web `Request` and the
 * request's {@linkcode Context} and answers a web `Response`, as a promise
 * that rejects (never a synchronous throw) when it fails.
 *
 * @module
 */

const NO_PARAMS: Record<string, string | number> = Object.freeze({});

/** What the service knows of a request beyond the `Request` itself. */
export class Context {
  /** Path parameters the router matched, e.g. `{ id: 7 }` for `/items/7`. */
  params: Record<string, string | number> = NO_PARAMS;
  /** The connection's details, when the request came from `Deno.serve`. */
  readonly info: Deno.ServeHandlerInfo | undefined;
  /** The URL's path, still percent-encoded, e.g. `/items/7`. */
  readonly path: string;
  /** The URL's query without its `?`, e.g. `format=json`; `""` when none. */
  readonly search: string;
  #controller: AbortController | undefined;
  #cancelled: Error | undefined;
  #oncancel: ((reason: Error) => void) | undefined;
  #query: URLSearchParams | undefined;

  /** Make the context of a request as it arrives. */
  constructor(request: Request, info?: Deno.ServeHandlerInfo) {
    this.info = info;
    // Cheaper than `new URL()`: a request's URL is always absolute and
    // normalised, so the path starts at the first `/` after the scheme.
    const url = request.url;
    const start = url.indexOf("/", url.indexOf("://") + 3);
    const hash = url.indexOf("#", start);
    const end = hash === -1 ? url.length : hash;
    const query = url.indexOf("?", start);
    this.path = start === -1 ? "/" : url.slice(start, query === -1 || query > end ? end : query);
    this.search = query === -1 || query > end ? "" : url.slice(query + 1, end);
  }

  /**
   * Aborts when the request is cancelled: its client went away, or its view's
   * deadline passed. The reason is the `HttpError` that says which. Pass it to
   * whatever the view awaits (`delay(ms, { signal })`, `fetch(url, { signal })`)
   * so that cancelled work stops at once.
   */
  get signal(): AbortSignal {
    // Made on first use: a view that never looks at it costs no allocation.
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort(this.#cancelled);
    }
    return this.#controller.signal;
  }

  /** Why the request was cancelled (`signal`'s reason), or `undefined`. */
  get cancelled(): Error | undefined {
    return this.#cancelled;
  }

  /** Cancel the request's work, with the reason; only the first call counts. */
  abort(reason: Error): void {
    if (this.#cancelled) return;
    this.#cancelled = reason;
    this.#controller?.abort(reason);
    this.#oncancel?.(reason);
  }

  /**
   * The one listener told of a cancellation, for the code running the view
   * (`middleware/http/cancellation.ts`); views use `signal`.
   */
  set oncancel(listener: ((reason: Error) => void) | undefined) {
    this.#oncancel = listener;
  }

  /** The query parameters, parsed on first use. */
  get query(): URLSearchParams {
    return this.#query ??= new URLSearchParams(this.search);
  }
}

/**
 * Answers a request. It fails by rejecting, never by throwing synchronously,
 * so that whoever wraps it catches in one way.
 */
export type Handler = (request: Request, context: Context) => Promise<Response>;
