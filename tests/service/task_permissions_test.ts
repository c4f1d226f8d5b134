import { assertEquals } from "@std/assert";
import { checkTasks, forbiddenFlags } from "../../.ci/task_permissions.ts";
import config from "../../deno.json" with { type: "json" };
import { ENV_VARIABLES } from "../../middleware/http/settings.ts";
import { NOT_UNDER_SERVE } from "../../middleware/http/settings_notice.ts";

Deno.test("forbiddenFlags() finds every grant CI refuses", () => {
  const cases: [string, string[]][] = [
    ["deno run --allow-net=127.0.0.1 --allow-env=PORT main.ts", []],
    ["deno test --doc --allow-net=127.0.0.1 tests/", []],
    ["deno run --allow-read=./static,deno.json main.ts", []],
    ["deno run -R=./static -N -E main.ts", []],
    ["deno check main.ts", []],
    ["deno run -A main.ts", ["-A"]],
    ["deno run --allow-all main.ts", ["--allow-all"]],
    ["deno run --allow-run main.ts", ["--allow-run"]],
    ["deno run --allow-run=chromium main.ts", ["--allow-run=chromium"]],
    ["deno run --allow-write=/tmp main.ts", ["--allow-write=/tmp"]],
    ["deno run --allow-write main.ts", ["--allow-write"]],
    ["deno run --allow-ffi main.ts", ["--allow-ffi"]],
    ["deno run --allow-read main.ts", ["--allow-read"]],
    ["deno run --allow-read= main.ts", ["--allow-read="]],
    ["deno run -R main.ts", ["-R"]],
    ["deno run -W=. main.ts", ["-W=."]],
    ["deno run -NR main.ts", ["-NR"]],
    ["deno eval 'console.log(1)'", ["deno eval"]],
    ["deno fmt && deno run -A x.ts", ["-A"]],
  ];
  for (const [command, found] of cases) assertEquals(forbiddenFlags(command), found, command);
});

Deno.test("start and serve alone may write, and only to data/", () => {
  const result = checkTasks({
    start: "deno run --allow-read=data --allow-write=data main.ts",
    serve: "deno serve --allow-read=data --allow-write=data main.ts",
    test: "deno test --allow-write=data",
    check: "deno check",
  });
  assertEquals([...result], [
    ["start", []],
    ["serve", []],
    ["test", ["--allow-write=data"]],
    ["check", []],
  ]);
  const elsewhere = checkTasks({ start: "deno run --allow-write=data,/etc main.ts" });
  assertEquals(elsewhere.get("start"), ["--allow-write=data,/etc"]);
});

Deno.test("checkTasks() checks start, serve, test and check only, as strings or objects", () => {
  const result = checkTasks({
    start: { command: "deno run -A main.ts", description: "serve" },
    serve: "deno serve --allow-all main.ts",
    test: "deno test --allow-write",
    "test:browser": "deno test --allow-run=chromium --allow-write=/tmp",
  });
  assertEquals([...result], [
    ["start", ["-A"]],
    ["serve", ["--allow-all"]],
    ["test", ["--allow-write"]],
    ["check", []],
  ]);
});

Deno.test("this repository's deno.json passes the least-privilege check", () => {
  for (const [task, flags] of checkTasks(config.tasks)) assertEquals(flags, [], task);
});

Deno.test("the start task may read exactly the variables the settings take", () => {
  const start = config.tasks.start;
  const granted = /--allow-env=(\S+)/.exec(start)?.[1].split(",") ?? [];
  assertEquals(granted.toSorted(), [...ENV_VARIABLES].toSorted());
});

Deno.test("the serve task may read exactly the variables deno serve uses", () => {
  const serve = (config.tasks as Record<string, string>).serve ?? "";
  const granted = /--allow-env=(\S+)/.exec(serve)?.[1].split(",") ?? [];
  const used = ENV_VARIABLES.filter((variable) => !NOT_UNDER_SERVE.includes(variable));
  assertEquals(granted.toSorted(), used.toSorted());
});
