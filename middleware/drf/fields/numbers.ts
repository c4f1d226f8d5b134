/**
 * DRF's `IntegerField`, `FloatField` and `BooleanField`: what Python's
 * `int()`, `float()` and DRF's true/false sets take, with DRF's messages.
 *
 * @module
 */

import {
  Field,
  type FieldFlags,
  type FieldInfo,
  type FieldOptions,
  type JsonSchema,
  type Outcome,
} from "./field.ts";

/** Options of the number fields. */
export interface NumberOptions extends FieldOptions<number> {
  /** The largest value. */
  readonly maxValue?: number;
  /** The smallest value. */
  readonly minValue?: number;
}

// DRF's MAX_STRING_LENGTH: a guard against huge numeric strings.
const MAX_STRING_LENGTH = 1000;
// Python's int(): optional sign, digits with single underscores between; DRF
// first drops a trailing `.000` (`re_decimal`).
const PY_INT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;
const PY_FLOAT =
  /^[+-]?(?:(?:[0-9]+(?:_[0-9]+)*)?\.?[0-9]+(?:_[0-9]+)*(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?|[0-9]+(?:_[0-9]+)*\.)$/;
// deno-lint-ignore no-control-regex
const SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

abstract class NumberField<T extends number | null, F extends FieldFlags> extends Field<T, T, F> {
  readonly maxValue: number | undefined;
  readonly minValue: number | undefined;

  constructor(options: NumberOptions) {
    super(options as unknown as FieldOptions<T>);
    this.maxValue = options.maxValue;
    this.minValue = options.minValue;
  }

  toRepresentation(value: T): T {
    return value;
  }

  protected override check(value: T): string[] {
    const messages: string[] = [];
    if (this.maxValue !== undefined && value! > this.maxValue) {
      messages.push(`Ensure this value is less than or equal to ${this.maxValue}.`);
    }
    if (this.minValue !== undefined && value! < this.minValue) {
      messages.push(`Ensure this value is greater than or equal to ${this.minValue}.`);
    }
    return messages;
  }

  protected bounds(schema: JsonSchema): JsonSchema {
    if (this.minValue !== undefined) schema.minimum = this.minValue;
    if (this.maxValue !== undefined) schema.maximum = this.maxValue;
    return schema;
  }

  protected override extraInfo(): FieldInfo {
    const info: FieldInfo = {};
    if (this.minValue !== undefined) info.min_value = this.minValue;
    if (this.maxValue !== undefined) info.max_value = this.maxValue;
    return info;
  }
}

/**
 * DRF's `IntegerField`: integers, and strings Python's `int()` reads
 * (`" 7 "`, `"7.0"`, `"1_000"`); "A valid integer is required." Integers
 * past JavaScript's safe range are refused rather than rounded.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IntegerField } from "./numbers.ts";
 * assertEquals(new IntegerField().runValidation("7.0"), { ok: true, value: 7 });
 * assertEquals(new IntegerField().runValidation(true), { ok: false, errors: ["A valid integer is required."] });
 * ```
 */
export class IntegerField<T extends number | null = number, F extends FieldFlags = FieldFlags>
  extends NumberField<T, F> {
  /** The OPTIONS type. */
  readonly type: string = "integer";

  /** Make an integer field. */
  constructor(options: NumberOptions = {}) {
    super(options);
  }

  /** The integer, or DRF's message. */
  toInternal(data: unknown): Outcome<T> {
    if (typeof data === "string" && data.length > MAX_STRING_LENGTH) {
      return { ok: false, errors: ["String value too large."] };
    }
    let value: number | undefined;
    if (typeof data === "number") value = Number.isInteger(data) ? data : undefined;
    else if (typeof data === "string") {
      const text = data.replace(/\.0*\s*$/, "").replace(SPACE, "");
      value = PY_INT.test(text) ? Number(text.replaceAll("_", "")) : undefined;
    }
    if (value === undefined || !Number.isSafeInteger(value)) {
      return { ok: false, errors: ["A valid integer is required."] };
    }
    return { ok: true, value: value as T };
  }

  protected schema(): JsonSchema {
    return this.bounds({ type: "integer" });
  }
}

/**
 * DRF's `FloatField`: numbers, `true`/`false` (as Python's `float()` takes
 * them) and numeric strings; "A valid number is required." Infinity and NaN
 * are refused (DRF would fail to render them).
 */
export class FloatField<T extends number | null = number, F extends FieldFlags = FieldFlags>
  extends NumberField<T, F> {
  /** The OPTIONS type. */
  readonly type: string = "float";

  /** Make a float field. */
  constructor(options: NumberOptions = {}) {
    super(options);
  }

  /** The number, or DRF's message. */
  toInternal(data: unknown): Outcome<T> {
    if (typeof data === "string" && data.length > MAX_STRING_LENGTH) {
      return { ok: false, errors: ["String value too large."] };
    }
    let value: number | undefined;
    if (typeof data === "number") value = data;
    else if (typeof data === "boolean") value = data ? 1 : 0;
    else if (typeof data === "string") {
      const text = data.replace(SPACE, "");
      value = PY_FLOAT.test(text) ? Number(text.replaceAll("_", "")) : undefined;
    }
    if (value === undefined || !Number.isFinite(value)) {
      return { ok: false, errors: ["A valid number is required."] };
    }
    return { ok: true, value: value as T };
  }

  protected schema(): JsonSchema {
    return this.bounds({ type: "number" });
  }
}

const TRUE_VALUES = new Set<unknown>(
  ["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1, true],
);
const FALSE_VALUES = new Set<unknown>(
  [
    "f",
    "F",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "false",
    "False",
    "FALSE",
    "off",
    "Off",
    "OFF",
    "0",
    0,
    false,
  ],
);
const NULL_VALUES = new Set<unknown>(["null", "Null", "NULL", ""]);

/**
 * DRF's `BooleanField`: its sets of true and false spellings; "Must be a
 * valid boolean."
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BooleanField } from "./numbers.ts";
 * assertEquals(new BooleanField().runValidation("yes"), { ok: true, value: true });
 * assertEquals(new BooleanField().runValidation(2), { ok: false, errors: ["Must be a valid boolean."] });
 * ```
 */
export class BooleanField<T extends boolean | null = boolean, F extends FieldFlags = FieldFlags>
  extends Field<T, T, F> {
  /** The OPTIONS type. */
  readonly type: string = "boolean";

  /** Make a boolean field. */
  constructor(options: FieldOptions<boolean> = {}) {
    super(options as unknown as FieldOptions<T>);
  }

  /** `true`, `false` (or `null` from a null spelling when allowed), or DRF's message. */
  toInternal(data: unknown): Outcome<T> {
    if (TRUE_VALUES.has(data)) return { ok: true, value: true as T };
    if (FALSE_VALUES.has(data)) return { ok: true, value: false as T };
    if (NULL_VALUES.has(data) && this.allowNull) return { ok: true, value: null as T };
    return { ok: false, errors: ["Must be a valid boolean."] };
  }

  /** The boolean. */
  toRepresentation(value: T): T {
    return value;
  }

  protected schema(): JsonSchema {
    return { type: "boolean" };
  }
}
