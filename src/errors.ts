/**
 * One base class for every error Vigil raises on purpose. Each has a stable snake_case `code`
 * (part of the API contract) and an HTTP status; `src/http/errors.ts` maps them in one place.
 */
export class VigilError extends Error {
  override name = "VigilError";
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Input that is well-formed JSON but breaks a rule (400). */
export class InvalidRequestError extends VigilError {
  override name = "InvalidRequestError";
  constructor(message: string, details?: unknown, code = "invalid_request") {
    super(code, 400, message, details);
  }
}

export class UnauthorizedError extends VigilError {
  override name = "UnauthorizedError";
  constructor(message = "a valid API key is required: send 'Authorization: Bearer <key>'") {
    super("unauthorized", 401, message);
  }
}

export class ForbiddenError extends VigilError {
  override name = "ForbiddenError";
  constructor(message: string) {
    super("forbidden", 403, message);
  }
}

export class NotFoundError extends VigilError {
  override name = "NotFoundError";
  constructor(message: string) {
    super("not_found", 404, message);
  }
}

export class ConflictError extends VigilError {
  override name = "ConflictError";
  constructor(message: string, details?: unknown) {
    super("conflict", 409, message, details);
  }
}

/** The service cannot work right now (store closed, data folder locked...). */
export class UnavailableError extends VigilError {
  override name = "UnavailableError";
  constructor(message: string) {
    super("unavailable", 503, message);
  }
}
