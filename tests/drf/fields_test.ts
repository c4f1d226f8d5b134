import { assertEquals } from "@std/assert";
import { empty, f, SKIP } from "../../middleware/drf/mod.ts";

// Each case: the field, the input, and what DRF 3.14's field answers.
const cases: [string, ReturnType<typeof f[keyof typeof f]>, unknown, unknown][] = [
  ["a missing required field", f.string(), empty, {
    ok: false,
    errors: ["This field is required."],
  }],
  ["null", f.string(), null, { ok: false, errors: ["This field may not be null."] }],
  ["null when allowed", f.string({ allowNull: true }), null, { ok: true, value: null }],
  ["blank", f.string(), "", { ok: false, errors: ["This field may not be blank."] }],
  ["blank after trimming", f.string(), " \t\n", {
    ok: false,
    errors: ["This field may not be blank."],
  }],
  ["blank when allowed", f.string({ allowBlank: true }), "  ", { ok: true, value: "" }],
  ["whitespace trimmed", f.string(), "  hi  ", { ok: true, value: "hi" }],
  ["whitespace kept", f.string({ trimWhitespace: false }), " hi ", { ok: true, value: " hi " }],
  ["a number made a string", f.string(), 12, { ok: true, value: "12" }],
  ["a boolean for a string", f.string(), true, { ok: false, errors: ["Not a valid string."] }],
  ["a list for a string", f.string(), ["a"], { ok: false, errors: ["Not a valid string."] }],
  [
    "too long",
    f.string({ maxLength: 3 }),
    "abcd",
    { ok: false, errors: ["Ensure this field has no more than 3 characters."] },
  ],
  ["length in code points", f.string({ maxLength: 3 }), "😀😀😀", { ok: true, value: "😀😀😀" }],
  [
    "too short",
    f.string({ minLength: 3 }),
    "ab",
    { ok: false, errors: ["Ensure this field has at least 3 characters."] },
  ],
  [
    "a NUL character",
    f.string(),
    "a\0b",
    { ok: false, errors: ["Null characters are not allowed."] },
  ],
  [
    "a lone surrogate",
    f.string(),
    "a\ud800b",
    { ok: false, errors: ["Surrogate characters are not allowed: U+D800."] },
  ],
  ["an integer string", f.integer(), " 7 ", { ok: true, value: 7 }],
  ["an integer with .0", f.integer(), "7.000", { ok: true, value: 7 }],
  ["a fraction", f.integer(), 7.5, { ok: false, errors: ["A valid integer is required."] }],
  ["true as an integer", f.integer(), true, {
    ok: false,
    errors: ["A valid integer is required."],
  }],
  [
    "a huge numeric string",
    f.integer(),
    "1".repeat(1001),
    { ok: false, errors: ["String value too large."] },
  ],
  [
    "past the maximum",
    f.integer({ maxValue: 5 }),
    6,
    { ok: false, errors: ["Ensure this value is less than or equal to 5."] },
  ],
  [
    "below the minimum",
    f.integer({ minValue: 5 }),
    4,
    { ok: false, errors: ["Ensure this value is greater than or equal to 5."] },
  ],
  ["a float string", f.number(), "1.5e2", { ok: true, value: 150 }],
  ["a word as a float", f.number(), "abc", { ok: false, errors: ["A valid number is required."] }],
  ["yes", f.boolean(), "yes", { ok: true, value: true }],
  ["0", f.boolean(), 0, { ok: true, value: false }],
  ["2 as a boolean", f.boolean(), 2, { ok: false, errors: ["Must be a valid boolean."] }],
  ["an email", f.email(), "ada@example.com", { ok: true, value: "ada@example.com" }],
  ["not an email", f.email(), "ada@", { ok: false, errors: ["Enter a valid email address."] }],
  ["a URL", f.url(), "https://example.com/a?b=c", { ok: true, value: "https://example.com/a?b=c" }],
  ["not a URL", f.url(), "example.com", { ok: false, errors: ["Enter a valid URL."] }],
  [
    "a UUID in braces",
    f.uuid(),
    "{12345678-1234-5678-1234-567812345678}",
    { ok: true, value: "12345678-1234-5678-1234-567812345678" },
  ],
  ["not a UUID", f.uuid(), "1234", { ok: false, errors: ["Must be a valid UUID."] }],
  ["a choice", f.choice(["low", "high"]), "low", { ok: true, value: "low" }],
  ["a number choice from a string", f.choice([1, 2]), "2", { ok: true, value: 2 }],
  ["not a choice", f.choice(["low"]), "mid", {
    ok: false,
    errors: ['"mid" is not a valid choice.'],
  }],
  ["true as a choice", f.choice(["a"]), true, {
    ok: false,
    errors: ['"True" is not a valid choice.'],
  }],
  [
    "not a date-time",
    f.datetime(),
    "yesterday",
    {
      ok: false,
      errors: [
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
      ],
    },
  ],
  [
    "a date-time with an offset",
    f.datetime(),
    "2024-05-01T12:00:00+02:00",
    { ok: true, value: new Date("2024-05-01T10:00:00Z") },
  ],
  [
    "a string as a list",
    f.list(f.string()),
    "a",
    { ok: false, errors: ['Expected a list of items but got type "str".'] },
  ],
  [
    "an object as a list",
    f.list(f.string()),
    { a: 1 },
    { ok: false, errors: ['Expected a list of items but got type "dict".'] },
  ],
  [
    "an empty list when not allowed",
    f.list(f.string(), { allowEmpty: false }),
    [],
    { ok: false, errors: ["This list may not be empty."] },
  ],
  [
    "bad items, by index",
    f.list(f.integer()),
    [1, "x", 2, null],
    {
      ok: false,
      errors: { "1": ["A valid integer is required."], "3": ["This field may not be null."] },
    },
  ],
  [
    "too many items",
    f.list(f.integer(), { maxLength: 1 }),
    [1, 2],
    { ok: false, errors: ["Ensure this field has no more than 1 elements."] },
  ],
];

