/**
 * The WebSocket route: the seed's async wait over a socket. Each message
 * `{"id": <any>, "seconds": <0..10>}` is answered after that many seconds with
 * `{"id": <same>, "message": "..."}`; several can be pending at once and
 * answers come in the order they complete. A message of another shape gets
 * `{"error": "..."}` and the socket stays open. Closing the socket cancels
 * its pending work.
 *
 * @module
 */

import { delay } from "@std/async/delay";
import { MESSAGE } from "./async_view.ts";
import { ApiError, apiView, type Handler } from "../middleware/drf/mod.ts";

const MAX_SECONDS = 10;
const MAX_MESSAGE_LENGTH = 64 * 1024;

/** The upgrade request on `/ws`: opens the socket and serves the protocol. */
export const wsView: Handler = async function wsView(request) {
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(request);
  } catch {
    throw new ApiError("Invalid WebSocket upgrade request.", { status: 400 });
  }
  serveSocket(upgraded.socket);
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
 * Serve the protocol on an open (or opening) socket.
 *
 * @example
 * ```ts ignore
 * Deno.serve((request) => {
 *   const { socket, response } = Deno.upgradeWebSocket(request);
 *   serveSocket(socket);
 *   return response;
 * });
 * ```
 */
export function serveSocket(socket: WebSocket): SocketTasks {
  const closed = new AbortController();
  let pending = 0;
  socket.addEventListener("close", () => closed.abort());
  socket.addEventListener("message", (event) => {
    const task = parseTask(event.data);
    if (typeof task === "string") return send(socket, { error: task });
    pending++;
    answerLater(socket, task, closed.signal).finally(() => pending--);
  });
  return {
    get pending() {
      return pending;
    },
  };
}

interface Task {
  id: unknown;
  seconds: number;
}

async function answerLater(socket: WebSocket, task: Task, closed: AbortSignal): Promise<void> {
  try {
    await delay(task.seconds * 1000, { signal: closed });
  } catch {
    return; // the socket closed: the work is cancelled
  }
  send(socket, { id: task.id, message: MESSAGE });
}

// A task, or what is wrong with the message.
function parseTask(data: unknown): Task | string {
  if (typeof data !== "string") return "Messages must be text, not binary.";
  if (data.length > MAX_MESSAGE_LENGTH) {
    return `Message is longer than ${MAX_MESSAGE_LENGTH} characters.`;
  }
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch (error) {
    return `Message is not valid JSON: ${(error as Error).message}`;
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return 'Message must be an object: {"id": <any>, "seconds": <0..10>}.';
  }
  const { id, seconds } = message as Record<string, unknown>;
  if (!Object.hasOwn(message, "id")) return 'Message has no "id".';
  if (typeof seconds !== "number" || !(seconds >= 0 && seconds <= MAX_SECONDS)) {
    return `"seconds" must be a number from 0 to ${MAX_SECONDS}, got ${
      JSON.stringify(seconds) ?? "nothing"
    }.`;
  }
  return { id, seconds };
}

function send(socket: WebSocket, data: unknown): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  try {
    socket.send(JSON.stringify(data));
  } catch {
    // The socket closed between the check and the send: nobody to tell.
  }
}
