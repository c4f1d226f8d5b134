/**
 * The one place errors become response data, after DRF's
 * `rest_framework.views.exception_handler`. The dispatch of every view and the
 * service's error boundary both answer through it.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";
import { HttpError } from "../http/errors.ts";
import { ApiResponse } from "./response.ts";

const SERVER_ERROR = { detail: "A server error occurred." };

/**
 * Turn a thrown value into the response data to answer with: an error of the
 * API's family into its status, detail and headers; anything else into a
 * generic 500, logged here once with its stack and never shown to the client.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { NotFound } from "./exceptions.ts";
 * import { handleException } from "./exception_handler.ts";
 * const response = handleException(new NotFound());
 * assertEquals([response.status, response.data], [404, { detail: "Not found." }]);
 * ```
 */
export function handleException(error: unknown): ApiResponse {
  if (error instanceof HttpError) {
    return new ApiResponse(error.data, { status: error.status, headers: error.headers });
  }
  console.error("Internal server error:", error);
  return new ApiResponse(SERVER_ERROR, { status: STATUS_CODE.InternalServerError });
}
