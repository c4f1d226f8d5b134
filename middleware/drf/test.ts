/**
 * The test kit, after DRF's `APIRequestFactory` and `APIClient` and Hono's
 * `app.request`: call the service or one view in-process, read the whole
 * answer, and capture what the console was told meanwhile. The clients
 * (`client`, `APIClient`) live in `test_client.ts`; tests import them from here.
 *
 * @module
 */

import type { Handler } from "../http/context.ts";
import { ApiContext } from "./request.ts";

export {
  type Answer,
  APIClient,
  client,
  type ClientRequestInit,
  readAnswer,
  type Send,
} from "./test_client.ts";

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
