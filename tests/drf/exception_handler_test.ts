import { assertEquals } from "@std/assert";
import { delay } from "@std/async/delay";
import { apiView } from "../../middleware/drf/decorators.ts";
import { callView, captureConsole } from "../../middleware/drf/test.ts";
import { logUncaughtErrors } from "../../middleware/http/uncaught_errors.ts";

const SERVER_ERROR = '{"detail":"A server error occurred."}';

// With the net that a serving process installs, for the length of `fn`.
async function capturingErrors(fn: () => Promise<void>): Promise<unknown[][]> {
  const uninstall = logUncaughtErrors();
  try {
    return await captureConsole(fn);
  } finally {
    uninstall();
  }
}

async function call(view: (request: Request) => unknown): Promise<[number, string]> {
  const response = await callView(apiView(["GET"], view));
  return [response.status, await response.text()];
}

Deno.test("a view that fails in any way returns 500 JSON and logs the error once", async (t) => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const failures: [string, (request: Request) => unknown, (logged: unknown) => boolean][] = [
    ["throws at once", () => {
      throw new Error("at once");
    }, (e) => (e as Error).message === "at once"],
    ["rejects later", async () => {
      await delay(10);
      throw new Error("later");
    }, (e) => (e as Error).message === "later"],
    ["throws a string", () => {
      throw "not an Error";
    }, (e) => e === "not an Error"],
    ["throws undefined", () => {
      throw undefined;
    }, (e) => e === undefined],
    ["returns a BigInt", async () => ({ n: 1n }), (e) => e instanceof TypeError],
    ["returns a cycle", async () => cyclic, (e) => e instanceof TypeError],
    ["returns a symbol", async () => Symbol("x"), (e) => e instanceof TypeError],
  ];
  for (const [name, view, matches] of failures) {
    await t.step(name, async () => {
      let answer: [number, string] | undefined;
      const logged = await capturingErrors(async () => {
        answer = await call(view);
      });
      assertEquals(answer, [500, SERVER_ERROR]);
      assertEquals(logged.length, 1, "logged once");
      assertEquals(matches(logged[0][1]), true, "the log has the error itself");
    });
  }
});

Deno.test("a promise a view leaves to reject after answering is logged, not fatal", async () => {
  let answer: [number, string] | undefined;
  const logged = await capturingErrors(async () => {
    answer = await call(async function fireAndForget() {
      // Work the view does not await, failing after the response is made.
      delay(20).then(() => {
        throw new Error("background work failed");
      });
      return { started: true };
    });
    await delay(100);
  });
  assertEquals(answer, [200, '{"started":true}']);
  assertEquals(logged.length, 1, "logged once");
  assertEquals(logged[0][0], "Unhandled promise rejection:");
  // The Error itself, which console.error prints with its stack.
  assertEquals(logged[0][1] instanceof Error, true);
  assertEquals((logged[0][1] as Error).message, "background work failed");
});

Deno.test("an exception a view leaves to a timer is logged, not fatal", async () => {
  let answer: [number, string] | undefined;
  const logged = await capturingErrors(async () => {
    answer = await call(async function leavesATimer() {
      setTimeout(() => {
        throw new Error("timer callback failed");
      }, 20);
      return { started: true };
    });
    await delay(100);
  });
  assertEquals(answer, [200, '{"started":true}']);
  assertEquals(logged.length, 1, "logged once");
  assertEquals(logged[0][0], "Uncaught exception:");
  assertEquals((logged[0][1] as Error).message, "timer callback failed");
});

Deno.test("importing main.ts leaves Deno's unhandled-rejection check on", async () => {
  await import("../../main.ts");
  const promise = Promise.reject(new Error("left behind"));
  promise.catch(() => {}); // handled here; the event below asks who else would
  const event = new PromiseRejectionEvent("unhandledrejection", {
    promise,
    reason: new Error("left behind"),
    cancelable: true,
  });
  globalThis.dispatchEvent(event);
  assertEquals(event.defaultPrevented, false, "no listener swallows rejections");
});
