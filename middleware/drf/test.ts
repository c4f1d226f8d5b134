/**
 * The test kit, after DRF's `APIRequestFactory` and `APIClient` and Hono's
 * `app.request`: call the service or one view in-process, read the whole
 * answer, and capture what the console was told meanwhile.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { ApiContext } from "./request.ts";

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
 * import { readAnswer } from "./test.ts";
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
 * import { client } from "./test.ts";
 * const send = client(async (request) => Response.json({ path: new URL(request.url).pathname }));
 * assertEquals((await send("/a")).json, { path: "/a" });
 * ```
 */
export function client(handler: (request: Request) => Promise<Response>): Send {
  return async (path, init) =>
    readAnswer(await handler(new Request(`http://localhost${path}`, init)));
}

/** Options of {@linkcode callView}: a request's, plus where it goes. */
export interface CallInit extends RequestInit {
  /** The path requested; `/view` by default. */
  path?: string;
  /** Path parameters, as the router would have matched them. */
  params?: Record<string, string | number>;
}

/**
 * Call one view (or any handler) in-process, with the context the service
 * would give it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiView } from "./decorators.ts";
 * import { callView } from "./test.ts";
 * const view = apiView(["GET"], async (_request, context) => context.params);
 * const response = await callView(view, { params: { id: 7 } });
 * assertEquals(await response.json(), { id: 7 });
 * ```
 */
export function callView(view: Handler, init: CallInit = {}): Promise<Response> {
  const { path = "/view", params, ...rest } = init;
  const request = new Request(`http://localhost${path}`, rest);
  const context = new ApiContext(request);
  if (params) context.params = params;
  return view(request, context);
}

/**
 * A request's options for a body of a type: bytes (so no `text/plain` type is
 * added), with `contentType` unless it is `null`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { post } from "./test.ts";
 * assertEquals(new Headers(post("{}").headers).get("content-type"), "application/json");
 * ```
 */
export function post(
  body: BodyInit | null,
  contentType: string | null = "application/json",
  method = "POST",
): RequestInit {
  const headers = new Headers();
  if (contentType !== null) headers.set("content-type", contentType);
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return { method, headers, body: bytes };
}

/**
 * Run `fn` with a console method captured instead of printed, and return
 * the arguments of each call.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { captureConsole } from "./test.ts";
 * const logged = await captureConsole(async () => console.error("oops", 1));
 * assertEquals(logged, [["oops", 1]]);
 * ```
 */
export async function captureConsole(
  fn: () => Promise<unknown>,
  method: "error" | "log" | "warn" = "error",
): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const original = console[method];
  console[method] = (...args: unknown[]) => calls.push(args);
  try {
    await fn();
  } finally {
    console[method] = original;
  }
  return calls;
}
