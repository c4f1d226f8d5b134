/**
 * DRF's string fields: `CharField` (blank, trim, lengths, no NUL or lone
 * surrogates), `EmailField`, `URLField` and `UUIDField`, with DRF's and
 * Django's messages byte for byte.
 *
 * @module
 */

import {
  Field,
  type FieldFlags,
  type FieldInfo,
  type FieldOptions,
  type JsonSchema,
  type Mode,
  type Outcome,
} from "./field.ts";

/** Options of a {@linkcode CharField}. */
export interface CharOptions extends FieldOptions<string> {
  /** `""` is a value (DRF's `allow_blank`); otherwise "This field may not be blank." */
  readonly allowBlank?: boolean;
  /** Strip leading and trailing whitespace (DRF's `trim_whitespace`, on by default). */
  readonly trimWhitespace?: boolean;
  /** The most characters (code points, as Python counts). */
  readonly maxLength?: number;
  /** The fewest characters. */
  readonly minLength?: number;
}

// Python's str.strip() whitespace, which differs from JavaScript's trim().
const PY_SPACE =
  "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Python's `str.strip()`. */
export function pyStrip(value: string): string {
  return value.replace(STRIP, "");
}

/** Characters as Python counts them: code points. */
export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * DRF's `CharField`: strings, and numbers made strings; blank and length
 * rules; `type` "string" in OPTIONS.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { CharField } from "./strings.ts";
 * assertEquals(new CharField().runValidation("  "), { ok: false, errors: ["This field may not be blank."] });
 * assertEquals(new CharField().runValidation(" a "), { ok: true, value: "a" });
 * ```
 */
export class CharField<T extends string | null = string, F extends FieldFlags = FieldFlags>
  extends Field<T, T, F> {
  /** The OPTIONS type. */
  readonly type: string = "string";
  /** `""` is a value. */
  readonly allowBlank: boolean;
  /** Whitespace is stripped. */
  readonly trimWhitespace: boolean;
  /** The most characters. */
  readonly maxLength: number | undefined;
  /** The fewest characters. */
  readonly minLength: number | undefined;

  /** Make a string field. */
  constructor(options: CharOptions = {}) {
    super(options as unknown as FieldOptions<T>);
    this.allowBlank = options.allowBlank ?? false;
    this.trimWhitespace = options.trimWhitespace ?? true;
    this.maxLength = options.maxLength;
    this.minLength = options.minLength;
  }

  /** DRF's `CharField.run_validation`: blank is decided before anything else. */
  override runValidation(data: unknown, mode: Mode = "create"): Outcome<T | null> {
    if (
      !this.readOnly && (data === "" ||
        (this.trimWhitespace && typeof data === "string" && pyStrip(data) === ""))
    ) {
      return this.allowBlank ? { ok: true, value: "" as T } : {
        ok: false,
        errors: ["This field may not be blank."],
      };
    }
    return super.runValidation(data, mode);
  }

  /** Strings, and numbers made strings; anything else is "Not a valid string." */
  toInternal(data: unknown): Outcome<T> {
    if (typeof data !== "string" && typeof data !== "number") {
      return { ok: false, errors: [this.invalid] };
    }
    const value = String(data);
    return { ok: true, value: (this.trimWhitespace ? pyStrip(value) : value) as T };
  }

  /** The message for a value of the wrong type. */
  protected get invalid(): string {
    return "Not a valid string.";
  }

  /** The string. */
  toRepresentation(value: T): T {
    return value;
  }

  protected override check(value: T): string[] {
    const messages: string[] = [];
    const length = this.maxLength !== undefined || this.minLength !== undefined
      ? codePoints(value!)
      : 0;
    if (this.maxLength !== undefined && length > this.maxLength) {
      messages.push(`Ensure this field has no more than ${this.maxLength} characters.`);
    }
    if (this.minLength !== undefined && length < this.minLength) {
      messages.push(`Ensure this field has at least ${this.minLength} characters.`);
    }
    if (value!.includes("\0")) messages.push("Null characters are not allowed.");
    const surrogate = LONE_SURROGATE.exec(value!);
    if (surrogate) {
      const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
      messages.push(`Surrogate characters are not allowed: U+${code}.`);
    }
    // A format's validator comes after CharField's own, as DRF appends it.
    messages.push(...this.checkFormat(value!));
    return messages;
  }

  /** The format's own check (email, URL), as messages. */
  protected checkFormat(_value: string): string[] {
    return [];
  }

  protected schema(): JsonSchema {
    const schema: JsonSchema = { type: "string" };
    if (this.maxLength !== undefined) schema.maxLength = this.maxLength;
    const min = this.minLength ?? (this.allowBlank ? undefined : 1);
    if (min !== undefined) schema.minLength = min;
    return schema;
  }

  protected override extraInfo(): FieldInfo {
    const info: FieldInfo = {};
    if (this.minLength !== undefined) info.min_length = this.minLength;
    if (this.maxLength !== undefined) info.max_length = this.maxLength;
    return info;
  }
}

// Django's EmailValidator: a dot-atom or quoted user part, a domain of labels
// with a TLD of letters, `localhost`, or a bracketed IP literal.
const EMAIL_USER =
  // deno-lint-ignore no-control-regex
  /^([-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*|"([\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0d-\x7f])*")$/i;
const EMAIL_DOMAIN = /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)(?:[a-z0-9-]{2,63}(?<!-))$/i;
const EMAIL_LITERAL = /^\[([a-f0-9:.]+)\]$/i;

/** DRF's `EmailField`: "Enter a valid email address." */
export class EmailField<T extends string | null = string, F extends FieldFlags = FieldFlags>
  extends CharField<T, F> {
  override readonly type: string = "email";

  protected override checkFormat(value: string): string[] {
    const at = value.lastIndexOf("@");
    const user = value.slice(0, at);
    const domain = value.slice(at + 1);
    const valid = at > 0 && value.length <= 320 && EMAIL_USER.test(user) &&
      (domain === "localhost" || EMAIL_DOMAIN.test(domain) || EMAIL_LITERAL.test(domain));
    return valid ? [] : ["Enter a valid email address."];
  }

  protected override schema(): JsonSchema {
    return { ...super.schema(), format: "email" };
  }
}

// Django's URLValidator, for http, https, ftp and ftps: a host name with a
// TLD, localhost, an IPv4 or bracketed IPv6 address; an optional port; no
// whitespace anywhere.
const URL_PATTERN = new RegExp(
  "^(?:https?|ftps?)://(?:[^\\s:@/]+(?::[^\\s:@/]*)?@)?" +
    "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}" +
    "|\\[[0-9a-f:.]+\\]" +
    "|(?:[a-z\\u00a1-\\uffff0-9](?:[a-z\\u00a1-\\uffff0-9-]{0,61}[a-z\\u00a1-\\uffff0-9])?)" +
    "(?:\\.(?!-)[a-z\\u00a1-\\uffff0-9-]{1,63}(?<!-))*\\.(?!-)(?:[a-z\\u00a1-\\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?" +
    "|localhost)(?::\\d{1,5})?(?:[/?#][^\\s]*)?$",
  "i",
);

/** DRF's `URLField`: "Enter a valid URL." */
export class UrlField<T extends string | null = string, F extends FieldFlags = FieldFlags>
  extends CharField<T, F> {
  override readonly type: string = "url";

  protected override checkFormat(value: string): string[] {
    return value.length <= 2048 && URL_PATTERN.test(value) ? [] : ["Enter a valid URL."];
  }

  protected override schema(): JsonSchema {
    return { ...super.schema(), format: "uri" };
  }
}

/**
 * DRF's `UUIDField`: what Python's `uuid.UUID(hex=...)` takes (hyphens,
 * braces and a `urn:uuid:` prefix allowed) or an integer below 2^128, shown
 * as the lower-case hyphenated form; "Must be a valid UUID."
 */
export class UuidField<T extends string | null = string, F extends FieldFlags = FieldFlags>
  extends Field<T, T, F> {
  /** The OPTIONS type (DRF lists UUIDs as strings). */
  readonly type: string = "string";

  /** The canonical form, or "Must be a valid UUID." */
  toInternal(data: unknown): Outcome<T> {
    let hex: string | undefined;
    if (typeof data === "string") {
      hex = data.replace(/^urn:/, "").replace(/^uuid:/, "").replace(/^{|}$/g, "").replaceAll(
        "-",
        "",
      );
    } else if (typeof data === "number" && Number.isSafeInteger(data) && data >= 0) {
      hex = data.toString(16).padStart(32, "0");
    }
    if (hex === undefined || !/^[0-9a-fA-F]{32}$/.test(hex)) {
      return { ok: false, errors: ["Must be a valid UUID."] };
    }
    hex = hex.toLowerCase();
    const value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${
      hex.slice(16, 20)
    }-${hex.slice(20)}`;
    return { ok: true, value: value as T };
  }

  /** The string. */
  toRepresentation(value: T): T {
    return value;
  }

  protected schema(): JsonSchema {
    return { type: "string", format: "uuid" };
  }
}
