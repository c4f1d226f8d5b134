/**
 * The protocol split of the seed's `asgi.py` (Channels' `ProtocolTypeRouter`):
 * WebSocket upgrade requests go to one handler, all other HTTP to another.
 *
 * @module
 */

import type { Handler } from "./context.ts";

/** The handler for each protocol. */
export interface Protocols {
  /** Plain HTTP requests: the API. */
  readonly http: Handler;
  /** Requests that ask to upgrade to a WebSocket. */
  readonly websocket: Handler;
}

/**
 * Make a handler that sends WebSocket upgrade requests to `websocket` and
 * everything else to `http`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Context } from "./context.ts";
 * import { protocolRouter } from "./protocol_router.ts";
 *
 * const app = protocolRouter({
 *   http: async () => new Response("http"),
 *   websocket: async () => new Response("websocket"),
 * });
 * const request = new Request("http://x/ws", { headers: { upgrade: "WebSocket" } });
 * assertEquals(await (await app(request, new Context(request))).text(), "websocket");
 * ```
 */
export function protocolRouter(protocols: Protocols): Handler {
  const { http, websocket } = protocols;
  return function protocolRouter(request, context) {
    const upgrade = request.headers.get("upgrade");
    const isWebSocket = upgrade !== null && upgrade.toLowerCase() === "websocket";
    return isWebSocket ? websocket(request, context) : http(request, context);
  };
}
