// The notes API alone, as DRF 3.14 serves a ModelViewSet: its router's
// routes over an in-memory KV, a Bearer authenticator of fixed tokens and a
// clock of the test's own.

import { router } from "../../middleware/http/router.ts";
import { loadSettings } from "../../middleware/http/settings.ts";
import {
  ApiContext,
  AuthenticationFailed,
  type Authenticator,
  SimpleRouter,
  type User,
} from "../../middleware/drf/mod.ts";
import { APIClient } from "../../middleware/drf/test.ts";
import { notesRepository, noteViewSet } from "../../views/notes.ts";

/** A signed-in user. */
export function user(username: string): User {
  return { username, isAuthenticated: true, isStaff: false, isActive: true };
}

/** DRF's TokenAuthentication with the keyword Bearer, over fixed tokens. */
export const bearer: Authenticator = {
  authenticate(request) {
    const [keyword, token, ...rest] = (request.headers.get("authorization") ?? "").split(" ");
    if (keyword !== "Bearer") return Promise.resolve(null);
    if (!token || rest.length) {
      throw new AuthenticationFailed("Invalid token header. No credentials provided.");
    }
    const username = { "ada-token": "ada", "bob-token": "bob" }[token];
    if (!username) throw new AuthenticationFailed("Invalid token.");
    return Promise.resolve([user(username), token]);
  },
  authenticateHeader: () => 'Bearer realm="api"',
};

/** A fresh notes API with its own KV, clock and client. */
export async function notesApi(env: Record<string, string> = {}) {
  const kv = await Deno.openKv(":memory:");
  let tick = Date.UTC(2024, 4, 1, 12);
  const repository = notesRepository(kv);
  const viewSet = noteViewSet({
    repository,
    authentication: [bearer],
    now: () => new Date(tick += 1000),
  });
  const handle = router(new SimpleRouter().register("notes", viewSet).urls);
  const settings = loadSettings({ ACCESS_LOG: "0", ...env });
  const client = new APIClient((request) =>
    handle(request, new ApiContext(request, undefined, settings))
  );
  return {
    client,
    repository,
    /** Make `count` notes as `owner`, titled `Note 1`... in order. */
    async seed(count: number, owner = "ada", title = (i: number) => `Note ${i}`) {
      for (let i = 1; i <= count; i++) {
        await repository.create({
          owner,
          title: title(i),
          body: "",
          created: new Date(tick += 1000),
        });
      }
    },
    [Symbol.asyncDispose]: async () => kv.close(),
  };
}
