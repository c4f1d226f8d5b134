/**
 * The API's error family, after DRF's `rest_framework/exceptions.py`: each
 * is a small class with a status and DRF's default detail, byte for byte.
 *
 * A view throws one of these; the exception handler turns it into a response
 * with the error's status. A string detail becomes `{"detail": "..."}`; an
 * object or array detail (as from `ValidationError`) is the body itself.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";
import { type ErrorDetail, HttpError } from "../http/errors.ts";

export {
  BodyIdleTimeout,
  ClientClosedRequest,
  DeadlineExceeded,
  type ErrorDetail,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
} from "../http/errors.ts";

/**
 * DRF's `APIException`: the base of every error the API answers on purpose.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiError } from "./exceptions.ts";
 * const error = new ApiError("Payment required.", { status: 402 });
 * assertEquals([error.status, error.data], [402, { detail: "Payment required." }]);
 * ```
 */
export const ApiError = HttpError;
/** DRF's `APIException`. */
export type ApiError = HttpError;

/** 400: the request body could not be parsed. */
export class ParseError extends HttpError {
  /** Make a 400 parse error, `"Malformed request."` by default. */
  constructor(detail: string = "Malformed request.") {
    super(detail, { status: STATUS_CODE.BadRequest });
  }
}

/**
 * 400: the data is not valid. A string becomes a one-item list, as in DRF.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ValidationError } from "./exceptions.ts";
 * assertEquals(new ValidationError("Bad.").data, ["Bad."]);
 * const fields = new ValidationError({ name: ["This field is required."] });
 * assertEquals(fields.data, { name: ["This field is required."] });
 * ```
 */
export class ValidationError extends HttpError {
  /** Make a 400 validation error from a message, a list or field errors. */
  constructor(detail: ErrorDetail = "Invalid input.") {
    super(typeof detail === "string" ? [detail] : detail, { status: STATUS_CODE.BadRequest });
  }
}

/**
 * 401, or 403 when no authenticator has a challenge to send: credentials were
 * sent and are wrong.
 */
export class AuthenticationFailed extends HttpError {
  /** Make the error, `"Incorrect authentication credentials."` by default. */
  constructor(detail: string = "Incorrect authentication credentials.") {
    super(detail, { status: STATUS_CODE.Unauthorized });
  }
}

/** 401, or 403 when no authenticator has a challenge to send: no credentials. */
export class NotAuthenticated extends HttpError {
  /** Make the error, `"Authentication credentials were not provided."` by default. */
  constructor(detail: string = "Authentication credentials were not provided.") {
    super(detail, { status: STATUS_CODE.Unauthorized });
  }
}

/** 403: the client is known and may not do this. */
export class PermissionDenied extends HttpError {
  /** Make a 403, `"You do not have permission to perform this action."` by default. */
  constructor(detail: string = "You do not have permission to perform this action.") {
    super(detail, { status: STATUS_CODE.Forbidden });
  }
}

// A method name is a token of any length; the detail quotes this much of it.
const MAX_QUOTED_METHOD = 32;

/** 405: the view does not take this method. */
export class MethodNotAllowed extends HttpError {
  /** Make a 405 naming the method as the client sent it, cut to 32 characters. */
  constructor(method: string) {
    const quoted = method.length > MAX_QUOTED_METHOD
      ? `${method.slice(0, MAX_QUOTED_METHOD)}...`
      : method;
    super(`Method "${quoted}" not allowed.`, { status: STATUS_CODE.MethodNotAllowed });
  }
}

/** 406: nothing the service renders is acceptable to the client. */
export class NotAcceptable extends HttpError {
  /** Make a 406, with DRF's detail by default. */
  constructor(detail: string = "Could not satisfy the request Accept header.") {
    super(detail, { status: STATUS_CODE.NotAcceptable });
  }
}

/** 415: no parser takes the request's media type. */
export class UnsupportedMediaType extends HttpError {
  /** Make a 415 quoting the `Content-Type` as sent (`""` when absent). */
  constructor(mediaType: string) {
    super(`Unsupported media type "${mediaType}" in request.`, {
      status: STATUS_CODE.UnsupportedMediaType,
    });
  }
}

/**
 * 429 with `Retry-After`: the client is over a rate, as DRF's `Throttled`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Throttled } from "./exceptions.ts";
 * const error = new Throttled(1.2);
 * assertEquals(error.data, { detail: "Request was throttled. Expected available in 2 seconds." });
 * assertEquals(error.headers, { "retry-after": "2" });
 * ```
 */
export class Throttled extends HttpError {
  /** Seconds until a request would be admitted, rounded up; `undefined` when unknown. */
  readonly wait: number | undefined;

  /** Make a 429 for a wait in seconds (rounded up), or without one. */
  constructor(wait?: number | null) {
    const seconds = wait === undefined || wait === null ? undefined : Math.ceil(wait);
    const extra = seconds === undefined
      ? ""
      : ` Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`;
    super(`Request was throttled.${extra}`, {
      status: STATUS_CODE.TooManyRequests,
      // DRF sends Retry-After only for a wait that is not zero.
      headers: seconds ? { "retry-after": String(seconds) } : undefined,
    });
    this.wait = seconds;
  }
}