Deno.test("fields answer with DRF 3.14's values and messages", async (t) => {
  for (const [name, field, input, expected] of cases) {
    await t.step(name, () => assertEquals(field.runValidation(input), expected));
  }
});

Deno.test("a field with a default takes it on create, keeps the stored value on update", () => {
  const body = f.string({ allowBlank: true, default: "" });
  assertEquals(body.runValidation(empty, "create"), { ok: true, value: "" });
  assertEquals(body.runValidation(empty, "update"), SKIP);
  assertEquals(body.runValidation(empty, "partial"), SKIP);
  assertEquals(f.string().runValidation(empty, "partial"), SKIP);
  assertEquals(f.string().runValidation(empty, "update"), {
    ok: false,
    errors: ["This field is required."],
  });
});

Deno.test("a read-only field ignores what is sent", () => {
  assertEquals(f.integer({ readOnly: true }).runValidation("x"), SKIP);
});

Deno.test("date-times are shown as DRF shows them: UTC, Z, microseconds when not zero", () => {
  const created = f.datetime();
  assertEquals(
    created.toRepresentation(new Date("2024-05-01T10:00:00.123Z")),
    "2024-05-01T10:00:00.123000Z",
  );
  assertEquals(created.toRepresentation(new Date("2024-05-01T10:00:00Z")), "2024-05-01T10:00:00Z");
});

Deno.test("OPTIONS metadata of a field is DRF's get_field_info", () => {
  assertEquals(f.string({ maxLength: 200 }).info("Title"), {
    type: "string",
    required: true,
    read_only: false,
    label: "Title",
    max_length: 200,
  });
  assertEquals(f.choice([["a", "Alpha"]], { helpText: "Pick" }).info("Kind"), {
    type: "choice",
    required: true,
    read_only: false,
    label: "Kind",
    help_text: "Pick",
    choices: [{ value: "a", display_name: "Alpha" }],
  });
  assertEquals(f.list(f.integer({ maxValue: 9 })).info("Tags").child, {
    type: "integer",
    required: true,
    read_only: false,
    max_value: 9,
  });
});

Deno.test("fields are Standard Schema validators with a JSON Schema of each side", async () => {
  const title = f.string({ maxLength: 2, allowNull: true });
  assertEquals(await title["~standard"].validate("ab"), { value: "ab" });
  assertEquals(await title["~standard"].validate(undefined), {
    issues: [{ message: "This field is required.", path: [] }],
  });
  assertEquals(title["~standard"].jsonSchema.input({ target: "draft-07" }), {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: ["string", "null"],
    maxLength: 2,
    minLength: 1,
  });
});
