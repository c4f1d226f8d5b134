/**
 * The process-wide net for promises that reject with nobody listening, e.g.
 * work a view started and did not await, failing after its response was
 * sent. Deno ends the process on such a rejection by default; a server must
 * log it and keep serving everyone else.
 *
 * @module
 */

let installed = false;

function onUnhandledRejection(event: PromiseRejectionEvent): void {
  event.preventDefault();
  console.error("Unhandled promise rejection:", event.reason);
}

/**
 * Log every unhandled promise rejection once, with its stack, instead of
 * ending the process. Calling it again changes nothing.
 *
 * @example
 * ```ts
 * import { logUnhandledRejections } from "./unhandled_rejection.ts";
 * logUnhandledRejections();
 * ```
 */
export function logUnhandledRejections(): void {
  if (installed) return;
  installed = true;
  globalThis.addEventListener("unhandledrejection", onUnhandledRejection);
}
