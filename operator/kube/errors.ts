/**
 * The operator's error catalog. Every error has a stable `code` (documented in docs/operator.md) and a class
 * that tells the controller runtime what to do with it:
 * - {@link TransientError}: retry with per-key exponential backoff (API hiccups, conflicts, missing deps that
 *   will appear).
 * - {@link TerminalError}: report (condition + Event + log) and do not retry until the object changes.
 * Anything else thrown by a reconciler is treated as transient: a bug must not stop the operator.
 */

/** Stable error codes. */
export const ERROR_CODES = {
  /** The API server answered 5xx, 429, or the connection failed. */
  API_UNAVAILABLE: 'AURUM_OP_API_UNAVAILABLE',
  /** Optimistic concurrency conflict (409): someone else wrote first. */
  API_CONFLICT: 'AURUM_OP_API_CONFLICT',
  /** The API server refused a request as invalid (400/422): a bug in rendering or an invalid CR. */
  API_INVALID: 'AURUM_OP_API_INVALID',
  /** Forbidden (403): the operator's RBAC lacks a permission. */
  API_FORBIDDEN: 'AURUM_OP_API_FORBIDDEN',
  /** Any other API status. */
  API_OTHER: 'AURUM_OP_API_ERROR',
  /** A referenced Secret or ConfigMap does not exist (yet). */
  DEPENDENCY_MISSING: 'AURUM_OP_DEPENDENCY_MISSING',
  /** The spec names something the operator configuration does not know (e.g. a profile). */
  SPEC_INVALID: 'AURUM_OP_SPEC_INVALID',
  /** The operator configuration file is invalid. */
  CONFIG_INVALID: 'AURUM_OP_CONFIG_INVALID',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base class: carries a stable code and a CamelCase reason for conditions and Events. */
export class OperatorError extends Error {
  readonly code: ErrorCode;
  readonly reason: string;
  constructor(code: ErrorCode, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.reason = reason;
    this.name = new.target.name;
  }
}

/** Retry with backoff. */
export class TransientError extends OperatorError {}

/** Do not retry until the object changes. */
export class TerminalError extends OperatorError {}

/** An HTTP error from the API server, classified by status. */
export class ApiError extends TransientError {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, method: string, path: string, body: unknown) {
    const msg = (body as { message?: string } | undefined)?.message ?? `HTTP ${status}`;
    super(codeForStatus(status), reasonForStatus(status), `${method} ${path}: ${status} ${msg}`);
    this.status = status;
    this.body = body;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 409) return ERROR_CODES.API_CONFLICT;
  if (status === 400 || status === 422) return ERROR_CODES.API_INVALID;
  if (status === 403) return ERROR_CODES.API_FORBIDDEN;
  if (status === 429 || status >= 500 || status === 0) return ERROR_CODES.API_UNAVAILABLE;
  return ERROR_CODES.API_OTHER;
}

function reasonForStatus(status: number): string {
  if (status === 409) return 'Conflict';
  if (status === 400 || status === 422) return 'Invalid';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  return 'ApiUnavailable';
}

/** true when `err` is an API 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** true when `err` is an API 409. */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409;
}
