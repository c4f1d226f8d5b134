import { assertEquals } from "@std/assert";
import { type CommandIo, createUserCommand } from "../../middleware/auth/createuser.ts";
import { UserStore } from "../../middleware/auth/users.ts";

interface Run {
  status: number;
  out: string[];
  err: string[];
  prompts: string[];
  users: UserStore;
  unread: string;
}

// The command over in-memory users, with stdin as a stream of `input` (or a
// terminal answering `typed` to each prompt).
async function run(
  args: string[],
  input: string | Uint8Array[],
  options: { typed?: (string | null)[]; users?: UserStore } = {},
): Promise<Run> {
  const users = options.users ?? new UserStore(await Deno.openKv(":memory:"), { iterations: 1000 });
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const typed = [...options.typed ?? []];
  const chunks = typeof input === "string" ? [new TextEncoder().encode(input)] : input;
  let pulled = 0;
  const stdin = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled < chunks.length) controller.enqueue(chunks[pulled++]);
      else controller.close();
    },
  }, { highWaterMark: 0 }); // pulled only when read, so what was never read shows
  const io: CommandIo = {
    stdin,
    isTerminal: options.typed !== undefined,
    promptSecret: (message) => (prompts.push(message), typed.length ? typed.shift()! : null),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  const status = await createUserCommand(args, users, io);
  const unread = chunks.slice(pulled).map((c) => new TextDecoder().decode(c)).join("");
  return { status, out, err, prompts, users, unread };
}

Deno.test("createuser NAME reads the password from the first line of a piped stdin", async () => {
  const { status, out, err, users } = await run(["ada"], "correct horse\nsecond line\n");
  assertEquals([status, out, err], [0, ["User ada created."], []]);
  assertEquals((await users.authenticate("ada", "correct horse"))?.isStaff, false);
  assertEquals(await users.authenticate("ada", "correct horse\nsecond line"), null);
});

Deno.test("createuser takes a last line without a newline, and drops a CR", async () => {
  const lf = await run(["ada"], "no newline");
  assertEquals((await lf.users.authenticate("ada", "no newline"))?.username, "ada");
  const crlf = await run(["ada"], "windows\r\n");
  assertEquals((await crlf.users.authenticate("ada", "windows"))?.username, "ada");
});

Deno.test("createuser reads the first line across chunks and no further", async () => {
  const chunks = ["pass", "word\nnext", "\nmore\n"].map((s) => new TextEncoder().encode(s));
  const { status, users, unread } = await run(["ada"], chunks);
  assertEquals(status, 0);
  assertEquals((await users.authenticate("ada", "password"))?.username, "ada");
  assertEquals(unread, "\nmore\n");
});

Deno.test("createuser NAME --staff makes a staff user", async () => {
  for (const args of [["grace", "--staff"], ["--staff", "grace"]]) {
    const { status, out, users } = await run(args, "pw\n");
    assertEquals([status, out], [0, ["Staff user grace created."]]);
    assertEquals((await users.get("grace"))?.isStaff, true);
  }
});

Deno.test("an existing name is a clear error with exit status 1, and its password is not read", async () => {
  const first = await run(["ada"], "pw\n");
  const second = await run(["ada"], "other\n", { users: first.users });
  assertEquals([second.status, second.out, second.err], [1, [], [
    "Error: That username is already taken.",
  ]]);
  assertEquals(second.unread, "other\n");
  assertEquals((await first.users.authenticate("ada", "pw"))?.username, "ada");
});

Deno.test("a blank password, an invalid name or a bad line is refused with status 1", async () => {
  const cases: [string[], string, string][] = [
    [["ada"], "\n", "Error: Blank passwords aren't allowed."],
    [["ada"], "", "Error: Blank passwords aren't allowed."],
    [["ada"], "\r\n", "Error: Blank passwords aren't allowed."],
    [["ada"], "x".repeat(5000), "Error: The password line is too long."],
    [
      ["no spaces"],
      "pw\n",
      "Error: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
    ],
  ];
  for (const [args, input, message] of cases) {
    const { status, out, err, users } = await run(args, input);
    assertEquals([status, out, err], [1, [], [message]], JSON.stringify(input.slice(0, 10)));
    assertEquals(await users.get(args[0]), null);
  }
  const invalidUtf8 = await run(["ada"], [new Uint8Array([0xff, 0x0a])]);
  assertEquals([invalidUtf8.status, invalidUtf8.err], [1, [
    "Error: The password is not valid UTF-8.",
  ]]);
});

Deno.test("wrong arguments print the usage with status 2", async () => {
  for (const args of [[], ["a", "b"], ["--staff"], ["--admin"]]) {
    const { status, err } = await run(args, "pw\n");
    assertEquals(
      [status, err],
      [2, ["Usage: deno task createuser NAME [--staff]"]],
      args.join(" "),
    );
  }
});

Deno.test("on a terminal, the password is asked twice without echo, until both agree", async () => {
  const { status, prompts, err, users } = await run(["ada"], "", {
    typed: ["one", "two", "", "", "pw", "pw"],
  });
  assertEquals(status, 0);
  assertEquals(prompts, [
    "Password:",
    "Password (again):",
    "Password:",
    "Password (again):",
    "Password:",
    "Password (again):",
  ]);
  assertEquals(err, [
    "Error: Your passwords didn't match.",
    "Error: Blank passwords aren't allowed.",
  ]);
  assertEquals((await users.authenticate("ada", "pw"))?.username, "ada");
});

Deno.test("on a terminal, giving up (end of input or three mismatches) is status 1", async () => {
  const ended = await run(["ada"], "", { typed: [null] });
  assertEquals([ended.status, ended.err], [1, ["Error: No password given."]]);
  const mismatched = await run(["ada"], "", { typed: ["a", "b", "a", "b", "a", "b"] });
  assertEquals(mismatched.status, 1);
  assertEquals(mismatched.err.at(-1), "Error: No password after 3 attempts.");
  assertEquals(await mismatched.users.get("ada"), null);
});

Deno.test("the password is never printed", async () => {
  for (const input of ["hunter2-secret\n", "\n"]) {
    const { out, err } = await run(["ada"], input);
    assertEquals([...out, ...err].some((line) => line.includes("hunter2")), false);
  }
});

Deno.test("the createuser task may read KV_PATH and read and write data/, nothing else", async () => {
  const { default: config } = await import("../../deno.json", { with: { type: "json" } });
  const task: string = config.tasks.createuser;
  const flags = task.split(/\s+/).filter((word) => word.startsWith("-"));
  assertEquals(flags.toSorted(), [
    "--allow-env=KV_PATH",
    "--allow-read=data",
    "--allow-write=data",
  ]);
  assertEquals(task.endsWith("main.ts createuser"), true);
});
