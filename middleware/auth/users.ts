/**
 * Users, after Django's `django.contrib.auth`: a record per username in Deno
 * KV (`["auth_user", username]`) holding the password's hash (never the
 * password), whether the user is staff and whether the account is active, and
 * `authenticate()` as Django's `ModelBackend` answers it.
 *
 * @module
 */

import { checkPassword, hashForNothing, makePassword, PBKDF2_ITERATIONS } from "./hashers.ts";

/** A user as stored, as Django's `User` model (the fields this service uses). */
export interface UserRecord {
  /** The name the user logs in with (Django's `username`, case-sensitive). */
  readonly username: string;
  /** The password's hash, `pbkdf2_sha256$...` (Django's `password`). */
  readonly password: string;
  /** Django's `is_staff`: what `IsAdminUser` asks. */
  readonly isStaff: boolean;
  /** Django's `is_active`: an inactive user cannot log in. */
  readonly isActive: boolean;
  /** When the user was made, ISO 8601 (Django's `date_joined`). */
  readonly dateJoined: string;
}

/** What {@linkcode UserStore.create} takes. */
export interface NewUser {
  /** The name, as Django's `UnicodeUsernameValidator` allows it. */
  username: string;
  /** The password in clear; only its hash is kept. */
  password: string;
  /** Staff (`IsAdminUser`); `false` by default. */
  isStaff?: boolean;
  /** Active; `true` by default. */
  isActive?: boolean;
}

/**
 * The name is taken: Django's "That username is already taken."
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UserExists } from "./users.ts";
 * assertEquals(new UserExists("ada").message, "That username is already taken.");
 * ```
 */
export class UserExists extends Error {
  /** Make the error for a name. */
  constructor(readonly username: string) {
    super("That username is already taken.");
    this.name = "UserExists";
  }
}

/**
 * The name is not one Django would take; the message is Django's.
 *
 * @example
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { InvalidUsername, UserStore } from "./users.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * await assertRejects(() => users.create({ username: "a b", password: "x" }), InvalidUsername);
 * ```
 */
export class InvalidUsername extends Error {
  /** Make the error with Django's message. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidUsername";
  }
}

/**
 * The KV key of a user's record, for stores that read it together with their
 * own entries in one `getMany`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { userKey } from "./users.ts";
 * assertEquals(userKey("ada"), ["auth_user", "ada"]);
 * ```
 */
export function userKey(username: string): Deno.KvKey {
  return ["auth_user", username];
}

const MAX_USERNAME = 150;
// Django's UnicodeUsernameValidator, `^[\w.@+-]+\Z` (Python's \w: letters, digits, _).
const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u;

/**
 * The users of one Deno KV store.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UserStore } from "./users.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const users = new UserStore(kv, { iterations: 1000 });
 * await users.create({ username: "ada", password: "correct horse" });
 * assertEquals((await users.authenticate("ada", "correct horse"))?.username, "ada");
 * assertEquals(await users.authenticate("ada", "wrong"), null);
 * ```
 */
export class UserStore {
  readonly #kv: Deno.Kv;
  readonly #iterations: number;

  /**
   * Users over `kv`; new passwords are hashed with `iterations` (Django
   * 5.2's 1,000,000 by default; tests pass fewer to run fast).
   */
  constructor(kv: Deno.Kv, options: { iterations?: number } = {}) {
    this.#kv = kv;
    this.#iterations = options.iterations ?? PBKDF2_ITERATIONS;
  }

  /**
   * Make a user, as Django's `create_user`: the name NFKC-normalised and
   * validated, the password hashed. Rejects with {@linkcode UserExists} when
   * the name is taken (checked in the same atomic commit as the write) and
   * {@linkcode InvalidUsername} for a name Django would refuse.
   */
  async create(user: NewUser): Promise<UserRecord> {
    const username = validUsername(user.username);
    const record: UserRecord = {
      username,
      password: await makePassword(user.password, { iterations: this.#iterations }),
      isStaff: user.isStaff ?? false,
      isActive: user.isActive ?? true,
      dateJoined: new Date().toISOString(),
    };
    const key = userKey(username);
    const result = await this.#kv.atomic().check({ key, versionstamp: null }).set(key, record)
      .commit();
    if (!result.ok) throw new UserExists(username);
    return record;
  }

  /** The user of a name, or `null`. */
  async get(username: string): Promise<UserRecord | null> {
    return (await this.#kv.get<UserRecord>(userKey(username))).value;
  }

  /** Make a user active or not (Django's `is_active`); `false` when there is no such user. */
  async setActive(username: string, isActive: boolean): Promise<boolean> {
    const entry = await this.#kv.get<UserRecord>(userKey(username));
    if (!entry.value) return false;
    const result = await this.#kv.atomic().check(entry)
      .set(entry.key, { ...entry.value, isActive }).commit();
    return result.ok;
  }

  /**
   * The user these credentials stand for, or `null`, as Django's
   * `authenticate()` with its `ModelBackend`: an unknown name costs the same
   * hashing as a known one, and an inactive user is `null` even with the
   * right password. A hash made with another iteration count than the
   * store's is made again on a successful login (Django's `must_update`).
   */
  async authenticate(username: string, password: string): Promise<UserRecord | null> {
    const entry = await this.#kv.get<UserRecord>(userKey(username));
    const user = entry.value;
    if (!user) return hashForNothing(password, this.#iterations).then(() => null);
    if (!await checkPassword(password, user.password)) return null;
    if (Number(user.password.split("$")[1]) !== this.#iterations) {
      const rehashed = {
        ...user,
        password: await makePassword(password, { iterations: this.#iterations }),
      };
      // Only if nobody changed the record meanwhile; a lost race keeps the old hash.
      await this.#kv.atomic().check(entry).set(entry.key, rehashed).commit();
    }
    return user.isActive ? user : null;
  }
}

function validUsername(name: string): string {
  const username = name.normalize("NFKC");
  if (username === "") throw new InvalidUsername("This field cannot be blank.");
  const length = [...username].length; // Python counts code points
  if (length > MAX_USERNAME) {
    throw new InvalidUsername(
      `Ensure this value has at most ${MAX_USERNAME} characters (it has ${length}).`,
    );
  }
  if (!USERNAME.test(username)) {
    throw new InvalidUsername(
      "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
    );
  }
  return username;
}
