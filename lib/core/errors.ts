import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "./database-unavailable";
import type { ErrorKey, TextParams } from "./error-text";

// One error type for everything a user or operator is meant to read. Its code decides the HTTP
// status (in one place, below); anything that is not an AppError is unexpected and is reported only
// by its correlation id.
const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 409,
  POLICY_VIOLATION: 409,
  NO_CAPACITY: 409,
  /** something else must finish first (a running job, nodes still booting); retried, never a user's fault */
  BUSY: 409,
  HOST_UNREACHABLE: 502,
  HOST_KEY_MISMATCH: 502,
  HOST_COMMAND_FAILED: 502,
  TIMEOUT: 504,
  INTERNAL: 500,
  /** the database cannot be reached (restart, failover): the client retries after `Retry-After` seconds */
  UNAVAILABLE: 503,
} as const;

/** Seconds a client waits before retrying a 503: a PostgreSQL restart or failover takes a few. */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type { ErrorKey, TextParams };

/**
 * `message` is the English text the API returns. `key` names the same sentence in the error
 * dictionary (lib/core/error-text.ts, translated in app/_i18n/nb/errors.ts) and `params` fills its
 * {placeholders}, so a page words the error in its reader's language (app/_i18n/lib-text.ts).
 * tests/unit/i18n-lib-text.test.ts checks that the key's English reads as `message` does.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly transient: boolean;
  readonly key?: ErrorKey;
  readonly params?: TextParams;
  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: unknown; transient?: boolean; cause?: unknown; key?: ErrorKey; params?: TextParams } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.details = opts.details;
    this.transient = opts.transient ?? false;
    this.key = opts.key;
    this.params = opts.params;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A 404; `text` names the message in the error dictionary (the bare "Not found" has its own key). */
export function notFound(what?: string, text?: { key: ErrorKey; params?: TextParams }): AppError {
  return what === undefined ? new AppError("NOT_FOUND", "Not found", { key: "error.notFound" }) : new AppError("NOT_FOUND", what, text);
}

export function fromZod(err: ZodError, what = "Invalid input"): AppError {
  const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return new AppError("VALIDATION", `${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`, {
    details: issues,
  });
}

export interface PublicError {
  error: { code: ErrorCode; message: string; details?: unknown; correlationId?: string };
}

/** Turns any thrown value into what a client may see, logging the unexpected ones with an id. */
export function toPublicError(err: unknown): { status: number; body: PublicError; headers: Record<string, string> } {
  if (err instanceof ZodError) err = fromZod(err);
  if (err instanceof AppError) {
    const headers: Record<string, string> = err.code === "UNAVAILABLE" ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {};
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details } }, headers };
  }
  const correlationId = randomUUID();
  // Logged the same way whether or not it is an outage: the operator needs the stack either way.
  console.error(`[skjold] unexpected error ${correlationId}:`, err instanceof Error ? err.stack : String(err));
  if (isDatabaseUnavailable(err)) {
    // Not the client's fault and not a bug: the database is restarting or unreachable. 503 with
    // Retry-After tells clients and load balancers to come back instead of reporting a failure.
    return {
      status: 503,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
      body: {
        error: {
          code: "UNAVAILABLE",
          message: `The database is unavailable for the moment. Retry in ${RETRY_AFTER_SECONDS} seconds; if it lasts, quote this id to your operator: ${correlationId}`,
          correlationId,
        },
      },
    };
  }
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        code: "INTERNAL",
        message: `Something went wrong on our side. Quote this id to your operator: ${correlationId}`,
        correlationId,
      },
    },
  };
}
