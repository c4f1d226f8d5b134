import { assertEquals, assertMatch, assertRejects } from "@std/assert";
import { makePassword } from "../../middleware/auth/hashers.ts";
import {
  InvalidUsername,
  UserExists,
  type UserRecord,
  UserStore,
} from "../../middleware/auth/users.ts";

// Few iterations keep the tests fast; the store hashes with whatever it is given.
const ITERATIONS = 1000;

async function store() {
  const kv = await Deno.openKv(":memory:");
  return { kv, users: new UserStore(kv, { iterations: ITERATIONS }) };
}

async function everythingIn(kv: Deno.Kv): Promise<string> {
  const entries = [];
  for await (const entry of kv.list({ prefix: [] })) entries.push(entry);
  return JSON.stringify(entries.map(({ key, value }) => ({ key, value })));
}

Deno.test("create() keeps the password's Django hash, never the password", async () => {
  const { kv, users } = await store();
  const made = await users.create({ username: "ada", password: "correct horse battery" });
  assertMatch(made.password, /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$/);
  assertEquals([made.isStaff, made.isActive], [false, true]);
  const stored = await users.get("ada");
  assertEquals(stored, made);
  assertEquals((await everythingIn(kv)).includes("correct horse"), false);
  kv.close();
});

Deno.test("create() refuses a name that is taken, even by two creates at once", async () => {
  const { kv, users } = await store();
  const results = await Promise.allSettled(
    [1, 2, 3].map((n) => users.create({ username: "ada", password: `pw${n}` })),
  );
  assertEquals(results.filter((r) => r.status === "fulfilled").length, 1);
  for (const result of results.filter((r) => r.status === "rejected")) {
    const reason = (result as PromiseRejectedResult).reason;
    assertEquals(reason instanceof UserExists, true);
    assertEquals(reason.message, "That username is already taken.");
  }
  kv.close();
});

Deno.test("create() refuses names Django's validator refuses, with Django's messages", async () => {
  const { kv, users } = await store();
  const invalid =
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";
  for (
    const [name, message] of [
      ["", "This field cannot be blank."],
      ["has space", invalid],
      ["semi;colon", invalid],
      ["a".repeat(151), "Ensure this value has at most 150 characters (it has 151)."],
    ]
  ) {
    const error = await assertRejects(
      () => users.create({ username: name, password: "x" }),
      InvalidUsername,
    );
    assertEquals(error.message, message);
  }
  for (const name of ["a.b@c+d-e_f", "Zoë", "李", "a".repeat(150)]) {
    assertEquals((await users.create({ username: name, password: "x" })).username, name);
  }
  kv.close();
});

Deno.test("create() NFKC-normalises the name, as Django's normalize_username", async () => {
  const { kv, users } = await store();
  const made = await users.create({ username: "ﬁne", password: "x" }); // the fi ligature
  assertEquals(made.username, "fine");
  await assertRejects(() => users.create({ username: "fine", password: "y" }), UserExists);
  kv.close();
});

Deno.test("authenticate(): the right password, or null for a wrong one, an unknown name or an inactive user", async () => {
  const { kv, users } = await store();
  await users.create({ username: "ada", password: "pw" });
  await users.create({ username: "bob", password: "pw", isActive: false });
  assertEquals((await users.authenticate("ada", "pw"))?.username, "ada");
  assertEquals(await users.authenticate("ada", "PW"), null);
  assertEquals(await users.authenticate("Ada", "pw"), null); // names are case-sensitive
  assertEquals(await users.authenticate("nobody", "pw"), null);
  assertEquals(await users.authenticate("bob", "pw"), null);
  assertEquals(await users.setActive("bob", true), true);
  assertEquals((await users.authenticate("bob", "pw"))?.username, "bob");
  assertEquals(await users.setActive("nobody", true), false);
  kv.close();
});

Deno.test("authenticate() re-hashes a password stored with another iteration count", async () => {
  const { kv, users } = await store();
  const old: UserRecord = {
    username: "old",
    password: await makePassword("pw", { iterations: 10 }),
    isStaff: false,
    isActive: true,
    dateJoined: new Date(0).toISOString(),
  };
  await kv.set(["auth_user", "old"], old);
  assertEquals((await users.authenticate("old", "pw"))?.username, "old");
  assertMatch((await users.get("old"))!.password, /^pbkdf2_sha256\$1000\$/);
  assertEquals((await users.authenticate("old", "pw"))?.username, "old");
  kv.close();
});
