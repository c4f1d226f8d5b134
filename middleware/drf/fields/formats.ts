/**
 * DRF's string fields with a format: `EmailField` and `URLField` (a
 * {@linkcode CharField} with Django's validator appended) and `UUIDField`,
 * with DRF's and Django's messages byte for byte, and the JSON Schema
 * `format` of each.
 *
 * @module
 */

import { Field, type FieldFlags, type JsonSchema, type Outcome } from "./field.ts";
import { CharField } from "./strings.ts";

// Django's EmailValidator: a dot-atom or quoted user part, a domain of labels
// with a TLD of letters, `localhost`, or a bracketed IP literal.
const EMAIL_USER =
  // deno-lint-ignore no-control-regex
  /^([-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*|"([\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0d-\x7f])*")$/i;
const EMAIL_DOMAIN = /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)(?:[a-z0-9-]{2,63}(?<!-))$/i;
const EMAIL_LITERAL = /^\[([a-f0-9:.]+)\]$/i;

/**
 * DRF's `EmailField`: "Enter a valid email address."
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { EmailField } from "./formats.ts";
 * assertEquals(new EmailField().runValidation("ada@example.com"), { ok: true, value: "ada@example.com" });
 * assertEquals(new EmailField().runValidation("ada@"), { ok: false, errors: ["Enter a valid email address."] });
 * ```
 */
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

/**
 * DRF's `URLField`: "Enter a valid URL."
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UrlField } from "./formats.ts";
 * assertEquals(new UrlField().runValidation("https://example.com/a"), { ok: true, value: "https://example.com/a" });
 * assertEquals(new UrlField().runValidation("example.com"), { ok: false, errors: ["Enter a valid URL."] });
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UuidField } from "./formats.ts";
 * assertEquals(new UuidField().runValidation("{12345678-1234-5678-1234-567812345678}"), {
 *   ok: true,
 *   value: "12345678-1234-5678-1234-567812345678",
 * });
 * assertEquals(new UuidField().runValidation("nope"), { ok: false, errors: ["Must be a valid UUID."] });
 * ```
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
