/**
 * The WebSocket protocol's messages taken apart: `{"id": <any>, "seconds":
 * <0..10>}`, text of at most 64 KiB, with an id of at most
 * {@linkcode MAX_ID_LENGTH} characters of JSON; anything else is told what is
 * wrong with it.
 *
 * @module
 */

const MAX_SECONDS = 10;
const MAX_MESSAGE_LENGTH = 64 * 1024;
/** The longest id, as the characters of its JSON. */
export const MAX_ID_LENGTH = 1024;

/** A message taken apart: its id's JSON and wait, or what is wrong with it. */
export type Parsed = { idJson: string; ms: number } | { error: string } | { tooLong: string };

const TOO_LONG = { tooLong: `Message is longer than ${MAX_MESSAGE_LENGTH} characters.` };

/**
 * Take a message apart: its id as JSON and its wait in ms, or an `error` to
 * answer it with, or `tooLong`, the reason to close the socket with 1009.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseTask } from "./_ws_messages.ts";
 * assertEquals(parseTask('{"id": "a", "seconds": 0.5}'), { idJson: '"a"', ms: 500 });
 * assertEquals(parseTask("{}"), { error: 'Message has no "id".' });
 * ```
 */
export function parseTask(data: unknown): Parsed {
  if (typeof data !== "string") {
    const size = (data as Blob).size ?? (data as ArrayBuffer).byteLength ?? 0;
    if (size > MAX_MESSAGE_LENGTH) return TOO_LONG;
    return { error: "Messages must be text, not binary." };
  }
  if (data.length > MAX_MESSAGE_LENGTH) return TOO_LONG;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch (error) {
    return { error: `Message is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return { error: 'Message must be an object: {"id": <any>, "seconds": <0..10>}.' };
  }
  const { id, seconds } = message as Record<string, unknown>;
  if (!Object.hasOwn(message, "id")) return { error: 'Message has no "id".' };
  const idJson = JSON.stringify(id) ?? "null";
  if (idJson.length > MAX_ID_LENGTH) {
    return {
      error: `"id" must be at most ${MAX_ID_LENGTH} characters of JSON, got ${idJson.length}.`,
    };
  }
  if (typeof seconds !== "number" || !(seconds >= 0 && seconds <= MAX_SECONDS)) {
    return {
      error: `"seconds" must be a number from 0 to ${MAX_SECONDS}, got ${
        JSON.stringify(seconds) ?? "nothing"
      }.`,
    };
  }
  return { idJson, ms: Math.ceil(seconds * 1000) };
}
