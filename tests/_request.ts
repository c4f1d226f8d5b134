// The service in-process, through the test kit: what every test sends to.

import { handler } from "./_service.ts";
import { client } from "../middleware/drf/test.ts";

export { type Answer, post } from "../middleware/drf/test.ts";

/** Send a request to the service's handler and read the whole answer. */
export const send = client(handler);
