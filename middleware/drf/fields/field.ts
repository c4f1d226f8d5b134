/**
 * The base of the field kit, after DRF's `fields.Field`: required, null,
 * default, read-only and write-only, DRF's "empty" rules in
 * `validate_empty_values`, and the two faces every field has besides
 * validation: Standard Schema (`~standard.validate`, `~standard.jsonSchema`)
 * and DRF's OPTIONS metadata (`SimpleMetadata.get_field_info`). What a
 * field takes is in `field_options.ts`, what its validation gives in
 * `outcome.ts`, the JSON Schema dialects in `json_schema.ts`.
 *
 * @module
 */

import type { StandardJSONSchemaV1, StandardSchemaV1 } from "../standard_schema.ts";
import { issuesOf } from "./errors.ts";
import type { FieldFlags, FieldOptions } from "./field_options.ts";
import { type JsonSchema, withDialect } from "./json_schema.ts";
import { empty, type Mode, type Outcome, SKIP } from "./outcome.ts";

export type { FieldFlags, FieldOptions, FlagsOf, Nullable } from "./field_options.ts";
export { type JsonSchema, withDialect } from "./json_schema.ts";
export { empty, type Mode, type Outcome, SKIP } from "./outcome.ts";

/** One field's entry in OPTIONS's `actions`, as DRF's `get_field_info`. */
export type FieldInfo = Record<string, unknown>;

/**
 * A field: converts one primitive value into its internal value (`T`) and
 * back into its representation (`R`), with DRF's messages.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { f } from "../fields.ts";
 * const title = f.string({ maxLength: 3 });
 * assertEquals(await title["~standard"].validate("abcd"), {
 *   issues: [{ message: "Ensure this field has no more than 3 characters.", path: [] }],
 * });
 * ```
 */
