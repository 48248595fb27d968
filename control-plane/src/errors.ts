/**
 * Domain errors: thrown anywhere, mapped to application/problem+json (RFC 9457) in one
 * place (http/problem.ts). `detail` always says what is wrong and how to fix it.
 */
export interface FieldProblem {
  /** JSON pointer into the request body (or "/query/x", "/path/x"). */
  readonly pointer: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly extra: Record<string, unknown>;

  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = new.target.name;
    this.extra = extra;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly type = "validation";
  readonly title = "Invalid request";
  constructor(detail: string, readonly errors: readonly FieldProblem[] = []) {
    super(detail, { errors });
  }
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly type = "unauthenticated";
  readonly title = "Authentication required";
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly type = "forbidden";
  readonly title = "Forbidden";
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly type = "not-found";
  readonly title = "Not found";
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly type = "conflict";
  readonly title = "Conflict";
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly type = "payload-too-large";
  readonly title = "Payload too large";
}

export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly type = "unprocessable";
  readonly title = "Semantically invalid";
  constructor(detail: string, readonly errors: readonly FieldProblem[] = [], extra: Record<string, unknown> = {}) {
    super(detail, { ...extra, errors });
  }
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly type = "rate-limited";
  readonly title = "Too many requests";
}

/** The database did not answer or gave up on the request (unreachable, overloaded, a lock timeout): worth a retry. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly type = "unavailable";
  readonly title = "Service unavailable";
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
  }
}
