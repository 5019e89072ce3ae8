// Typed application errors with stable codes; the Worker's error funnel maps them to JSON.
export type ErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "bad_request"
  | "config_invalid"
  | "database_unavailable"
  | "upstream_unavailable"
  | "rate_limited"
  | "conflict"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  bad_request: 400,
  config_invalid: 500,
  database_unavailable: 503,
  upstream_unavailable: 503,
  rate_limited: 429,
  conflict: 409,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError("bad_request", message, details);
