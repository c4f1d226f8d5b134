/**
 * A liveness check that answers at once.
 *
 * @module
 */

import { apiView } from "../middleware/api_view.ts";

/** GET: `{"status":"ok"}`. */
export const health = apiView(["GET"], async function health() {
  return { status: "ok" };
});
