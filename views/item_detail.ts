/**
 * One item by its numeric id, from the route `/items/<int:id>`.
 *
 * @module
 */

import { apiView, NotFound } from "../middleware/drf/mod.ts";

const LAST_ID = 1000;

/** GET: `{"id": n}`; 404 for an id past the last item. */
export const itemDetail = apiView(["GET"], async function itemDetail(_request, context) {
  const id = context.params.id as number;
  if (id > LAST_ID) throw new NotFound();
  return { id };
});
