// Serializers, and any Standard Schema validator in their place: zod 4,
// valibot and arktype are dev-only imports of this test.
import { assertEquals, assertRejects } from "@std/assert";
import { type } from "arktype";
import * as v from "valibot";
import * as z from "zod";
import {
  f,
  type Representation,
  Serializer,
  serializer,
  type Validated,
  validateData,
  ValidationError,
} from "../../middleware/drf/mod.ts";

const author = serializer({ name: f.string(), email: f.email({ required: false }) });
const note = serializer({
  id: f.integer({ readOnly: true, label: "ID" }),
  title: f.string({ maxLength: 200 }),
  body: f.string({ allowBlank: true, default: "" }),
  tags: f.list(f.string(), { required: false }),
  author: serializer({ name: f.string(), email: f.email({ required: false }) }, {
    required: false,
  }),
  secret: f.string({ writeOnly: true, required: false }),
});

async function errorsOf(
  schema: Parameters<typeof validateData>[0],
  data: unknown,
  mode?: "partial",
) {
  const error = await assertRejects(() => validateData(schema, data, mode), ValidationError);
  assertEquals(error.status, 400);
  return error.data;
}

Deno.test("a serializer answers DRF's error shape: by field, nested, by list index", async () => {
  assertEquals(
    await errorsOf(note, { title: "", tags: ["a", null], author: { email: "x" } }),
    {
      title: ["This field may not be blank."],
      tags: { "1": ["This field may not be null."] },
      author: { name: ["This field is required."], email: ["Enter a valid email address."] },
    },
  );
  assertEquals(await errorsOf(note, { title: "a", author: [] }), {
    author: { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] },
  });
});

Deno.test("a body that is not an object is a non-field error, null is 'No data provided'", async () => {
  assertEquals(await errorsOf(note, [1]), {
    non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
  });
  assertEquals(await errorsOf(note, "x"), {
    non_field_errors: ["Invalid data. Expected a dictionary, but got str."],
  });
  assertEquals(await errorsOf(note, null), { non_field_errors: ["No data provided"] });
});

Deno.test("read-only fields sent are ignored; defaults fill in on create only", async () => {
  assertEquals(await validateData(note, { id: 99, title: "Hi" }), { title: "Hi", body: "" });
  assertEquals(await validateData(note, { title: "Hi" }, "update"), { title: "Hi" });
  assertEquals(await validateData(note, { body: "b" }, "partial"), { body: "b" });
});

Deno.test("validate() checks across fields; a list of messages is the whole's", async () => {
  const range = new Serializer({ low: f.integer(), high: f.integer() }, {
    validate(attrs) {
      if (attrs.low > attrs.high) throw new ValidationError("low must not pass high.");
      return attrs;
    },
  });
  assertEquals(await errorsOf(range, { low: 2, high: 1 }), {
    non_field_errors: ["low must not pass high."],
  });
});

Deno.test("the representation shows read-only fields and hides write-only ones", () => {
  const shown: Representation<typeof note.fields> = note.toRepresentation({
    id: 1,
    title: "Hi",
    body: "",
    tags: [],
    secret: "s",
    author: { name: "Ada" },
  });
  assertEquals(shown, { id: 1, title: "Hi", body: "", tags: [], author: { name: "Ada" } });
});

Deno.test("validated data is typed from the fields (no casts)", async () => {
  const data: Validated<typeof note.fields> = await validateData(note, { title: "Hi" });
  const title: string = data.title;
  const tags: string[] | undefined = data.tags;
  assertEquals([title, tags], ["Hi", undefined]);
});

Deno.test("the serializer's JSON Schema: input takes writable fields, output shows readable ones", () => {
  const input = author["~standard"].jsonSchema.input({ target: "draft-2020-12" });
  assertEquals(input, {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: {
      name: { title: "Name", type: "string", minLength: 1 },
      email: { title: "Email", type: "string", minLength: 1, format: "email" },
    },
    required: ["name"],
  });
  const output = note["~standard"].jsonSchema.output({ target: "draft-2020-12" });
  assertEquals(Object.keys(output.properties as object), ["id", "title", "body", "tags", "author"]);
  assertEquals(output.required, ["id", "title", "body", "tags", "author"]);
});

// The same resource in each library, unchanged: its own messages, DRF's shape.
const foreign = {
  zod: z.object({ title: z.string().min(1).max(200), tags: z.array(z.number()).optional() }),
  valibot: v.object({
    title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    tags: v.optional(v.array(v.number())),
  }),
  arktype: type({ title: "0 < string <= 200", "tags?": "number[]" }),
};

for (const [library, schema] of Object.entries(foreign)) {
  Deno.test(`${library} validates unchanged; failures map to DRF's shape`, async () => {
    assertEquals(await validateData(schema, { title: "Hi", tags: [1] }), {
      title: "Hi",
      tags: [1],
    });
    const errors = await errorsOf(schema, { title: "", tags: [1, "x"] }) as Record<string, unknown>;
    assertEquals(Object.keys(errors).sort(), ["tags", "title"]);
    assertEquals(Object.keys(errors.tags as object), ["1"]);
    assertEquals(Array.isArray(errors.title), true);
    assertEquals(typeof (errors.title as string[])[0], "string");
    const whole = await errorsOf(schema, "x") as Record<string, unknown>;
    assertEquals(Object.keys(whole), ["non_field_errors"]);
  });
}

Deno.test("zod's and arktype's own JSON Schemas are there for the API's schema", () => {
  for (const schema of [foreign.zod, foreign.arktype]) {
    const json = schema["~standard"].jsonSchema.input({ target: "draft-2020-12" });
    assertEquals((json.properties as Record<string, unknown>).title !== undefined, true);
  }
});
