/**
 * Errors as values, after @std/http's `HttpError` and DRF's `APIException`:
 * each carries the status it answers with, a detail for the body and the
 * headers the response needs. This layer raises the ones a request can meet
 * before any view (no route, a body too large or too slow, a deadline); the
 * DRF layer (`drf/exceptions.ts`) builds its family on the same base.
 *
 * @module
 */

import { STATUS_CODE } from "@std/http/status";

/** Data that can stand as an error's detail. */
export type ErrorDetail = string | readonly unknown[] | Record<string, unknown>;

/**
 * The base of every error answered on purpose. A string detail becomes
 * `{"detail": "..."}`; an object or array detail is the body itself.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { HttpError } from "./errors.ts";
 * const error = new HttpError("Payment required.", { status: 402 });
 * assertEquals([error.status, error.data], [402, { detail: "Payment required." }]);
 * ```
 */
export class HttpError extends Error {
  /** The HTTP status of the response. */
  readonly status: number;
  /** The response body's data: a message, or field errors. */
  readonly detail: ErrorDetail;
  /** Headers the response carries (e.g. `Retry-After`). */
  readonly headers: Record<string, string> | undefined;

  /** Make an error with a detail, the status it answers with and its headers. */
  constructor(
    detail: ErrorDetail,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.name = new.target.name;
    this.status = options.status ?? STATUS_CODE.InternalServerError;
    this.detail = detail;
    this.headers = options.headers;
  }

  /** The body of the response, as DRF's exception handler shapes it. */
  get data(): unknown {
    return typeof this.detail === "string" ? { detail: this.detail } : this.detail;
  }
}

/** 400: the request is malformed (its Host, its body's framing). */
export class BadRequest extends HttpError {
  /** Make a 400 with the detail given. */
  constructor(detail: string) {
    super(detail, { status: STATUS_CODE.BadRequest });
  }
}

/** 404: no such resource. */
export class NotFound extends HttpError {
  /** Make a 404, `"Not found."` by default. */
  constructor(detail: string = "Not found.") {
    super(detail, { status: STATUS_CODE.NotFound });
  }
}

/** 408: the client stopped sending the request body for too long. */
export class BodyIdleTimeout extends HttpError {
  /** Make a 408 that names the wait in milliseconds. */
  constructor(idleMs: number) {
    super(`Request body timed out after ${idleMs} ms without data.`, {
      status: STATUS_CODE.RequestTimeout,
    });
  }
}

/** 413: the request body is larger than the service takes. */
export class PayloadTooLarge extends HttpError {
  /** Make a 413 that names the limit in bytes. */
  constructor(limit: number) {
    super(`Request body is larger than the limit of ${limit} bytes.`, {
      status: STATUS_CODE.ContentTooLarge,
    });
  }
}

/** 499 (nginx's): the client went away before the response; nobody reads it. */
export class ClientClosedRequest extends HttpError {
  /** Make the reason a request is cancelled when its client disconnects. */
  constructor() {
    super("Client closed request.", { status: 499 });
  }
}

/** 503: the view did not answer before its deadline. */
export class DeadlineExceeded extends HttpError {
  /** Make the reason a request is cancelled at its deadline. */
  constructor() {
    super("Request timed out.", { status: STATUS_CODE.ServiceUnavailable });
  }
}

/** 503 with `Retry-After`: the service is too busy to take the request. */
export class ServiceUnavailable extends HttpError {
  /** Make a 503 asking the client to retry after `retryAfter` seconds. */
  constructor(detail: string, retryAfter: number) {
    super(detail, {
      status: STATUS_CODE.ServiceUnavailable,
      headers: { "retry-after": String(retryAfter) },
    });
  }
}
