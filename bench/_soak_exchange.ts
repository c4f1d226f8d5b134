/**
 * The soak's HTTP exchanges over raw connections: a request written as it is
 * (its body in pieces, with pauses when asked), one answer read by its
 * Content-Length.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// No exchange outlives this: its connection is closed.
const EXCHANGE_DEADLINE_MS = 60_000;
/** The largest answer read whole; past it the rest is not waited for. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** What one exchange came to. */
export interface Answer {
  status: number;
  /** The head and (up to MAX_ANSWER_BYTES) the body, as text. */
  text: string;
  /** The body's length, by Content-Length. */
  bytes: number;
  error?: string;
}

/**
 * Send a request over its own connection and read one response (by its
 * Content-Length), then close. Writing stops as soon as the answer is in.
 */
export async function exchange(
  port: number,
  request: { head: string; body?: Uint8Array[]; gapMs?: number },
  opened?: Deno.TcpConn,
): Promise<Answer> {
  let conn: Deno.TcpConn;
  try {
    conn = opened ?? await Deno.connect({ hostname: "127.0.0.1", port });
  } catch (error) {
    return { status: 0, text: "", bytes: 0, error: `connect: ${(error as Error).name}` };
  }
  let answered = false;
  const deadline = setTimeout(() => conn.close(), EXCHANGE_DEADLINE_MS);
  const writing = (async () => {
    await conn.write(encoder.encode(request.head));
    for (const piece of request.body ?? []) {
      if (answered) return;
      if (request.gapMs) await sleep(request.gapMs);
      await conn.write(piece);
    }
  })().catch(() => {});
  try {
    const answer = await readAnswer(conn);
    answered = true;
    return answer;
  } catch (error) {
    return { status: 0, text: "", bytes: 0, error: `read: ${(error as Error).name}` };
  } finally {
    answered = true;
    clearTimeout(deadline);
    try {
      conn.close();
    } catch {
      // Closed by the deadline already.
    }
    await writing;
  }
}

// Reads into one buffer that doubles as needed (never a copy per read), and
// stops at MAX_ANSWER_BYTES: an answer that large is wrong for any kind.
async function readAnswer(conn: Deno.Conn): Promise<Answer> {
  let received = new Uint8Array(64 * 1024);
  let length = 0;
  let headEnd = -1;
  let bodyLength = 0;
  while (true) {
    if (length === received.length) {
      const grown = new Uint8Array(received.length * 2);
      grown.set(received);
      received = grown;
    }
    const n = await conn.read(received.subarray(length));
    if (n === null) {
      return {
        status: 0,
        text: decoder.decode(received.subarray(0, length)),
        bytes: 0,
        error: "closed",
      };
    }
    const searchFrom = Math.max(0, length - 3);
    length += n;
    if (headEnd === -1) {
      headEnd = indexOfHeadEnd(received, searchFrom, length);
      if (headEnd === -1) continue;
      const head = decoder.decode(received.subarray(0, headEnd));
      bodyLength = Number(/\r\ncontent-length: *([0-9]+)/i.exec(head)?.[1] ?? 0);
      if (bodyLength > MAX_ANSWER_BYTES) {
        return { status: Number(head.slice(9, 12)), text: head, bytes: bodyLength };
      }
    }
    if (length - (headEnd + 4) < bodyLength) continue;
    const text = decoder.decode(received.subarray(0, headEnd + 4 + bodyLength));
    return { status: Number(text.slice(9, 12)), text, bytes: bodyLength };
  }
}

function indexOfHeadEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** Wait `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
