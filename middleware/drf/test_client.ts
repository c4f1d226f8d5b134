/**
 * Clients of a handler in-process, after DRF's `APIClient` and Hono's
 * `app.request`: send a request to the whole service or one view, and read
 * the whole answer.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { ApiContext, forceAuthenticate, type User } from "./request.ts";

/** What a test looks at in a response: status, headers, the body as text and parsed. */
export interface Answer {
  /** The HTTP status. */
  status: number;
  /** The response's headers. */
  headers: Headers;
  /** The whole body as text. */
  text: string;
  /** The body parsed as JSON; `undefined` when empty or not JSON. */
  json: unknown;
}

/**
 * Read a whole response into an {@linkcode Answer}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readAnswer } from "./test_client.ts";
 * const answer = await readAnswer(Response.json({ a: 1 }, { status: 201 }));
 * assertEquals([answer.status, answer.json], [201, { a: 1 }]);
 * ```
 */
export async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Sends a request to a path and reads the whole answer. */
export type Send = (path: string, init?: RequestInit) => Promise<Answer>;

/**
 * A client of a whole service in-process: `send("/health")` builds the
 * request on `http://localhost` and reads the answer.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { client } from "./test_client.ts";
 * const send = client(async (request) => Response.json({ path: new URL(request.url).pathname }));
 * assertEquals((await send("/a")).json, { path: "/a" });
 * ```
 */
export function client(handler: (request: Request) => Promise<Response>): Send {
  return async (path, init) =>
    readAnswer(await handler(new Request(`http://localhost${path}`, init)));
}

/** Options of one {@linkcode APIClient} request. */
export interface ClientRequestInit {
  /** `json` (the default) or `multipart` for a body given as data. */
  format?: "json" | "multipart";
  /** Extra headers for this request. */
  headers?: HeadersInit;
  /** A body sent as it is (bytes, text, a `FormData`), instead of `data`. */
  body?: BodyInit;
  /** Its `Content-Type` when `body` is given. */
  contentType?: string;
}

/**
 * DRF's `APIClient`, in-process: requests to a handler (the whole service,
 * or one view) with JSON bodies by default, `credentials()` sent on every
 * request, and `forceAuthenticate(user)`, which marks the client's own
 * `Request` objects only, so nothing sent over HTTP can do the same.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView } from "./decorators.ts";
 * import { APIClient } from "./test_client.ts";
 * const whoami = apiView(["GET", "POST"], async (_request, context) => ({
 *   user: context.user.username,
 *   data: await context.data(),
 * }));
 * const client = APIClient.forView(whoami);
 * client.forceAuthenticate({ username: "ada", isAuthenticated: true, isStaff: false, isActive: true });
 * const answer = await client.post("/me", { a: 1 });
 * assertEquals(answer.json, { user: "ada", data: { a: 1 } });
 * ```
 */
export class APIClient {
  readonly #handler: (request: Request) => Promise<Response>;
  #headers: Record<string, string> = {};
  #user: [User, unknown] | undefined;

  /** Make a client of a handler that takes a request (as the service's). */
  constructor(handler: (request: Request) => Promise<Response>) {
    this.#handler = handler;
  }

  /** A client of one view (or any `Handler`), each request with a fresh context. */
  static forView(view: Handler): APIClient {
    return new APIClient((request) => view(request, new ApiContext(request)));
  }

  /** DRF's `credentials(**kwargs)`: headers sent on every request; none given clears them. */
  credentials(headers: Record<string, string> = {}): void {
    this.#headers = { ...headers };
  }

  /** DRF's `force_authenticate(user, token)`; no user stops it. */
  forceAuthenticate(user?: User, token: unknown = null): void {
    this.#user = user ? [user, token] : undefined;
  }

  /** GET, with `data` as the query string. */
  get(
    path: string,
    data?: Record<string, string | number>,
    init?: ClientRequestInit,
  ): Promise<Answer> {
    return this.request("GET", withQuery(path, data), undefined, init);
  }

  /** HEAD. */
  head(path: string, init?: ClientRequestInit): Promise<Answer> {
    return this.request("HEAD", path, undefined, init);
  }

  /** OPTIONS. */
  options(path: string, init?: ClientRequestInit): Promise<Answer> {
    return this.request("OPTIONS", path, undefined, init);
  }

  /** POST `data` (JSON by default). */
  post(path: string, data?: unknown, init?: ClientRequestInit): Promise<Answer> {
    return this.request("POST", path, data, init);
  }

  /** PUT `data`. */
  put(path: string, data?: unknown, init?: ClientRequestInit): Promise<Answer> {
    return this.request("PUT", path, data, init);
  }

  /** PATCH `data`. */
  patch(path: string, data?: unknown, init?: ClientRequestInit): Promise<Answer> {
    return this.request("PATCH", path, data, init);
  }

  /** DELETE. */
  delete(path: string, init?: ClientRequestInit): Promise<Answer> {
    return this.request("DELETE", path, undefined, init);
  }

  /** Any method. */
  async request(
    method: string,
    path: string,
    data?: unknown,
    init: ClientRequestInit = {},
  ): Promise<Answer> {
    const headers = new Headers(this.#headers);
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    let body: BodyInit | undefined = init.body;
    if (body !== undefined && init.contentType) headers.set("content-type", init.contentType);
    if (body === undefined && data !== undefined) {
      if (init.format === "multipart") {
        const form = new FormData();
        for (const [key, value] of Object.entries(data as Record<string, string | Blob>)) {
          form.append(key, value);
        }
        body = form;
      } else {
        body = JSON.stringify(data);
        headers.set("content-type", "application/json");
      }
    }
    const request = new Request(`http://localhost${path}`, { method, headers, body });
    if (this.#user) forceAuthenticate(request, ...this.#user);
    return readAnswer(await this.#handler(request));
  }
}

function withQuery(path: string, data?: Record<string, string | number>): string {
  if (!data) return path;
  const query = new URLSearchParams(Object.entries(data).map(([k, v]) => [k, String(v)]));
  return `${path}${path.includes("?") ? "&" : "?"}${query}`;
}
