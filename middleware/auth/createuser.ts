/**
 * `deno task createuser NAME [--staff]`, after Django's `createsuperuser`:
 * makes a user in the service's KV store. The password is the first line of
 * standard input when it is not a terminal (`echo "$PW" | deno task
 * createuser ada`), else it is asked for twice without echo. It is never
 * printed or logged.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { promptSecret } from "@std/cli/prompt-secret";
import { InvalidUsername, UserExists, type UserStore } from "./users.ts";

/** Where the command reads and writes: the process's, or a test's. */
export interface CommandIo {
  /** Standard input. */
  readonly stdin: ReadableStream<Uint8Array>;
  /** Whether standard input is a terminal (then the password is prompted for). */
  readonly isTerminal: boolean;
  /** Ask for a secret without echo; `null` at the end of input. */
  promptSecret(message: string): string | null;
  /** Print a line to standard output. */
  out(line: string): void;
  /** Print a line to standard error. */
  err(line: string): void;
}

const USAGE = "Usage: deno task createuser NAME [--staff]";
// A password line longer than this is not a password: refuse it rather than buffer it.
const MAX_LINE_BYTES = 4096;
const PROMPTS = 3;

/**
 * Run the command: 0 when the user was made, 1 when it was refused (a name
 * taken or invalid, a blank password, passwords that did not match), 2 for
 * wrong arguments.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UserStore } from "./users.ts";
 * import { createUserCommand } from "./createuser.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * const lines: string[] = [];
 * const io = {
 *   stdin: ReadableStream.from([new TextEncoder().encode("s3cret\n")]),
 *   isTerminal: false,
 *   promptSecret: () => null,
 *   out: (line: string) => lines.push(line),
 *   err: (line: string) => lines.push(line),
 * };
 * assertEquals(await createUserCommand(["ada"], users, io), 0);
 * assertEquals(lines, ["User ada created."]);
 * assertEquals((await users.authenticate("ada", "s3cret"))?.username, "ada");
 * ```
 */
export async function createUserCommand(
  args: readonly string[],
  users: UserStore,
  io: CommandIo,
): Promise<number> {
  const staff = args.includes("--staff");
  const names = args.filter((arg) => arg !== "--staff");
  if (names.length !== 1 || names[0].startsWith("-")) {
    io.err(USAGE);
    return 2;
  }
  const [username] = names;
  // Checked before asking, so nobody types a password for a name that is taken.
  if (await users.get(username.normalize("NFKC"))) {
    io.err(`Error: ${new UserExists(username).message}`);
    return 1;
  }
  const password = io.isTerminal ? askTwice(io) : await firstLine(io.stdin);
  if (password instanceof Error) {
    io.err(`Error: ${password.message}`);
    return 1;
  }
  try {
    await users.create({ username, password, isStaff: staff });
  } catch (error) {
    if (!(error instanceof UserExists || error instanceof InvalidUsername)) throw error;
    io.err(`Error: ${error.message}`);
    return 1;
  }
  io.out(`${staff ? "Staff user" : "User"} ${username.normalize("NFKC")} created.`);
  return 0;
}

// Django's interactive prompt: twice, until both agree and are not blank.
function askTwice(io: CommandIo): string | Error {
  for (let attempt = 0; attempt < PROMPTS; attempt++) {
    const password = io.promptSecret("Password:");
    if (password === null) return new Error("No password given.");
    const again = io.promptSecret("Password (again):");
    if (password !== again) io.err("Error: Your passwords didn't match.");
    else if (password === "") io.err("Error: Blank passwords aren't allowed.");
    else return password;
  }
  return new Error(`No password after ${PROMPTS} attempts.`);
}

// The first line of the stream (without its line ending), read no further.
async function firstLine(stdin: ReadableStream<Uint8Array>): Promise<string | Error> {
  const reader = stdin.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const end = value.indexOf(0x0a);
      chunks.push(end === -1 ? value : value.subarray(0, end));
      size += end === -1 ? value.length : end;
      if (size > MAX_LINE_BYTES) return new Error("The password line is too long.");
      if (end !== -1) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  let line: string;
  try {
    line = new TextDecoder("utf-8", { fatal: true }).decode(concat(chunks));
  } catch {
    return new Error("The password is not valid UTF-8.");
  }
  if (line.endsWith("\r")) line = line.slice(0, -1);
  return line === "" ? new Error("Blank passwords aren't allowed.") : line;
}

/**
 * The process's own standard input and output, for `main.ts createuser`.
 * The prompt echoes nothing, as Django's `getpass`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { processIo } from "./createuser.ts";
 * assertEquals(processIo().isTerminal, Deno.stdin.isTerminal());
 * ```
 */
export function processIo(): CommandIo {
  const encoder = new TextEncoder();
  return {
    stdin: Deno.stdin.readable,
    isTerminal: Deno.stdin.isTerminal(),
    promptSecret: (message) => promptSecret(message, { mask: "" }),
    out: (line) => Deno.stdout.writeSync(encoder.encode(`${line}\n`)),
    err: (line) => Deno.stderr.writeSync(encoder.encode(`${line}\n`)),
  };
}
