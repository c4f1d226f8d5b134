/**
 * A view that fails, to show the server-error path: the client gets a
 * generic 500 and the error with its stack goes to the server's log only.
 *
 * @module
 */

import { apiView } from "../middleware/drf/mod.ts";

/** GET: throws an unexpected error. */
export const boom = apiView(["GET"], async function boom(): Promise<never> {
  throw new Error("Boom: an unexpected error, for the 500 path");
});
