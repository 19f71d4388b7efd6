/**
 * Domain errors. Each carries what a caller needs to fix the request; `toProblem` in the platform maps
 * them to HTTP `application/problem+json` in one place.
 */

/** One thing wrong with the input, located by a field path such as `metrics[3].value`. */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly title: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    readonly violations: readonly Violation[],
    message = violations.map((v) => `${v.path || '(body)'}: ${v.message}`).join('; '),
  ) {
    super(message, 400, 'Invalid request');
  }
}

export class BadRequestError extends DomainError {
  constructor(message: string) {
    super(message, 400, 'Bad request');
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'a valid bearer token is required') {
    super(message, 401, 'Unauthorized');
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, 403, 'Forbidden');
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(message, 404, 'Not found');
  }
}

export class MethodNotAllowedError extends DomainError {
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super(message, 405, 'Method not allowed');
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 409, 'Conflict');
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(message, 413, 'Payload too large');
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super(message, 415, 'Unsupported media type');
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(message: string) {
    super(message, 429, 'Too many requests', true);
  }
}

/**
 * The request could not be completed now and may be sent again as it is (storage unavailable, the
 * request's deadline passed): 503 with `Retry-After`. OTLP exporters and Vigil's SDK retry it.
 */
export class ServiceUnavailableError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 2,
    /** What the client should know about the partial work (RFC 9457 extension members). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, 503, 'Service unavailable', true);
  }
}

/** A documented limit on what Vigil stores was reached (services, environments): 422, not worth retrying. */
export class LimitReachedError extends DomainError {
  constructor(
    message: string,
    readonly limit: string,
  ) {
    super(message, 422, 'Limit reached');
  }
}
