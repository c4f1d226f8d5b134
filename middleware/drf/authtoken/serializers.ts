/**
 * DRF's `AuthTokenSerializer`, written out: `username` and `password` as
 * DRF 3.14's `CharField`s (the username trimmed, the password not), with
 * DRF's messages and error shape.
 *
 * @module
 */

import { ValidationError } from "../exceptions.ts";
import { pythonType } from "../fields/errors.ts";

/** Valid credentials, not yet checked against the users. */
export interface Credentials {
  /** The name, trimmed of whitespace. */
  readonly username: string;
  /** The password as sent. */
  readonly password: string;
}

// Python's str.strip() whitespace (str.isspace), which differs from JS's trim().
const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/**
 * Validate a body as DRF's `AuthTokenSerializer` does before it authenticates:
 * every field's errors at once, in field order, as a 400.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { ValidationError } from "../exceptions.ts";
 * import { validateCredentials } from "./serializers.ts";
 * assertEquals(validateCredentials({ username: " ada ", password: " pw " }), { username: "ada", password: " pw " });
 * const error = assertThrows(() => validateCredentials({ password: "" }), ValidationError);
 * assertEquals(error.data, {
 *   username: ["This field is required."],
 *   password: ["This field may not be blank."],
 * });
 * ```
 */
export function validateCredentials(data: unknown): Credentials {
  if (typeof data !== "object" || data === null || Array.isArray(data) || data instanceof File) {
    throw new ValidationError({
      non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(data)}.`],
    });
  }
  const body = data as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const username = charField(body, "username", true, errors);
  const password = charField(body, "password", false, errors);
  if (username === undefined || password === undefined) throw new ValidationError(errors);
  return { username, password };
}

// DRF 3.14's CharField(allow_blank=False, allow_null=False) run_validation.
function charField(
  body: Record<string, unknown>,
  name: string,
  trim: boolean,
  errors: Record<string, string[]>,
): string | undefined {
  const fail = (message: string) => (errors[name] = [message], undefined);
  if (!Object.hasOwn(body, name)) return fail("This field is required.");
  const value = body[name];
  if (value === null) return fail("This field may not be null.");
  const text = typeof value === "string" || typeof value === "number" ? String(value) : undefined;
  if (value === "" || (trim && text !== undefined && text.replace(STRIP, "") === "")) {
    return fail("This field may not be blank.");
  }
  if (text === undefined) return fail("Not a valid string.");
  const result = trim ? text.replace(STRIP, "") : text;
  if (result.includes("\0")) return fail("Null characters are not allowed.");
  const surrogate = /\p{Cs}/u.exec(result);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return fail(`Surrogate characters are not allowed: U+${code}.`);
  }
  return result;
}
