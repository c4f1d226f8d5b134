/**
 * DRF's `DateTimeField` and `ChoiceField`.
 *
 * @module
 */

import { pythonStr } from "./errors.ts";
import {
  Field,
  type FieldFlags,
  type FieldInfo,
  type FieldOptions,
  type JsonSchema,
  type Outcome,
} from "./field.ts";

// Django's parse_datetime (ISO 8601; a space may stand for the T, a comma for
// the dot; a naive time is UTC, the service's time zone), or a date alone, as
// Python's datetime.fromisoformat also takes.
const DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const INVALID_DATETIME =
  "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/**
 * Parse an ISO 8601 date-time as Django does; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseDateTime } from "./datetime.ts";
 * assertEquals(parseDateTime("2024-05-01 12:00+02:00")?.toISOString(), "2024-05-01T10:00:00.000Z");
 * assertEquals(parseDateTime("2024-13-01T00:00"), undefined);
 * ```
 */
export function parseDateTime(text: string): Date | undefined {
  const match = DATETIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offset = 0;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const ms = Math.floor(Number(fraction.padEnd(6, "0")) / 1000);
  // Date.UTC reads years below 100 as 19xx: the year is set on its own.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return new Date(date.getTime() - offset * 60_000);
}

/**
 * A date-time as DRF renders it: Python's `isoformat()` in UTC with `Z`,
 * microseconds shown only when not zero.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatDateTime } from "./datetime.ts";
 * assertEquals(formatDateTime(new Date("2024-05-01T10:00:00.250Z")), "2024-05-01T10:00:00.250000Z");
 * assertEquals(formatDateTime(new Date("2024-05-01T10:00:00Z")), "2024-05-01T10:00:00Z");
 * ```
 */
export function formatDateTime(value: Date): string {
  const iso = value.toISOString();
  const ms = value.getUTCMilliseconds();
  return ms === 0
    ? `${iso.slice(0, 19)}Z`
    : `${iso.slice(0, 19)}.${String(ms * 1000).padStart(6, "0")}Z`;
}

/** DRF's `DateTimeField`: ISO 8601 in, a `Date` inside, ISO 8601 UTC out. */
export class DateTimeField<T extends Date | null = Date, F extends FieldFlags = FieldFlags>
  extends Field<T, string, F> {
  /** The OPTIONS type. */
  readonly type: string = "datetime";

  /** Make a date-time field. */
  constructor(options: FieldOptions<Date> = {}) {
    super(options as unknown as FieldOptions<T>);
  }

  /** The instant, or DRF's message naming the format. */
  toInternal(data: unknown): Outcome<T> {
    if (data instanceof Date && !Number.isNaN(data.getTime())) {
      return { ok: true, value: data as T };
    }
    const value = typeof data === "string" ? parseDateTime(data) : undefined;
    return value ? { ok: true, value: value as T } : { ok: false, errors: [INVALID_DATETIME] };
  }

  /** ISO 8601 in UTC. */
  toRepresentation(value: T): string {
    return formatDateTime(value!);
  }

  protected schema(): JsonSchema {
    return { type: "string", format: "date-time" };
  }
}

/** The choices of a {@linkcode ChoiceField}: values, `[value, label]` pairs, or labels by value. */
export type Choices<T extends string | number> =
  | readonly T[]
  | readonly (readonly [T, string])[]
  | Readonly<Record<T, string>>;

/**
 * DRF's `ChoiceField`: one of the choices, matched as Python's `str()` of
 * the input (so `"1"` picks the choice `1`); `"{input}" is not a valid choice.`
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ChoiceField } from "./datetime.ts";
 * const size = new ChoiceField([1, 2]);
 * assertEquals(size.runValidation("2"), { ok: true, value: 2 });
 * assertEquals(size.runValidation(3), { ok: false, errors: ['"3" is not a valid choice.'] });
 * ```
 */
export class ChoiceField<T extends string | number | null, F extends FieldFlags = FieldFlags>
  extends Field<T, T, F> {
  /** The OPTIONS type. */
  readonly type: string = "choice";
  /** Each choice's value and label. */
  readonly choices: ReadonlyMap<Exclude<T, null>, string>;
  readonly #byString = new Map<string, Exclude<T, null>>();
  /** `""` is a value. */
  readonly allowBlank: boolean;

  /** Make a choice field. */
  constructor(
    choices: Choices<string | number>,
    options: FieldOptions<T> & { readonly allowBlank?: boolean } = {},
  ) {
    super(options);
    this.allowBlank = options.allowBlank ?? false;
    const pairs = Array.isArray(choices)
      ? choices.map((c) => Array.isArray(c) ? c : [c, String(c)])
      : Object.entries(choices);
    this.choices = new Map(pairs as [Exclude<T, null>, string][]);
    for (const value of this.choices.keys()) this.#byString.set(String(value), value);
  }

  /** The choice the input names, or DRF's message quoting it. */
  toInternal(data: unknown): Outcome<T> {
    if (data === "" && this.allowBlank) return { ok: true, value: "" as T };
    const key = typeof data === "string" || typeof data === "number" ? String(data) : undefined;
    const value = key === undefined ? undefined : this.#byString.get(key);
    if (value === undefined) {
      return { ok: false, errors: [`"${pythonStr(data)}" is not a valid choice.`] };
    }
    return { ok: true, value };
  }

  /** The value. */
  toRepresentation(value: T): T {
    return value;
  }

  protected schema(): JsonSchema {
    return { enum: [...this.choices.keys()] };
  }

  protected override extraInfo(): FieldInfo {
    if (this.readOnly) return {};
    const choices = [...this.choices].map(([value, display_name]) => ({ value, display_name }));
    return { choices };
  }
}
