import { assertEquals } from "@std/assert";
import { ENV_VARIABLES } from "../../middleware/http/settings.ts";
import { unreadSettingsWarning, unreadVariables } from "../../middleware/http/settings_notice.ts";

Deno.test("deno serve without --allow-env warns, naming every setting left at its default", () => {
  const unread = unreadVariables(ENV_VARIABLES, () => false, "serve");
  const names = ENV_VARIABLES.filter((v) => !["HOST", "PORT", "SHUTDOWN_GRACE_MS"].includes(v));
  assertEquals(unread, names);
  assertEquals(
    unreadSettingsWarning(unread, "serve"),
    `deno serve: settings ignored: no permission to read ${names.join(", ")}, so these run on ` +
      "their defaults whatever the environment says. Grant them with " +
      `--allow-env=${names.join(",")} (as \`deno task serve\` does).`,
  );
});

Deno.test("a process that may read every setting it uses says nothing", () => {
  assertEquals(unreadVariables(ENV_VARIABLES, () => true, "serve"), []);
  assertEquals(unreadSettingsWarning([], "serve"), undefined);
  // deno serve binds by --host/--port: HOST and PORT unread are no loss there.
  const granted = (variable: string) => !["HOST", "PORT"].includes(variable);
  assertEquals(unreadVariables(ENV_VARIABLES, granted, "serve"), []);
  assertEquals(unreadVariables(ENV_VARIABLES, granted, "listen"), ["HOST", "PORT"]);
});

Deno.test("main.ts --listen with some variables not granted names them and the start task", () => {
  assertEquals(
    unreadSettingsWarning(["MAX_BODY_BYTES"], "listen"),
    "main.ts --listen: settings ignored: no permission to read MAX_BODY_BYTES, so these run on " +
      "their defaults whatever the environment says. Grant them with " +
      "--allow-env=MAX_BODY_BYTES (as `deno task start` does).",
  );
});
