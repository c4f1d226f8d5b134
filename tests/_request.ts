// Helpers for calling the service in-process, as a client would over HTTP.

import { handler } from "../main.ts";

/** What a test looks at in a response: status, headers and parsed body. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Send a request to the app's handler and read the whole answer. */
export async function send(path: string, init?: RequestInit): Promise<Answer> {
  const response = await handler(new Request(`http://localhost${path}`, init));
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A POST with a body and, unless `null`, a Content-Type. */
export function post(
  body: BodyInit | null,
  contentType: string | null = "application/json",
  method = "POST",
): RequestInit {
  const headers = new Headers();
  if (contentType !== null) headers.set("content-type", contentType);
  // A string body would get a default `text/plain` type; bytes get none.
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return { method, headers, body: bytes };
}
