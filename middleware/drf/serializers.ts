/**
 * Serializers, after DRF's `serializers.py`: a `Serializer` is an object of
 * fields that validates data into what is stored and shapes what is stored
 * into its representation; its types (`Validated`, `Instance`,
 * `Representation`) are read from its fields' options. `validateData` (in
 * `validate_data.ts`) runs it, or any Standard Schema, as DRF's `is_valid`.
 *
 * @module
 */

import { ValidationError } from "./exceptions.ts";
import { type ErrorTree, NON_FIELD_ERRORS, pythonType } from "./fields/errors.ts";
import {
  type AnyField,
  empty,
  Field,
  type FieldFlags,
  type FieldInfo,
  type FieldOptions,
  type FlagsOf,
  type JsonSchema,
  type Mode,
  type Outcome,
  SKIP,
} from "./fields/field.ts";
import { asSerializerErrors } from "./_as_serializer_error.ts";

/** The fields of a serializer, by name. */
export type Fields = Readonly<Record<string, AnyField>>;

type Flags<F extends AnyField> = F["~flags"];
type ValueOf<F extends AnyField> = F["~value"];
type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** What validation gives: the writable fields, those that must be sent present. */
export type Validated<S extends Fields> = Simplify<
  & {
    [
      K in keyof S as Flags<S[K]>["readOnly"] extends true ? never
        : Flags<S[K]>["required"] extends true ? K
        : never
    ]: ValueOf<S[K]>;
  }
  & {
    [
      K in keyof S as Flags<S[K]>["readOnly"] extends true ? never
        : Flags<S[K]>["required"] extends true ? never
        : K
    ]?: ValueOf<S[K]>;
  }
>;

/** What is stored: every field's internal value. */
export type Instance<S extends Fields> = Simplify<{ [K in keyof S]: ValueOf<S[K]> }>;

/** What clients see: the readable fields' representations. */
export type Representation<S extends Fields> = Simplify<
  {
    [K in keyof S as Flags<S[K]>["writeOnly"] extends true ? never : K]: S[K]["~representation"];
  }
>;

/** Options of a {@linkcode Serializer}, beside those of a field (when nested). */
export interface SerializerOptions<S extends Fields> extends FieldOptions<Validated<S>> {
  /** DRF's `validate(attrs)`: checks across fields; throw `ValidationError` to refuse. */
  readonly validate?: (attrs: Validated<S>, mode: Mode) => Validated<S>;
}

/**
 * DRF's `Serializer`. Used as a field, it is a nested object ("nested object"
 * in OPTIONS, its errors nested under its name).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, Serializer } from "./mod.ts";
 * const note = new Serializer({ id: f.integer({ readOnly: true }), title: f.string({ maxLength: 5 }) });
 * assertEquals(note.runValidation({ id: 9, title: "" }), { ok: false, errors: { title: ["This field may not be blank."] } });
 * assertEquals(note.runValidation([]), {
 *   ok: false,
 *   errors: { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] },
 * });
 * assertEquals(note.toRepresentation({ id: 1, title: "Hi" }), { id: 1, title: "Hi" });
 * ```
 */
export class Serializer<S extends Fields, F extends FieldFlags = FieldFlags>
  extends Field<Validated<S>, Representation<S>, F> {
  /** The OPTIONS type when nested. */
  readonly type: string = "nested object";
  /** The fields, by name. */
  readonly fields: S;
  /** Each field's label: given, or its name as DRF makes it (`created_at` → "Created at"). */
  readonly labels: Readonly<Record<string, string>>;
  readonly #validate: SerializerOptions<S>["validate"];
  readonly #writable: [string, AnyField][];
  readonly #readable: [string, AnyField][];

  /** Make a serializer of fields. */
  constructor(fields: S, options: SerializerOptions<S> = {}) {
    super(options);
    this.fields = fields;
    this.#validate = options.validate;
    const entries = Object.entries(fields);
    this.labels = Object.fromEntries(
      entries.map(([name, field]) => [name, field.label ?? capitalize(name.replaceAll("_", " "))]),
    );
    this.#writable = entries.filter(([, field]) => !field.readOnly);
    this.#readable = entries.filter(([, field]) => !field.writeOnly);
  }

  /** DRF's `to_internal_value` and `validate`: every writable field, errors by name. */
  toInternal(data: unknown, mode: Mode): Outcome<Validated<S>> {
    if (data === null || typeof data !== "object" || Array.isArray(data) || data instanceof File) {
      const message = `Invalid data. Expected a dictionary, but got ${pythonType(data)}.`;
      return { ok: false, errors: { [NON_FIELD_ERRORS]: [message] } };
    }
    const values: Record<string, unknown> = {};
    const errors: Record<string, ErrorTree> = {};
    let failed = false;
    for (const [name, field] of this.#writable) {
      const sent = Object.hasOwn(data, name) ? (data as Record<string, unknown>)[name] : empty;
      const outcome = field.runValidation(sent, mode);
      if (outcome === SKIP) continue;
      if (outcome.ok) values[name] = outcome.value;
      else [errors[name], failed] = [outcome.errors, true];
    }
    if (failed) return { ok: false, errors };
    if (!this.#validate) return { ok: true, value: values as Validated<S> };
    try {
      return { ok: true, value: this.#validate(values as Validated<S>, mode) };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { ok: false, errors: asSerializerErrors(error.detail) };
    }
  }

  /** DRF's `to_representation`: every readable field's representation, `null` as `null`. */
  toRepresentation(instance: Validated<S> | Partial<Instance<S>>): Representation<S> {
    const out: Record<string, unknown> = {};
    for (const [name, field] of this.#readable) {
      const value = (instance as Record<string, unknown>)[name];
      if (value === undefined) continue;
      out[name] = value === null ? null : field.toRepresentation(value);
    }
    return out as Representation<S>;
  }

  /** The object's JSON Schema: writable fields taken, readable fields shown. */
  protected schema(side: "input" | "output"): JsonSchema {
    const fields = side === "input" ? this.#writable : this.#readable;
    const required = fields
      .filter(([, field]) => side === "output" || field.required)
      .map(([name]) => name);
    return {
      type: "object",
      properties: Object.fromEntries(
        fields.map((
          [name, field],
        ) => [name, { title: this.labels[name], ...field.jsonSchema(side) }]),
      ),
      ...required.length ? { required } : {},
    };
  }

  /** DRF's `SimpleMetadata.get_serializer_info`: each field's OPTIONS entry. */
  fieldsInfo(): Record<string, FieldInfo> {
    return Object.fromEntries(
      Object.entries(this.fields).map(([name, field]) => [name, field.info(this.labels[name])]),
    );
  }

  protected override extraInfo(): FieldInfo {
    return { children: this.fieldsInfo() };
  }
}

/**
 * Make a {@linkcode Serializer}, its flags read from its options.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f, serializer } from "./mod.ts";
 * const note = serializer({ title: f.string(), body: f.string({ allowBlank: true, default: "" }) });
 * assertEquals(note.runValidation({ title: "Hi" }), { ok: true, value: { title: "Hi", body: "" } });
 * ```
 */
export function serializer<
  S extends Fields,
  const O extends SerializerOptions<S> = Record<never, never>,
>(
  fields: S,
  options?: O,
): Serializer<S, FlagsOf<O>> {
  return new Serializer(fields, options);
}

// Python's str.capitalize(): the first character upper case, the rest lower.
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}
