// A WebSocket client over a raw TCP connection, for what a browser-like
// client will not do: never read the answers, send a message in fragments,
// or see the close code a server sends. Used by the tests and the soak.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A frame as it came off the wire (a server's frames are unmasked). */
export interface ServerFrame {
  /** 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
  payload: Uint8Array;
}

/** An open WebSocket over a raw connection. */
export interface RawSocket {
  readonly conn: Deno.TcpConn;
  /** Write frames as they are. */
  write(bytes: Uint8Array): Promise<void>;
  /** Read the next frame; `undefined` once the connection ends. */
  next(): Promise<ServerFrame | undefined>;
  close(): void;
}

/** Open `/ws` (or `path`) on 127.0.0.1:`port` with a plain HTTP/1.1 upgrade. */
export async function openRawSocket(port: number, path = "/ws"): Promise<RawSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(
    conn,
    encoder.encode(
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ),
  );
  // What has been read and not yet parsed: `buffered` from `offset` on.
  let buffered = new Uint8Array(0);
  let offset = 0;
  const buffer = new Uint8Array(64 * 1024);
  const fill = async (): Promise<boolean> => {
    const n = await conn.read(buffer);
    if (n === null) return false;
    buffered = join(buffered.subarray(offset), buffer.subarray(0, n));
    offset = 0;
    return true;
  };
  // The 101 head.
  while (true) {
    const end = indexOfHeadEnd(buffered);
    if (end !== -1) {
      const head = decoder.decode(buffered.subarray(0, end));
      if (!head.startsWith("HTTP/1.1 101")) {
        conn.close();
        throw new Error(`No upgrade: ${head.split("\r\n")[0]}`);
      }
      offset = end + 4;
      break;
    }
    if (!await fill()) throw new Error("Closed before the upgrade");
  }
  return {
    conn,
    write: (bytes) => writeAll(conn, bytes),
    async next() {
      while (true) {
        const frame = parseFrame(buffered, offset);
        if (frame) {
          offset = frame.end;
          return { opcode: frame.opcode, payload: frame.payload };
        }
        try {
          if (!await fill()) return undefined;
        } catch {
          return undefined;
        }
      }
    },
    close() {
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    },
  };
}

/**
 * A client frame: masked (with a zero key, which leaves the payload as it is),
 * `fin` unless it is a fragment that more follow.
 */
export function clientFrame(
  opcode: number,
  payload: Uint8Array | string,
  fin = true,
): Uint8Array<ArrayBuffer> {
  const data = typeof payload === "string" ? encoder.encode(payload) : payload;
  const length = data.length;
  const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = new Uint8Array(2 + extra + 4 + length);
  frame[0] = (fin ? 0x80 : 0) | opcode;
  const view = new DataView(frame.buffer);
  if (extra === 0) frame[1] = 0x80 | length;
  else if (extra === 2) {
    frame[1] = 0x80 | 126;
    view.setUint16(2, length);
  } else {
    frame[1] = 0x80 | 127;
    view.setBigUint64(2, BigInt(length));
  }
  frame.set(data, 2 + extra + 4);
  return frame;
}

/** The close code and reason of a close frame's payload. */
export function closeOf(frame: ServerFrame): { code: number; reason: string } {
  if (frame.payload.length < 2) return { code: 1005, reason: "" };
  const code = (frame.payload[0] << 8) | frame.payload[1];
  return { code, reason: decoder.decode(frame.payload.subarray(2)) };
}

function parseFrame(
  bytes: Uint8Array,
  start: number,
): { opcode: number; payload: Uint8Array; end: number } | undefined {
  if (bytes.length < start + 2) return undefined;
  const opcode = bytes[start] & 0x0f;
  let length = bytes[start + 1] & 0x7f;
  let at = start + 2;
  if (length === 126) {
    if (bytes.length < start + 4) return undefined;
    length = (bytes[start + 2] << 8) | bytes[start + 3];
    at = start + 4;
  } else if (length === 127) {
    if (bytes.length < start + 10) return undefined;
    length = Number(new DataView(bytes.buffer, bytes.byteOffset + start + 2, 8).getBigUint64(0));
    at = start + 10;
  }
  if (bytes.length < at + length) return undefined;
  return { opcode, payload: bytes.slice(at, at + length), end: at + length };
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