export abstract class Field<T = unknown, R = unknown, F extends FieldFlags = FieldFlags>
  implements StandardSchemaV1<unknown, T>, StandardJSONSchemaV1<unknown, R> {
  /** The type name OPTIONS gives (DRF's `SimpleMetadata.label_lookup`). */
  abstract readonly type: string;
  /** Must be sent. */
  readonly required: boolean;
  /** `null` is a value. */
  readonly allowNull: boolean;
  /** Shown, never taken. */
  readonly readOnly: boolean;
  /** Taken, never shown. */
  readonly writeOnly: boolean;
  /** The label given, if any. */
  readonly label: string | undefined;
  /** The help text, if any. */
  readonly helpText: string | undefined;
  readonly #default: { value: T | (() => T) } | undefined;
  readonly #validators: NonNullable<FieldOptions<T>["validators"]>;
  /** Types only: the flags serializers read. */
  declare readonly "~flags": F;
  /** Types only: the internal value's type. */
  declare readonly "~value": T;
  /** Types only: the representation type. */
  declare readonly "~representation": R;

  /** Make a field with DRF's checks of its options. */
  constructor(options: FieldOptions<T> = {}) {
    const readOnly = options.readOnly ?? false;
    const hasDefault = Object.hasOwn(options, "default");
    if (readOnly && options.writeOnly) {
      throw new TypeError("May not set both readOnly and writeOnly");
    }
    if (readOnly && options.required) throw new TypeError("May not set both readOnly and required");
    if (options.required && hasDefault) {
      throw new TypeError("May not set both required and default");
    }
    this.required = options.required ?? (!hasDefault && !readOnly);
    this.allowNull = options.allowNull ?? false;
    this.readOnly = readOnly;
    this.writeOnly = options.writeOnly ?? false;
    this.label = options.label;
    this.helpText = options.helpText;
    this.#default = hasDefault ? { value: options.default as T | (() => T) } : undefined;
    this.#validators = options.validators ?? [];
  }

  /** Whether the field has a default. */
  get hasDefault(): boolean {
    return this.#default !== undefined;
  }

  /** The default value (a function default called now). */
  getDefault(): T | undefined {
    const stored = this.#default?.value;
    return typeof stored === "function" ? (stored as () => T)() : stored;
  }

  /**
   * DRF's `run_validation`: the empty rules (required, default, null), then
   * the conversion, then the validators, whose messages all come together.
   */
  runValidation(data: unknown, mode: Mode = "create"): Outcome<T | null> {
    if (this.readOnly) return SKIP;
    if (data === empty) {
      if (mode === "partial") return SKIP;
      if (this.required) return { ok: false, errors: ["This field is required."] };
      return this.hasDefault && mode === "create" ? { ok: true, value: this.getDefault()! } : SKIP;
    }
    if (data === null) {
      return this.allowNull ? { ok: true, value: null } : {
        ok: false,
        errors: ["This field may not be null."],
      };
    }
    const converted = this.toInternal(data, mode);
    if (converted === SKIP || !converted.ok) return converted;
    const messages = [...this.check(converted.value), ...this.#run(converted.value)];
    return messages.length ? { ok: false, errors: messages } : converted;
  }

  /** The conversion from a primitive value, with its own errors (DRF's `to_internal_value`). */
  abstract toInternal(data: unknown, mode: Mode): Outcome<T>;

  /** The internal value as data (DRF's `to_representation`). */
  abstract toRepresentation(value: T): R;

  /** The field kind's own validators (lengths, ranges), as messages. */
  protected check(_value: T): string[] {
    return [];
  }

  /** The JSON Schema of the value taken (`input`) or shown (`output`), without null. */
  protected abstract schema(side: "input" | "output"): JsonSchema;

  /** The field's JSON Schema on one side, with `null` when allowed, title and description. */
  jsonSchema(side: "input" | "output"): JsonSchema {
    const schema: JsonSchema = { ...this.schema(side) };
    if (this.allowNull && Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
    else if (this.allowNull) schema.type = [schema.type, "null"].flat();
    if (this.label) schema.title = this.label;
    if (this.helpText) schema.description = this.helpText;
    if (this.readOnly) schema.readOnly = true;
    if (this.writeOnly) schema.writeOnly = true;
    if (this.#default && typeof this.#default.value !== "function") {
      schema.default = this.#default.value;
    }
    return schema;
  }

  /** DRF's `get_field_info` for OPTIONS, given the label the serializer settled. */
  info(label: string): FieldInfo {
    const info: FieldInfo = { type: this.type, required: this.required, read_only: this.readOnly };
    // DRF leaves out empty attributes: a list's child has no label.
    if (label) info.label = label;
    if (this.helpText) info.help_text = this.helpText;
    return { ...info, ...this.extraInfo() };
  }

  /** The kind's own metadata (`max_length`, `choices`, `child`...). */
  protected extraInfo(): FieldInfo {
    return {};
  }

  #run(value: T): string[] {
    const messages: string[] = [];
    for (const validator of this.#validators) {
      const result = validator(value);
      if (typeof result === "string") messages.push(result);
      else if (result) messages.push(...result);
    }
    return messages;
  }

  /** Standard Schema: validate as a whole value (create mode); `undefined` is "not sent". */
  get "~standard"(): StandardSchemaV1.Props<unknown, T> & StandardJSONSchemaV1.Props<unknown, R> {
    return {
      version: 1,
      vendor: "drf-deno",
      validate: (value: unknown, options?: StandardSchemaV1.Options) => {
        const partial = options?.libraryOptions?.partial === true;
        const outcome = this.runValidation(
          value === undefined ? empty : value,
          partial ? "partial" : "create",
        );
        if (outcome === SKIP) return { value: undefined as T };
        return outcome.ok ? { value: outcome.value as T } : { issues: issuesOf(outcome.errors) };
      },
      jsonSchema: {
        input: (options) => withDialect(this.jsonSchema("input"), options),
        output: (options) => withDialect(this.jsonSchema("output"), options),
      },
    };
  }
}

/** A field of any kind. */
// deno-lint-ignore no-explicit-any
export type AnyField = Field<any, any, FieldFlags>;
