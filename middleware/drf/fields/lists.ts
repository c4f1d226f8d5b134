/**
 * DRF's `ListField`: a list whose items a child field validates, errors
 * keyed by the index of each bad item.
 *
 * @module
 */

import { type ErrorTree, pythonType } from "./errors.ts";
import {
  type AnyField,
  Field,
  type FieldFlags,
  type FieldInfo,
  type FieldOptions,
  type JsonSchema,
  type Mode,
  type Outcome,
  SKIP,
} from "./field.ts";

/** Options of a {@linkcode ListField}. */
export interface ListOptions<T> extends FieldOptions<T[]> {
  /** `[]` is a value (DRF's `allow_empty`, on by default). */
  readonly allowEmpty?: boolean;
  /** The most items. */
  readonly maxLength?: number;
  /** The fewest items. */
  readonly minLength?: number;
}

/**
 * DRF's `ListField`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IntegerField } from "./numbers.ts";
 * import { ListField } from "./lists.ts";
 * const tags = new ListField(new IntegerField());
 * assertEquals(tags.runValidation([1, "x", 3, null]), {
 *   ok: false,
 *   errors: { "1": ["A valid integer is required."], "3": ["This field may not be null."] },
 * });
 * assertEquals(tags.runValidation("1"), { ok: false, errors: ['Expected a list of items but got type "str".'] });
 * ```
 */
export class ListField<
  C extends AnyField,
  T extends unknown[] | null,
  F extends FieldFlags = FieldFlags,
> extends Field<T, C["~representation"][] | Extract<T, null>, F> {
  /** The OPTIONS type. */
  readonly type: string = "list";
  /** The field of each item. */
  readonly child: C;
  /** `[]` is a value. */
  readonly allowEmpty: boolean;
  /** The most items. */
  readonly maxLength: number | undefined;
  /** The fewest items. */
  readonly minLength: number | undefined;

  /** Make a list field of `child` items. */
  constructor(child: C, options: ListOptions<unknown> = {}) {
    super(options as unknown as FieldOptions<T>);
    this.child = child;
    this.allowEmpty = options.allowEmpty ?? true;
    this.maxLength = options.maxLength;
    this.minLength = options.minLength;
  }

  /** The items, each validated by the child; errors by index. */
  toInternal(data: unknown, mode: Mode): Outcome<T> {
    if (!Array.isArray(data)) {
      return {
        ok: false,
        errors: [`Expected a list of items but got type "${pythonType(data)}".`],
      };
    }
    if (!this.allowEmpty && data.length === 0) {
      return { ok: false, errors: ["This list may not be empty."] };
    }
    const values: unknown[] = [];
    const errors: { [index: string]: ErrorTree } = {};
    let failed = false;
    data.forEach((item, index) => {
      // Items are whole values: a nested object in a list is never partial.
      const outcome = this.child.runValidation(item, mode === "partial" ? "create" : mode);
      if (outcome === SKIP) return;
      if (outcome.ok) values.push(outcome.value);
      else [errors[index], failed] = [outcome.errors, true];
    });
    return failed ? { ok: false, errors } : { ok: true, value: values as T };
  }

  /** Each item's representation (`null` stays `null`). */
  toRepresentation(value: T): C["~representation"][] | Extract<T, null> {
    return value!.map((item) => item === null ? null : this.child.toRepresentation(item));
  }

  protected override check(value: T): string[] {
    const messages: string[] = [];
    if (this.maxLength !== undefined && value!.length > this.maxLength) {
      messages.push(`Ensure this field has no more than ${this.maxLength} elements.`);
    }
    if (this.minLength !== undefined && value!.length < this.minLength) {
      messages.push(`Ensure this field has at least ${this.minLength} elements.`);
    }
    return messages;
  }

  protected schema(side: "input" | "output"): JsonSchema {
    const schema: JsonSchema = { type: "array", items: this.child.jsonSchema(side) };
    if (this.minLength !== undefined) schema.minItems = this.minLength;
    else if (!this.allowEmpty) schema.minItems = 1;
    if (this.maxLength !== undefined) schema.maxItems = this.maxLength;
    return schema;
  }

  protected override extraInfo(): FieldInfo {
    const info: FieldInfo = {};
    if (this.minLength !== undefined) info.min_length = this.minLength;
    if (this.maxLength !== undefined) info.max_length = this.maxLength;
    info.child = this.child.info(this.child.label ?? "");
    return info;
  }
}
