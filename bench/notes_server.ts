/**
 * The notes API served for the benchmark: the service's middleware chain and
 * its /health, with the notes view set over Deno KV in a file (`--kv PATH`),
 * seeded with `--seed N` notes. Every request is authenticated as one user
 * (an authenticator that always answers), so the figures are the notes API's
 * own: serializer, view set, pagination, filters and KV.
 *
 * Run: deno run --allow-net=127.0.0.1 --allow-env=HOST,PORT --allow-read=PATH --allow-write=PATH
 *      bench/notes_server.ts --kv PATH [--seed N]
 *
 * @module
 */

import { errorBoundary } from "../middleware/error_boundary.ts";
import { ApiContext, type Authenticator, SimpleRouter } from "../middleware/drf/mod.ts";
import { router } from "../middleware/http/router.ts";
import { loadSettings } from "../middleware/http/settings.ts";
import { compose } from "../middleware/mod.ts";
import { checkHost } from "../middleware/check_host.ts";
import { shedLoad } from "../middleware/load_shedding.ts";
import { health } from "../views/health.ts";
import { notesRepository, noteViewSet } from "../views/notes.ts";

const arg = (name: string) => {
  const index = Deno.args.indexOf(name);
  return index === -1 ? undefined : Deno.args[index + 1];
};
const kvPath = arg("--kv");
if (!kvPath) throw new Error("--kv PATH is required");
const kv = await Deno.openKv(kvPath);
const repository = notesRepository(kv);
const seed = Number(arg("--seed") ?? 0);
for (let i = 1; i <= seed; i++) {
  await repository.create({
    owner: "bench",
    title: `Note ${i}`,
    body: `Body of note ${i}, some words to search through.`,
    created: new Date(Date.UTC(2024, 0, 1) + i * 1000),
  });
}

const bench: Authenticator = {
  authenticate: () =>
    Promise.resolve([
      { username: "bench", isAuthenticated: true, isStaff: false, isActive: true },
      null,
    ]),
};
const settings = loadSettings({ ACCESS_LOG: "0" });
const notes = new SimpleRouter().register(
  "notes",
  noteViewSet({ repository, authentication: [bench] }),
).urls;
const app = compose(
  [errorBoundary, shedLoad(settings.maxInFlight), checkHost],
  router([{ pattern: "/health", handler: health }, ...notes]),
);
Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen: () => {} },
  (request, info) => app(request, new ApiContext(request, info, settings)),
);
