/**
 * CI's checks of the API's OpenAPI document, which need what the test task
 * is not granted (spawning npx, the whole environment for
 * openapi-typescript):
 *
 * - it lints without errors under `@redocly/cli lint`'s recommended rules;
 * - the client types the tests use (`tests/openapi/_openapi.d.ts`, made by
 *   openapi-typescript from the document) are current.
 *
 * Run: `deno task lint:openapi`; `deno task openapi:types` writes the types
 * anew instead of comparing them.
 *
 * @module
 */

import { MemoryThrottleStore } from "../middleware/drf/throttle_stores/memory.ts";
import openapiTS, { astToString } from "openapi-typescript";
import { createHandler } from "../main.ts";
import { loadSettings } from "../middleware/http/settings.ts";

/** Where the generated client types live. */
export const TYPES_PATH = new URL("../tests/openapi/_openapi.d.ts", import.meta.url);
const REDOCLY = "@redocly/cli@2.77.0";
const HEADER =
  "// Generated from GET /openapi.json by openapi-typescript: `deno task openapi:types`.\n" +
  "// deno-lint-ignore-file\n";

/** The document the service serves, and the client types made from it. */
export async function documentAndTypes(): Promise<{ document: string; types: string }> {
  await using kv = await Deno.openKv(":memory:");
  const handler = createHandler(loadSettings({ ACCESS_LOG: "0" }), {
    kv,
    throttle: new MemoryThrottleStore(),
  });
  const response = await handler(new Request("http://localhost/openapi.json"));
  if (response.status !== 200) throw new Error(`GET /openapi.json: ${response.status}`);
  const document = await response.text();
  const types = HEADER + astToString(
    // A field with a default may be left out of a body: not required.
    await openapiTS(JSON.parse(document), { defaultNonNullable: false }),
  );
  return { document, types };
}

if (import.meta.main) {
  const { document, types } = await documentAndTypes();
  if (Deno.args.includes("--types")) {
    await Deno.writeTextFile(TYPES_PATH, types);
    console.log(`wrote ${TYPES_PATH.pathname}`);
    Deno.exit(0);
  }
  let failed = false;
  const current = await Deno.readTextFile(TYPES_PATH).catch(() => "");
  if (current !== types) {
    failed = true;
    console.error("tests/openapi/_openapi.d.ts is not current: run `deno task openapi:types`");
  } else console.log("client types: current");
  const file = await Deno.makeTempFile({ prefix: "openapi-", suffix: ".json" });
  try {
    await Deno.writeTextFile(file, document);
    const lint = await new Deno.Command("npx", {
      args: ["--yes", REDOCLY, "lint", file],
      env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    }).spawn().status;
    if (!lint.success) failed = true;
  } finally {
    await Deno.remove(file);
  }
  Deno.exit(failed ? 1 : 0);
}
