/**
 * The field kit, after DRF's `fields.py`: `f.string()`, `f.integer()`... each
 * field validates with DRF's messages byte for byte, is a Standard Schema v1
 * validator with a JSON Schema (input and output) of its own, and gives
 * OPTIONS its DRF metadata. The factories read the options' types, so a
 * serializer's validated data and representation are typed from them.
 *
 * @module
 */

import {
  Field,
  type FieldFlags,
  type FieldOptions,
  type FlagsOf,
  type JsonSchema,
  type Nullable,
  type Outcome,
} from "./fields/field.ts";
import { CharField, type CharOptions } from "./fields/strings.ts";
import { EmailField, UrlField, UuidField } from "./fields/formats.ts";
import { BooleanField, FloatField, IntegerField, type NumberOptions } from "./fields/numbers.ts";
import { ChoiceField, DateTimeField } from "./fields/datetime.ts";
import { ListField, type ListOptions } from "./fields/lists.ts";
import type { AnyField } from "./fields/field.ts";

export * from "./fields/field.ts";
export * from "./fields/errors.ts";
export * from "./fields/strings.ts";
export * from "./fields/formats.ts";
export * from "./fields/numbers.ts";
export * from "./fields/datetime.ts";
export * from "./fields/lists.ts";

/**
 * DRF's `ReadOnlyField`: shown as stored, never taken; `type` "field" in
 * OPTIONS (as DRF's `owner = ReadOnlyField(source="owner.username")`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ReadOnlyField, SKIP } from "./fields.ts";
 * const owner = new ReadOnlyField<string>();
 * assertEquals([owner.runValidation("eve"), owner.toRepresentation("ada")], [SKIP, "ada"]);
 * ```
 */
export class ReadOnlyField<T>
  extends Field<T, T, { readOnly: true; writeOnly: false; required: false }> {
  /** The OPTIONS type. */
  readonly type: string = "field";

  /** Make a read-only field. */
  constructor(options: Omit<FieldOptions<T>, "readOnly" | "required" | "writeOnly"> = {}) {
    super({ ...options, readOnly: true });
  }

  /** Never called: a read-only field takes nothing. */
  toInternal(data: unknown): Outcome<T> {
    return { ok: true, value: data as T };
  }

  /** The value as stored. */
  toRepresentation(value: T): T {
    return value;
  }

  protected schema(): JsonSchema {
    return {};
  }
}

type Kit<T, O, K> = K extends new (...args: never[]) => infer _
  ? Field<Nullable<T, O>, Nullable<T, O>, FlagsOf<O>>
  : never;

/**
 * The field kit's factories.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f } from "./fields.ts";
 * assertEquals(f.integer({ maxValue: 10 }).runValidation(11), {
 *   ok: false,
 *   errors: ["Ensure this value is less than or equal to 10."],
 * });
 * assertEquals(f.email().runValidation("nope"), { ok: false, errors: ["Enter a valid email address."] });
 * ```
 */
export const f = {
  /** DRF's `CharField`. */
  string: <const O extends CharOptions>(options?: O) =>
    new CharField<Nullable<string, O>, FlagsOf<O>>(options),
  /** DRF's `EmailField`. */
  email: <const O extends CharOptions>(options?: O) =>
    new EmailField<Nullable<string, O>, FlagsOf<O>>(options),
  /** DRF's `URLField`. */
  url: <const O extends CharOptions>(options?: O) =>
    new UrlField<Nullable<string, O>, FlagsOf<O>>(options),
  /** DRF's `UUIDField` (hex_verbose). */
  uuid: <const O extends FieldOptions<string>>(options?: O) =>
    new UuidField<Nullable<string, O>, FlagsOf<O>>(options as FieldOptions<Nullable<string, O>>),
  /** DRF's `IntegerField`. */
  integer: <const O extends NumberOptions>(options?: O) =>
    new IntegerField<Nullable<number, O>, FlagsOf<O>>(options),
  /** DRF's `FloatField`. */
  number: <const O extends NumberOptions>(options?: O) =>
    new FloatField<Nullable<number, O>, FlagsOf<O>>(options),
  /** DRF's `BooleanField`. */
  boolean: <const O extends FieldOptions<boolean>>(options?: O) =>
    new BooleanField<Nullable<boolean, O>, FlagsOf<O>>(options),
  /** DRF's `DateTimeField`. */
  datetime: <const O extends FieldOptions<Date>>(options?: O) =>
    new DateTimeField<Nullable<Date, O>, FlagsOf<O>>(options),
  /** DRF's `ChoiceField`. */
  choice: <
    const V extends string | number,
    const O extends FieldOptions<V> & { allowBlank?: boolean },
  >(
    choices: readonly V[] | readonly (readonly [V, string])[],
    options?: O,
  ) =>
    new ChoiceField<Nullable<V, O>, FlagsOf<O>>(choices, options as FieldOptions<Nullable<V, O>>),
  /** DRF's `ListField`. */
  list: <C extends AnyField, const O extends ListOptions<unknown>>(child: C, options?: O) =>
    new ListField<
      C,
      Nullable<C extends Field<infer T, infer _R, infer _F> ? T[] : never, O>,
      FlagsOf<O>
    >(
      child,
      options,
    ),
  /** DRF's `ReadOnlyField`. */
  readOnly: <T>(options?: Omit<FieldOptions<T>, "readOnly" | "required" | "writeOnly">) =>
    new ReadOnlyField<T>(options),
};

/** A field of the kit with the flags its options give (for declaring your own). */
export type KitField<T, O> = Kit<T, O, typeof Field>;
export type { FieldFlags };
