/**
 * What every field takes, as DRF's `Field.__init__`, and the type-level
 * facts read from those options, of which a serializer's types are made.
 *
 * @module
 */

/** What every field takes, as DRF's `Field.__init__`. */
export interface FieldOptions<T> {
  /** Must be sent (DRF's `required`); by default, unless there is a default or it is read-only. */
  readonly required?: boolean;
  /** `null` is a value (DRF's `allow_null`). */
  readonly allowNull?: boolean;
  /** The value when left out on create (a function is called each time). */
  readonly default?: T | (() => T);
  /** Shown, never taken: sent values are ignored (DRF's `read_only`). */
  readonly readOnly?: boolean;
  /** Taken, never shown (DRF's `write_only`). */
  readonly writeOnly?: boolean;
  /** The name people see; by default the field's name, capitalised (DRF's `label`). */
  readonly label?: string;
  /** A sentence for people (DRF's `help_text`). */
  readonly helpText?: string;
  /** More checks of the converted value: each returns its messages, or nothing. */
  readonly validators?: readonly ((value: T) => string | readonly string[] | undefined)[];
}

/** The type-level facts of a field a serializer's types are made from. */
export interface FieldFlags {
  /** Read-only. */
  readonly readOnly: boolean;
  /** Write-only. */
  readonly writeOnly: boolean;
  /** Must be sent. */
  readonly required: boolean;
}

/** A field's flags from the options it was made with. */
export type FlagsOf<O> = {
  readOnly: O extends { readOnly: true } ? true : false;
  writeOnly: O extends { writeOnly: true } ? true : false;
  required: O extends { readOnly: true } ? false
    : O extends { required: boolean } ? O["required"]
    : O extends { default: unknown } ? false
    : true;
};

/** `T`, or `T | null` when the options allow null. */
export type Nullable<T, O> = O extends { allowNull: true } ? T | null : T;
