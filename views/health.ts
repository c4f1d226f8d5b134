/**
 * A liveness check that answers at once.
 *
 * @module
 */

import { apiView } from "../middleware/drf/mod.ts";

/** GET: `{"status":"ok"}`. */
export const health = apiView(["GET"], async function health() {
  return { status: "ok" };
});
