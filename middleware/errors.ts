/**
 * The API's error family, after DRF's `rest_framework/exceptions.py`.
 *
 * A view throws one of these; the exception handler turns it into a JSON
 * response with the error's status. A string detail becomes
 * `{"detail": "..."}`; an object or array detail (as from `ValidationError`)
 * is the body itself.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";

/** Data that can stand as an error's detail. */
export type ErrorDetail = string | readonly unknown[] | Record<string, unknown>;

/**
 * The base of every error the API answers on purpose.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ApiError } from "./errors.ts";
 * const error = new ApiError("Payment required.", { status: 402, code: "payment_required" });
 * assertEquals([error.status, error.data], [402, { detail: "Payment required." }]);
 * ```
 */
export class ApiError extends Error {
  /** The HTTP status of the response. */
  readonly status: number;
  /** The response body's data: a message, or field errors. */
  readonly detail: ErrorDetail;
  /** A short machine-readable name for the error, as DRF's `code`. */
  readonly code: string;
  /** Headers the response carries (e.g. `Retry-After`). */
  readonly headers: Record<string, string> | undefined;

  /** Make an error with a detail and the status it answers with. */
  constructor(
    detail: ErrorDetail,
    options: { status?: number; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.name = new.target.name;
    this.status = options.status ?? STATUS_CODE.InternalServerError;
    this.detail = detail;
    this.code = options.code ?? "error";
    this.headers = options.headers;
  }

  /** The body of the response, as DRF's exception handler shapes it. */
  get data(): unknown {
    return typeof this.detail === "string" ? { detail: this.detail } : this.detail;
  }
}

/** 400: the request body could not be parsed. */
export class ParseError extends ApiError {
  /** Make a 400 parse error, `"Malformed request."` by default. */
  constructor(detail: string = "Malformed request.") {
    super(detail, { status: STATUS_CODE.BadRequest, code: "parse_error" });
  }
}

/**
 * 400: the data is not valid. A string becomes a one-item list, as in DRF.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ValidationError } from "./errors.ts";
 * assertEquals(new ValidationError("Bad.").data, ["Bad."]);
 * const fields = new ValidationError({ name: ["This field is required."] });
 * assertEquals(fields.data, { name: ["This field is required."] });
 * ```
 */
export class ValidationError extends ApiError {
  /** Make a 400 validation error from a message, a list or field errors. */
  constructor(detail: ErrorDetail = "Invalid input.") {
    super(typeof detail === "string" ? [detail] : detail, {
      status: STATUS_CODE.BadRequest,
      code: "invalid",
    });
  }
}

/** 404: no such resource. */
export class NotFound extends ApiError {
  /** Make a 404, `"Not found."` by default. */
  constructor(detail: string = "Not found.") {
    super(detail, { status: STATUS_CODE.NotFound, code: "not_found" });
  }
}

// A method name is a token of any length; the detail quotes this much of it.
const MAX_QUOTED_METHOD = 32;

/** 405: the view does not take this method. */
export class MethodNotAllowed extends ApiError {
  /** Make a 405 naming the method as the client sent it, cut to 32 characters. */
  constructor(method: string) {
    const quoted = method.length > MAX_QUOTED_METHOD
      ? `${method.slice(0, MAX_QUOTED_METHOD)}...`
      : method;
    super(`Method "${quoted}" not allowed.`, {
      status: STATUS_CODE.MethodNotAllowed,
      code: "method_not_allowed",
    });
  }
}

/** 406: nothing the service renders is acceptable to the client. */
export class NotAcceptable extends ApiError {
  /** Make a 406, with DRF's detail by default. */
  constructor(detail: string = "Could not satisfy the request Accept header.") {
    super(detail, { status: STATUS_CODE.NotAcceptable, code: "not_acceptable" });
  }
}

/** 408: the client stopped sending the request body. */
export class RequestTimeout extends ApiError {
  /** Make a 408 that names the wait in milliseconds. */
  constructor(idleMs: number) {
    super(`Request body timed out after ${idleMs} ms without data.`, {
      status: STATUS_CODE.RequestTimeout,
      code: "request_timeout",
    });
  }
}

/** 413: the request body is larger than the service takes. */
export class PayloadTooLarge extends ApiError {
  /** Make a 413 that names the limit in bytes. */
  constructor(limit: number) {
    super(`Request body is larger than the limit of ${limit} bytes.`, {
      status: STATUS_CODE.ContentTooLarge,
      code: "payload_too_large",
    });
  }
}

/** 415: no parser takes the request's media type. */
export class UnsupportedMediaType extends ApiError {
  /** Make a 415 quoting the `Content-Type` as sent (`""` when absent). */
  constructor(mediaType: string) {
    super(`Unsupported media type "${mediaType}" in request.`, {
      status: STATUS_CODE.UnsupportedMediaType,
      code: "unsupported_media_type",
    });
  }
}

/** 499 (nginx's): the client went away before the response; nobody reads it. */
export class ClientClosedRequest extends ApiError {
  /** Make the reason a request is cancelled when its client disconnects. */
  constructor() {
    super("Client closed request.", { status: 499, code: "client_closed_request" });
  }
}

/** 503: the view did not answer before its deadline. */
export class RequestTimedOut extends ApiError {
  /** Make the reason a request is cancelled at its deadline. */
  constructor() {
    super("Request timed out.", {
      status: STATUS_CODE.ServiceUnavailable,
      code: "request_timed_out",
    });
  }
}
