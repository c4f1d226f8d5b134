import { assertEquals, assertThrows } from "@std/assert";
import { Context, type Handler } from "../../middleware/http/context.ts";
import { router } from "../../middleware/http/router.ts";
import { send } from "../_request.ts";

const echoParams: Handler = async (_request, context) =>
  Response.json({ path: context.path, params: context.params });

async function route(app: Handler, path: string): Promise<unknown> {
  const request = new Request(`http://localhost${path}`);
  try {
    return await (await app(request, new Context(request))).json();
  } catch (error) {
    return (error as Error).name;
  }
}

Deno.test("router() matches static paths exactly and parameters by converter", async (t) => {
  const app = router([
    { pattern: "/users", handler: echoParams },
    { pattern: "/users/me", handler: async () => Response.json("me") },
    { pattern: "/users/<int:id>", handler: echoParams },
    { pattern: "/users/<str:name>/posts/<int:post>", handler: echoParams },
    { pattern: "/files/<name>", handler: echoParams },
  ]);
  const cases: [string, unknown][] = [
    ["/users", { path: "/users", params: {} }],
    ["/users/", "NotFound"],
    ["/users/me", "me"],
    ["/users/42", { path: "/users/42", params: { id: 42 } }],
    ["/users/0042", { path: "/users/0042", params: { id: 42 } }],
    ["/users/4.2", "NotFound"],
    ["/users/ada/posts/3", { path: "/users/ada/posts/3", params: { name: "ada", post: 3 } }],
    ["/users/ada/posts/x", "NotFound"],
    ["/files/a%20b", { path: "/files/a%20b", params: { name: "a b" } }],
    // An encoded slash stays inside its segment: never a path separator.
    ["/files/a%2Fb", { path: "/files/a%2Fb", params: { name: "a/b" } }],
    ["/files/%zz", { path: "/files/%zz", params: { name: "%zz" } }],
    ["/files/", "NotFound"],
    ["/users/42?x=1", { path: "/users/42", params: { id: 42 } }],
    ["/%75sers", { path: "/%75sers", params: {} }],
    ["/users%2Fme", "NotFound"],
  ];
  for (const [path, expected] of cases) {
    await t.step(path, async () => assertEquals(await route(app, path), expected));
  }
});

Deno.test("router() refuses a malformed or repeated pattern at once", () => {
  const handler = echoParams;
  assertThrows(() => router([{ pattern: "users", handler }]), TypeError, "must start with");
  assertThrows(
    () => router([{ pattern: "/a/<float:x>", handler }]),
    TypeError,
    "Unknown converter",
  );
  assertThrows(() => router([{ pattern: "/a/<x", handler }]), TypeError, "Malformed parameter");
  assertThrows(
    () => router([{ pattern: "/a/<x>/<x>", handler }]),
    TypeError,
    "given twice",
  );
  assertThrows(
    () => router([{ pattern: "/a", handler }, { pattern: "/a", handler }]),
    TypeError,
    "given twice",
  );
  assertThrows(
    () => router([{ pattern: "/a/<int:x>", handler }, { pattern: "/a/<int:y>", handler }]),
    TypeError,
    "given twice",
  );
});

Deno.test("an encoded path reaches the same view as the plain one", async () => {
  assertEquals((await send("/%68ealth")).json, { status: "ok" });
  assertEquals((await send("/items/%37")).json, { id: 7 });
});
