/**
 * The soak's WebSocket attacks (issue 13), over raw connections: a flood of
 * pending messages on one socket, many sockets full of pending work that hang
 * up, clients that never read their answers, messages too large (whole and in
 * fragments), and floods of malformed messages. Each attack says how many of
 * its sockets came out right, as the HTTP kinds do; a last check after the
 * round shows that the pending work of the sockets that left was released.
 *
 * @module
 */

import { clientFrame, closeOf, openRawSocket, type RawSocket } from "../tests/_websocket.ts";

const decoder = new TextDecoder();
const MESSAGE = "비동기 작업이 완료되었습니다.";
const PER_SOCKET = "Too many messages waiting for an answer on this socket";
const PER_PROCESS = "The server has too many messages waiting for an answer";
const DEADLINE_MS = 60_000;

/** What came of one kind of attack in a round. */
export interface Tally {
  sent: number;
  right: number;
  wrong: Map<string, number>;
}

/** How many sockets each attack uses (the soak can scale them down). */
export interface WsScale {
  /** Messages of the pending flood on one socket. */
  flood: number;
  /** Sockets that fill up with pending work and hang up. */
  hangUps: number;
  /** Sockets that never read. */
  nonReaders: number;
  /** Sockets that each send one large message, and its size in MB. */
  large: number;
  largeMb: number;
  /** Sockets that each send a message in 1 MiB fragments, and its size in MiB. */
  fragmented: number;
  fragmentedMib: number;
  /** Sockets that each send 5,000 malformed messages. */
  malformed: number;
}

/**
 * The figures, scaled to a soak round: its 16 × 60 MB messages stall
 * Deno for seconds before the service sees them (the proxy in front must cap
 * them), so a round sends 4 × 4 MB, and 16 MiB in fragments.
 */
export const WS_SCALE: WsScale = {
  flood: 120_000,
  hangUps: 20,
  nonReaders: 4,
  large: 4,
  largeMb: 4,
  fragmented: 1,
  fragmentedMib: 16,
  malformed: 10,
};

/** No WebSocket attack: to see what the HTTP ones cost alone. */
export const NO_WS: WsScale = {
  flood: 0,
  hangUps: 0,
  nonReaders: 0,
  large: 0,
  largeMb: 0,
  fragmented: 0,
  fragmentedMib: 0,
  malformed: 0,
};

// Frames made once and reused by every round: building 120,000 costs time.
const made = new Map<string, Uint8Array<ArrayBuffer>>();
function frames(key: string, count: number, text: (i: number) => string | Uint8Array) {
  let bytes = made.get(key);
  if (!bytes) {
    const parts = Array.from({ length: count }, (_, i) => clientFrame(1, text(i)));
    bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    made.set(key, bytes);
  }
  return bytes;
}

function count(tally: Tally, ok: boolean, why = ""): void {
  tally.sent++;
  if (ok) tally.right++;
  else tally.wrong.set(why, (tally.wrong.get(why) ?? 0) + 1);
}

// Read `n` text frames (or until the socket ends), each handed to `each`.
async function readTexts(ws: RawSocket, n: number, each: (text: string) => void) {
  for (let i = 0; i < n; i++) {
    const frame = await ws.next();
    if (!frame) return "ended";
    if (frame.opcode === 8) return `closed ${closeOf(frame).code}`;
    each(decoder.decode(frame.payload));
  }
  return "";
}

/** A raw socket that tells whether it had to be closed at the deadline. */
interface Socket extends RawSocket {
  readonly expired: boolean;
}

// A socket that closes itself after DEADLINE_MS, so that no read or write of
// an attack waits for ever on a server that stopped reading or writing.
async function open(port: number, deadlineMs = DEADLINE_MS): Promise<Socket | string> {
  try {
    const ws = await openRawSocket(port);
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      ws.close();
    }, deadlineMs);
    return {
      ...ws,
      get expired() {
        return expired;
      },
      close() {
        clearTimeout(timer);
        ws.close();
      },
    };
  } catch (error) {
    return `open: ${(error as Error).message}`;
  }
}

