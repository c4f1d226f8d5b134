/**
 * The process-wide net for errors nobody catches: a promise that rejects with
 * nobody listening (work a view started and did not await, failing after its
 * response was sent), or an exception thrown from a timer or event callback a
 * view left behind. Deno ends the process on either by default; a server must
 * log it and keep serving everyone else.
 *
 * @module
 */

let installed = false;

function onUnhandledRejection(event: PromiseRejectionEvent): void {
  event.preventDefault();
  console.error("Unhandled promise rejection:", event.reason);
}

function onUncaughtException(event: ErrorEvent): void {
  event.preventDefault();
  console.error("Uncaught exception:", event.error);
}

/**
 * Log every unhandled promise rejection and uncaught exception once, with its
 * stack, instead of ending the process. Calling it again changes nothing.
 * Only a process that serves installs it (`main.ts` run as the main module);
 * the function it returns takes the net away again.
 *
 * @example
 * ```ts
 * import { logUncaughtErrors } from "./uncaught_errors.ts";
 * const uninstall = logUncaughtErrors();
 * uninstall();
 * ```
 */
export function logUncaughtErrors(): () => void {
  if (!installed) {
    installed = true;
    globalThis.addEventListener("unhandledrejection", onUnhandledRejection);
    globalThis.addEventListener("error", onUncaughtException);
  }
  return uninstall;
}

function uninstall(): void {
  installed = false;
  globalThis.removeEventListener("unhandledrejection", onUnhandledRejection);
  globalThis.removeEventListener("error", onUncaughtException);
}
