/**
 * The WebSocket route: the seed's async wait over a socket. Each message
 * `{"id": <any>, "seconds": <0..10>}` is answered after that many seconds with
 * `{"id": <same>, "message": "..."}`; several can be pending at once and
 * answers come in the order they complete. A message of another shape gets
 * `{"error": "..."}` and the socket stays open. Closing the socket cancels
 * its pending work.
 *
 * What one client can cost is bounded: messages pending per socket and per
 * process (past either, the message gets an error), the size of an id, the
 * answers a socket leaves unsent (past it, the socket is closed with 1008)
 * and a message's length (past it, 1009). A pending message is a place in a
 * timer queue, so taking and cancelling one costs constant time.
 *
 * @module
 */

import { MESSAGE } from "./async_view.ts";
import { ApiContext, ApiError, apiView, type Handler } from "../middleware/drf/mod.ts";
import { DEFAULT_SETTINGS, type Settings } from "../middleware/http/settings.ts";
import { parseTask } from "./_ws_messages.ts";
import { startTimer, type Timer } from "./_ws_timers.ts";

export { MAX_ID_LENGTH } from "./_ws_messages.ts";

// The answer's end, made once: `{"id":<id>` + ANSWER_END.
const ANSWER_END = `,"message":${JSON.stringify(MESSAGE)}}`;

/** The bounds {@linkcode serveSocket} holds a socket to; 0 is no limit. */
export interface SocketLimits {
  /** Messages one socket may have waiting for their answer. */
  readonly maxPending: number;
  /** Messages waiting across every socket that shares a {@linkcode PendingBudget}. */
  readonly maxPendingTotal: number;
  /** Answer bytes a socket may leave unsent before it is closed with 1008. */
  readonly maxUnsentBytes: number;
}

/** What every socket of a process shares: the messages pending across them. */
export interface PendingBudget {
  pending: number;
}

/**
 * The socket limits a service's settings give.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSettings } from "../middleware/http/settings.ts";
 * import { socketLimits } from "./ws.ts";
 * assertEquals(socketLimits(loadSettings({ WS_MAX_PENDING: "10" })).maxPending, 10);
 * ```
 */
export function socketLimits(settings: Settings): SocketLimits {
  return {
    maxPending: settings.wsMaxPending,
    maxPendingTotal: settings.wsMaxPendingTotal,
    maxUnsentBytes: settings.wsMaxUnsentBytes,
  };
}

// The process's own budget: every socket the service serves counts here.
const PROCESS_BUDGET: PendingBudget = { pending: 0 };

/** The upgrade request on `/ws`: opens the socket and serves the protocol. */
export const wsView: Handler = async function wsView(request, context) {
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(request);
  } catch {
    throw new ApiError("Invalid WebSocket upgrade request.", { status: 400 });
  }
  const settings = context instanceof ApiContext ? context.settings : DEFAULT_SETTINGS;
  serveSocket(upgraded.socket, socketLimits(settings));
  return upgraded.response;
};

/** Plain HTTP on `/ws`: 426, naming the protocol to upgrade to. */
export const wsUpgradeRequired = apiView(["GET"], async function webSocket() {
  throw new ApiError("This endpoint speaks WebSocket: send an upgrade request.", {
    status: 426,
    headers: { upgrade: "websocket", connection: "Upgrade" },
  });
  // OpenAPI describes HTTP operations; this route only refuses plain HTTP.
}, { openapi: { exclude: true } });

/** What {@linkcode serveSocket} tells about a socket it serves. */
export interface SocketTasks {
  /** Messages whose answer is still being waited for. */
  readonly pending: number;
}

/**
 * Serve the protocol on an open (or opening) socket, within `limits`,
 * counting its pending messages in `budget` (the process's by default).
 *
 * @example
 * ```ts ignore
 * Deno.serve((request) => {
 *   const { socket, response } = Deno.upgradeWebSocket(request);
 *   serveSocket(socket, { maxPending: 100, maxPendingTotal: 10_000, maxUnsentBytes: 1 << 20 });
 *   return response;
 * });
 * ```
 */
export function serveSocket(
  socket: WebSocket,
  limits: SocketLimits,
  budget: PendingBudget = PROCESS_BUDGET,
): SocketTasks {
  const pending = new Set<Timer>();
  let closing = false;
  const cancelAll = () => {
    for (const timer of pending) timer.cancel();
    budget.pending -= pending.size;
    pending.clear();
  };
  const shut = (code: number, reason: string) => {
    if (closing) return;
    closing = true;
    cancelAll();
    try {
      socket.close(code, reason);
    } catch {
      // Closed already.
    }
  };
  // A client that stopped reading: its unsent answers would grow without
  // bound. Deno cannot stop reading one socket, so it is closed.
  const unread = () => limits.maxUnsentBytes > 0 && socket.bufferedAmount > limits.maxUnsentBytes;
  const notRead = () =>
    shut(1008, `Answers are not being read: over ${limits.maxUnsentBytes} bytes unsent.`);
  const answer = (text: string) => unread() ? notRead() : send(socket, text);
  socket.addEventListener("close", () => {
    closing = true;
    cancelAll();
  });
  socket.addEventListener("message", (event) => {
    if (closing) return;
    if (unread()) return notRead();
    const task = parseTask(event.data);
    if ("tooLong" in task) return shut(1009, task.tooLong);
    if ("error" in task) return answer(`{"error":${JSON.stringify(task.error)}}`);
    if (limits.maxPending > 0 && pending.size >= limits.maxPending) {
      return answer(errorText(
        task.idJson,
        `Too many messages waiting for an answer on this socket (at most ${limits.maxPending}): ` +
          "wait for an answer before sending more.",
      ));
    }
    if (limits.maxPendingTotal > 0 && budget.pending >= limits.maxPendingTotal) {
      return answer(errorText(
        task.idJson,
        "The server has too many messages waiting for an answer: try again later.",
      ));
    }
    const timer = startTimer(task.ms, () => {
      pending.delete(timer);
      budget.pending--;
      answer(`{"id":${task.idJson}${ANSWER_END}`);
    });
    pending.add(timer);
    budget.pending++;
  });
  return {
    get pending() {
      return pending.size;
    },
  };
}

// A refusal names the message's id, so that the client knows which to resend.
function errorText(idJson: string, error: string): string {
  return `{"id":${idJson},"error":${JSON.stringify(error)}}`;
}

function send(socket: WebSocket, text: string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  try {
    socket.send(text);
  } catch {
    // The socket closed between the check and the send: nobody to tell.
  }
}
