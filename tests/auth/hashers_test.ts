import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { checkPassword, makePassword, PBKDF2_ITERATIONS } from "../../middleware/auth/hashers.ts";

Deno.test("makePassword matches Django 5.2's PBKDF2 hasher (its own test vector)", async () => {
  // Django's tests/auth_tests/test_hashers.py, test_pbkdf2, at 1,000,000 iterations;
  // the same value Python's hashlib.pbkdf2_hmac gives.
  assertEquals(PBKDF2_ITERATIONS, 1_000_000);
  assertEquals(
    await makePassword("lètmein", { salt: "seasalt" }),
    "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
  );
});

Deno.test("checkPassword accepts a hash Django made and refuses any other password", async () => {
  const django = "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=";
  assertEquals(await checkPassword("lètmein", django), true);
  assertEquals(await checkPassword("letmein", django), false);
});

Deno.test("a new hash has a fresh 22-character salt, so equal passwords hash differently", async () => {
  const a = await makePassword("same", { iterations: 1000 });
  const b = await makePassword("same", { iterations: 1000 });
  assertMatch(a, /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
  assertNotEquals(a, b);
  assert(await checkPassword("same", a) && await checkPassword("same", b));
});

Deno.test("an empty password hashes and checks like any other", async () => {
  const encoded = await makePassword("", { iterations: 1000 });
  assertEquals([await checkPassword("", encoded), await checkPassword(" ", encoded)], [
    true,
    false,
  ]);
});

Deno.test("a malformed, foreign or unusable hash never matches", async () => {
  const good = await makePassword("pw", { iterations: 1000, salt: "abc" });
  const [, , , hash] = good.split("$");
  for (
    const encoded of [
      "",
      "!",
      "!pbkdf2_sha256$1000$abc$" + hash,
      "pbkdf2_sha1$1000$abc$" + hash,
      "pbkdf2_sha256$0$abc$" + hash,
      "pbkdf2_sha256$-1$abc$" + hash,
      "pbkdf2_sha256$1e3$abc$" + hash,
      "pbkdf2_sha256$999999999$abc$" + hash,
      "pbkdf2_sha256$1000$$" + hash,
      "pbkdf2_sha256$1000$abc$",
      "pbkdf2_sha256$1000$abc$" + hash + "$x",
      "pbkdf2_sha256$1000$abc$" + hash.slice(1),
    ]
  ) {
    assertEquals(await checkPassword("pw", encoded), false, encoded);
  }
  assertEquals(await checkPassword("pw", good), true);
});
