/**
 * The notes API: a `ModelViewSet` over a Deno KV repository, registered on a
 * router as `/notes` and `/notes/<int:id>`. Fields: `id` (read-only),
 * `owner` (read-only, the author's username), `title` (required, not blank,
 * at most 200 characters), `body` (optional, may be blank, `""` by default),
 * `created` (read-only, ISO 8601 UTC). Anyone may read; a signed-in user may
 * create; only the owner may change or delete (403). Ten a page, newest
 * first; `?search=` over title and body; `?ordering=` by `created` or `title`.
 *
 * @module
 */

import {
  type Authenticator,
  f,
  IsAuthenticatedOrReadOnly,
  KvRepository,
  ModelViewSet,
  OrderingFilter,
  PageNumberPagination,
  type Permission,
  SAFE_METHODS,
  SearchFilter,
  serializer,
} from "../middleware/drf/mod.ts";

/** A note as stored. */
export interface Note {
  readonly id: number;
  readonly owner: string;
  readonly title: string;
  readonly body: string;
  readonly created: Date;
}

/** What a note takes and shows, as DRF's `ModelSerializer` of the model would. */
export const noteSerializer = serializer({
  id: f.integer({ readOnly: true, label: "ID" }),
  owner: f.readOnly<string>(),
  title: f.string({ maxLength: 200 }),
  body: f.string({ allowBlank: true, default: "" }),
  created: f.datetime({ readOnly: true }),
});

/**
 * DRF's docs' `IsOwnerOrReadOnly`: anyone may read a note, only its owner
 * may change or delete it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiContext } from "../middleware/drf/mod.ts";
 * import { IsOwnerOrReadOnly } from "./notes.ts";
 * const put = new Request("http://x/notes/1", { method: "PUT" });
 * assertEquals(IsOwnerOrReadOnly.hasObjectPermission!(put, new ApiContext(put), { owner: "ada" }), false);
 * ```
 */
export const IsOwnerOrReadOnly: Permission = Object.freeze({
  hasPermission: () => true,
  hasObjectPermission: (request: Request, context: { user: { username: string } }, note: unknown) =>
    SAFE_METHODS.includes(request.method.toUpperCase()) ||
    (typeof note === "object" && note !== null && "owner" in note &&
      note.owner === context.user.username),
});

/**
 * The notes of a KV store, indexed by owner and by creation time.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { notesRepository } from "./notes.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const note = await notesRepository(kv).create({ owner: "ada", title: "Hi", body: "", created: new Date(0) });
 * assertEquals(note.id, 1);
 * ```
 */
export function notesRepository(kv: Deno.Kv): KvRepository<Note> {
  return new KvRepository<Note>(kv, { prefix: "notes", indexes: ["owner", "created"] });
}

/** What the notes view set is made with: its store and its policies. */
export interface NoteViewSetOptions {
  /** Where notes are kept. */
  readonly repository: KvRepository<Note>;
  /** Who is asking: the service's Bearer, then Basic. */
  readonly authentication: readonly Authenticator[];
  /** Who may do what; `IsAuthenticatedOrReadOnly` and `IsOwnerOrReadOnly` by default. */
  readonly permissions?: readonly Permission[];
  /** The clock notes are created by (a test's own). */
  readonly now?: () => Date;
}

/**
 * The notes view set (DRF's `NoteViewSet(ModelViewSet)`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { SimpleRouter } from "../middleware/drf/mod.ts";
 * import { notesRepository, noteViewSet } from "./notes.ts";
 * await using kv = await Deno.openKv(":memory:");
 * const notes = noteViewSet({ repository: notesRepository(kv), authentication: [] });
 * const routes = new SimpleRouter().register("notes", notes).urls;
 * assertEquals(routes.map((r) => r.pattern), ["/notes", "/notes/<int:id>"]);
 * ```
 */
export function noteViewSet(
  options: NoteViewSetOptions,
): ModelViewSet<Note, typeof noteSerializer> {
  const { repository, now = () => new Date() } = options;
  return new ModelViewSet({
    name: "Note",
    repository,
    serializer: noteSerializer,
    authentication: options.authentication,
    permissions: options.permissions ?? [IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly],
    pagination: new PageNumberPagination({ pageSize: 10 }),
    filters: [
      new SearchFilter({ fields: ["title", "body"] }),
      // Notes made in the same millisecond go by id, in the same direction.
      new OrderingFilter({
        fields: { created: ["created", "id"], title: ["title"] },
        default: ["-created"],
      }),
    ],
    // DRF's perform_create: serializer.save(owner=request.user).
    performCreate: (data, context) =>
      repository.create({
        title: data.title,
        body: data.body ?? "",
        owner: context.user.username,
        created: now(),
      }),
  });
}
