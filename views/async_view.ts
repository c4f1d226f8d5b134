/**
 * The seed's view: `@api_view(['GET'])` over `await asyncio.sleep(1)`.
 *
 * @module
 */

import { delay } from "@std/async/delay";
import { apiView } from "../middleware/drf/mod.ts";

/** The message the seed view answers with. */
export const MESSAGE = "비동기 작업이 완료되었습니다.";

/**
 * GET: wait one second without blocking anything, then answer the message.
 * The wait takes the request's signal, so it stops as soon as the client
 * leaves or the deadline passes.
 */
export const asyncView = apiView(["GET"], async function asyncView(_request, context) {
  await delay(1000, { signal: context.signal });
  return { message: MESSAGE };
});
