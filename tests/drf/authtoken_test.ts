import { assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { encodeHex } from "@std/encoding/hex";
import { makePassword } from "../../middleware/auth/hashers.ts";
import { UserStore } from "../../middleware/auth/users.ts";
import { TokenStore } from "../../middleware/drf/authtoken/models.ts";
import { type SealedKey, unseal } from "../../middleware/drf/authtoken/_sealed_key.ts";

const ITERATIONS = 1000;

async function stores() {
  const kv = await Deno.openKv(":memory:");
  const users = new UserStore(kv, { iterations: ITERATIONS });
  const tokens = new TokenStore(kv, { iterations: ITERATIONS });
  await users.create({ username: "ada", password: "pw" });
  return { kv, users, tokens };
}

async function dump(kv: Deno.Kv): Promise<string> {
  const entries = [];
  for await (const { key, value } of kv.list({ prefix: [] })) entries.push({ key, value });
  return JSON.stringify(entries);
}

Deno.test("a token is 40 hex characters, made on first use, the same one after", async () => {
  const { kv, tokens } = await stores();
  const first = await tokens.getOrCreate("ada", "pw");
  assertMatch(first.key, /^[0-9a-f]{40}$/);
  assertEquals(first.created, true);
  const again = await tokens.getOrCreate("ada", "pw");
  assertEquals(again, { key: first.key, created: false });
  kv.close();
});

Deno.test("the store keeps the key's SHA-256 digest and never the key itself", async () => {
  const { kv, tokens } = await stores();
  const { key } = await tokens.getOrCreate("ada", "pw");
  const digest = encodeHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  assertEquals((await kv.get(["authtoken_user", "ada"])).value, digest);
  assertEquals((await kv.get(["authtoken_token", digest])).value !== null, true);
  const everything = await dump(kv);
  assertEquals(everything.includes(key), false);
  assertEquals(everything.includes(key.toUpperCase()), false);
  kv.close();
});

Deno.test("the sealed copy of the key opens with the owner's password only, for its own record", async () => {
  const { kv, tokens } = await stores();
  const { key } = await tokens.getOrCreate("ada", "pw");
  const digest = (await kv.get<string>(["authtoken_user", "ada"])).value!;
  const record = (await kv.get<{ sealed: SealedKey }>(["authtoken_token", digest])).value!;
  const context = `authtoken\0ada\0${digest}`;
  assertEquals(await unseal(record.sealed, "pw", context), key);
  assertEquals(await unseal(record.sealed, "PW", context), null);
  assertEquals(await unseal(record.sealed, "pw", `authtoken\0bob\0${digest}`), null);
  kv.close();
});

Deno.test("lookup() finds a token's owner by its key, and nothing for any other key", async () => {
  const { kv, tokens } = await stores();
  const { key } = await tokens.getOrCreate("ada", "pw");
  const match = await tokens.lookup(key);
  assertEquals(match?.user?.username, "ada");
  assertEquals(match?.token.username, "ada");
  assertEquals(Object.values(match!.token).includes(key), false);
  for (const other of [key.toUpperCase(), key.slice(1), `${key}0`, "", "x".repeat(40)]) {
    assertEquals(await tokens.lookup(other), null, other);
  }
  kv.close();
});

Deno.test("when the sealed key no longer opens (password changed), the token is replaced", async () => {
  const { kv, tokens } = await stores();
  const { key: old } = await tokens.getOrCreate("ada", "pw");
  const user = (await kv.get<Record<string, unknown>>(["auth_user", "ada"])).value!;
  await kv.set(["auth_user", "ada"], {
    ...user,
    password: await makePassword("new", { iterations: ITERATIONS }),
  });
  const fresh = await tokens.getOrCreate("ada", "new");
  assertEquals(fresh.created, true);
  assertNotEquals(fresh.key, old);
  assertEquals(await tokens.lookup(old), null);
  assertEquals((await tokens.lookup(fresh.key))?.user?.username, "ada");
  assertEquals((await tokens.getOrCreate("ada", "new")).key, fresh.key);
  kv.close();
});

Deno.test("two first logins at once get the same one token", async () => {
  const { kv, tokens } = await stores();
  const results = await Promise.all([1, 2, 3, 4].map(() => tokens.getOrCreate("ada", "pw")));
  assertEquals(new Set(results.map((r) => r.key)).size, 1);
  assertEquals(results.filter((r) => r.created).length, 1);
  let count = 0;
  for await (const _ of kv.list({ prefix: ["authtoken_token"] })) count++;
  assertEquals(count, 1);
  kv.close();
});

Deno.test("the token of a user who is gone has no owner", async () => {
  const { kv, tokens } = await stores();
  const { key } = await tokens.getOrCreate("ada", "pw");
  await kv.delete(["auth_user", "ada"]);
  const match = await tokens.lookup(key);
  assertEquals([match?.token.username, match?.user], ["ada", null]);
  kv.close();
});
