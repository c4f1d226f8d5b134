/**
 * DRF's `CharField` (blank, trim, lengths, no NUL or lone surrogates), with
 * DRF's and Django's messages byte for byte, and Python's way of stripping
 * and counting a string; the fields with a format (`EmailField`, `URLField`,
 * `UUIDField`) are in `formats.ts`.
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

/**
 * Python's `str.strip()`: its whitespace, which differs from `trim()`'s.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pyStrip } from "./strings.ts";
 * assertEquals(pyStrip("\x1c a \u200b"), "a \u200b");
 * ```
 */
export function pyStrip(value: string): string {
  return value.replace(STRIP, "");
}

/**
 * Characters as Python counts them: code points.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { codePoints } from "./strings.ts";
 * assertEquals(codePoints("a😀"), 2);
 * ```
 */
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