// Write, or say that the server stopped reading (blocked for `ms`) or reset.
async function tryWrite(ws: RawSocket, bytes: Uint8Array, ms: number): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const blocked = new Promise<string>((resolve) => timer = setTimeout(resolve, ms, "blocked"));
  try {
    return await Promise.race([ws.write(bytes).then(() => "", () => "reset"), blocked]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One socket sends `n` one-second messages at once; each gets an answer or a
 * refusal, unless the server closes the socket for not reading its refusals
 * fast enough (1008, or a reset): a flood may end either way.
 */
async function pendingFlood(port: number, n: number, tally: Tally): Promise<void> {
  const ws = await open(port);
  if (typeof ws === "string") return count(tally, false, ws);
  try {
    const bytes = frames(`flood ${n}`, n, (i) => `{"id":${i},"seconds":1}`);
    const writing = ws.write(bytes).catch(() => {});
    // Every message gets one frame: its answer, or a refusal past a limit.
    let answers = 0;
    let refused = 0;
    let other = 0;
    const ended = await readTexts(ws, n, (text) => {
      if (text.endsWith(`"message":"${MESSAGE}"}`)) answers++;
      else if (text.includes(PER_SOCKET) || text.includes(PER_PROCESS)) refused++;
      else other++;
    });
    await writing;
    const cut = ended === "closed 1008" || (ended === "ended" && !ws.expired);
    const why = ws.expired
      ? "no end after 60 s"
      : other
      ? `${other} other frames`
      : ended || `${answers} answered, none refused`;
    count(tally, other === 0 && (ended ? cut : answers > 0 && refused > 0), why);
  } finally {
    ws.close();
  }
}

/** Sockets fill up with ten-second messages, then hang up without a close frame. */
async function hangUps(port: number, sockets: number, tally: Tally): Promise<void> {
  const opened = await Promise.all(Array.from({ length: sockets }, () => open(port)));
  const bytes = frames("hang-up", 1000, (i) => `{"id":${i},"seconds":10}`);
  await Promise.all(opened.map(async (ws) => {
    if (typeof ws === "string") return count(tally, false, ws);
    await ws.write(bytes).catch(() => {});
    // Only refusals may come back in the next second; then the client vanishes.
    let other = 0;
    const reading = readTexts(ws, 1000, (text) => {
      if (!text.includes(PER_PROCESS)) other++;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    ws.close();
    await reading;
    count(tally, other === 0, `${other} frames other than refusals`);
  }));
}

/**
 * Sockets write messages with 1 KB answers and never read them: the server
 * must cut them off, where it used to read and answer for ever. Cut off is a
 * reset while writing, or, once a write has been blocked for 20 s (the
 * server stopped reading: it closed the socket but cannot finish sending to a
 * client that does not read), reading what is there ends in a 1008 or a
 * reset. (A server merely busy for 20 s would keep answering instead.)
 */
async function nonReaders(port: number, sockets: number, tally: Tally): Promise<void> {
  const chunk = frames(
    "non-reader",
    100,
    () => JSON.stringify({ id: "x".repeat(1000), seconds: 0 }),
  );
  await Promise.all(Array.from({ length: sockets }, async () => {
    const ws = await open(port, 2 * DEADLINE_MS);
    if (typeof ws === "string") return count(tally, false, ws);
    let stopped = "";
    while (!stopped && !ws.expired) stopped = await tryWrite(ws, chunk, 20_000);
    let cut = stopped === "reset" && !ws.expired;
    if (stopped === "blocked") {
      const ended = await readTexts(ws, Infinity, () => {});
      cut = ended === "closed 1008" || (ended === "ended" && !ws.expired);
    }
    ws.close();
    count(tally, cut, ws.expired ? `${stopped || "written"} until the deadline` : "not cut off");
  }));
}

/**
 * Sockets send one message far over 64 KiB: one frame of `megabytes` MB, or
 * `fragments` frames of 1 MiB. Each gets 1009.
 */
async function tooLarge(
  port: number,
  sockets: number,
  size: { megabytes: number } | { fragments: number },
  tally: Tally,
): Promise<void> {
  const whole = "megabytes" in size
    ? clientFrame(1, new Uint8Array(size.megabytes * 1e6).fill(0x78))
    : undefined;
  const fragments = "fragments" in size ? size.fragments : 0;
  const piece = new Uint8Array(1 << 20).fill(0x78);
  await Promise.all(Array.from({ length: sockets }, async () => {
    const ws = await open(port);
    if (typeof ws === "string") return count(tally, false, ws);
    try {
      const writing = (async () => {
        if (whole) return await ws.write(whole);
        await ws.write(clientFrame(1, piece, false));
        for (let i = 2; i < fragments; i++) await ws.write(clientFrame(0, piece, false));
        await ws.write(clientFrame(0, piece, true));
      })().catch(() => {});
      let answer = "";
      const ended = await readTexts(ws, 1, (text) => answer = text.slice(0, 80));
      await writing;
      count(tally, ended === "closed 1009", ended || `answered ${answer}`);
    } finally {
      ws.close();
    }
  }));
}

/** Sockets send 5,000 malformed messages each and read an error for every one. */
async function malformed(port: number, sockets: number, tally: Tally): Promise<void> {
  const bytes = frames(
    "malformed",
    5000,
    (i) => ["not json", "[1]", '{"seconds":1}', '{"id":1,"seconds":99}'][i % 4],
  );
  await Promise.all(Array.from({ length: sockets }, async () => {
    const ws = await open(port);
    if (typeof ws === "string") return count(tally, false, ws);
    try {
      const writing = ws.write(bytes).catch(() => {});
      let errors = 0;
      const ended = await readTexts(ws, 5000, (text) => {
        if (text.startsWith('{"error":')) errors++;
      });
      await writing;
      count(tally, !ended && errors === 5000, ended || `${errors} errors of 5000`);
    } finally {
      ws.close();
    }
  }));
}

/** Every WebSocket attack at once; a tally by attack. */
export async function wsAttacks(port: number, scale: WsScale): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  const attacks: Promise<void>[] = [];
  // An attack scaled to nothing is left out.
  const run = (n: number, name: string, attack: (tally: Tally) => Promise<void>) => {
    if (n === 0) return;
    const tally: Tally = { sent: 0, right: 0, wrong: new Map() };
    tallies.set(name, tally);
    attacks.push(attack(tally));
  };
  run(
    scale.flood,
    `WS: ${scale.flood} pending messages on one socket`,
    (tally) => pendingFlood(port, scale.flood, tally),
  );
  run(
    scale.hangUps,
    "WS: 1,000 pending messages, then hang up",
    (tally) => hangUps(port, scale.hangUps, tally),
  );
  run(
    scale.nonReaders,
    "WS: never reads its answers",
    (tally) => nonReaders(port, scale.nonReaders, tally),
  );
  run(
    scale.large,
    `WS: a ${scale.largeMb} MB message`,
    (tally) => tooLarge(port, scale.large, { megabytes: scale.largeMb }, tally),
  );
  run(
    scale.fragmented,
    `WS: a ${scale.fragmentedMib} MiB message in 1 MiB fragments`,
    (tally) => tooLarge(port, scale.fragmented, { fragments: scale.fragmentedMib }, tally),
  );
  run(
    scale.malformed,
    "WS: 5,000 malformed messages",
    (tally) => malformed(port, scale.malformed, tally),
  );
  await Promise.all(attacks);
  return tallies;
}

/**
 * After the round: a fresh socket's 1,000 messages must all be answered, so
 * the pending work of every socket that left was released.
 */
export async function pendingReleased(port: number): Promise<Tally> {
  const tally: Tally = { sent: 0, right: 0, wrong: new Map() };
  const ws = await open(port);
  if (typeof ws === "string") {
    count(tally, false, ws);
    return tally;
  }
  try {
    const bytes = frames("released", 1000, (i) => `{"id":${i},"seconds":0}`);
    await ws.write(bytes);
    let answers = 0;
    const ended = await readTexts(ws, 1000, (text) => {
      if (text.endsWith(`"message":"${MESSAGE}"}`)) answers++;
    });
    count(tally, answers === 1000, ended || `${answers} of 1000 answered`);
  } finally {
    ws.close();
  }
  return tally;
}
