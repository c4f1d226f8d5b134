/**
 * What a field's validation is given and gives, after DRF's `empty` (no
 * value sent) and `SkipField` (nothing to set), and how much of an object
 * the data must describe.
 *
 * @module
 */

import type { ErrorTree } from "./errors.ts";

/** DRF's `empty`: no value was sent for the field (not even `null`). */
export const empty: unique symbol = Symbol("empty");

/**
 * How much of an object the data must describe: `create` all of it (a field
 * with a default takes it when left out), `update` all of it (a field with a
 * default that is left out keeps its stored value, as with a DRF
 * `ModelSerializer` over a model default), `partial` only what is sent
 * (PATCH, DRF's `partial=True`).
 */
export type Mode = "create" | "update" | "partial";

/** What validating a value gives: the value, errors, or nothing to set (DRF's `SkipField`). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: ErrorTree } | typeof SKIP;

/** DRF's `SkipField`: leave the field out of the validated data. */
export const SKIP: unique symbol = Symbol("skip");
