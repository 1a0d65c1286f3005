/**
 * The investor API's error catalog: every refusal the API itself produces has a stable code, an HTTP status and
 * a sentence. Engine refusals (risk rejections and the like) pass through with the engine's own code; see
 * {@link statusForEngineCode}. docs/investor-api.md lists the same codes (a test keeps them in sync).
 */

export interface ApiErrorDef {
  status: number;
  /** What it means, for the docs. */
  description: string;
}

export const API_ERRORS = {
  INVALID_REQUEST: {
    status: 400,
    description: 'The request does not match the route schema; the message says where.',
  },
  UNAUTHENTICATED: {
    status: 401,
    description: 'No session, or the session expired or was revoked: log in again.',
  },
  BAD_CREDENTIALS: {
    status: 401,
    description: 'Unknown username or wrong password (deliberately not told apart).',
  },
  ACCESS_REVOKED: {
    status: 403,
    description: 'The password is right but the login is disabled or expired (InvestorAccess revoked).',
  },
  FORBIDDEN_ROLE: { status: 403, description: 'The role `viewer` may only read; writes need `trader`.' },
  NOT_FOUND: { status: 404, description: 'No such route or object.' },
  LOCKED_OUT: {
    status: 429,
    description:
      'Too many failed logins for this username or from this address; retry after `Retry-After` seconds.',
  },
  ENGINE_REFUSED: {
    status: 422,
    description: 'The engine refused the command; `code` is the engine’s own reason.',
  },
  PLATFORM_UNAVAILABLE: {
    status: 503,
    description:
      'Resource profiles cannot be changed here (not running in a cluster, or the API is unreachable).',
  },
  INTERNAL: { status: 500, description: 'Unexpected failure; details are in the runtime log.' },
} as const satisfies Record<string, ApiErrorDef>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The body of every error response. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** An error thrown inside a handler; the error handler turns it into `{ error: { code, message } }`. */
export class ApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  constructor(code: ApiErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.statusCode = API_ERRORS[code].status;
    this.headers = headers;
  }
}

/**
 * HTTP status for an engine refusal code (runtime/domain/errors.ts): unknown objects are 404; a state that
 * forbids it now (paused, counter lost, order no longer working, strategy running) is 409; everything else
 * (risk rejections, invalid parameters, bad strategy code) is 422.
 */
export function statusForEngineCode(code: string): number {
  if (code === 'FORBIDDEN') return 403;
  if (/NOT_FOUND|UNKNOWN_(ORDER|STRATEGY)/.test(code)) return 404;
  if (/PAUSED|NOT_CONNECTED|NOT_WORKING|RUNNING|CONFLICT|ALREADY|BUSY/.test(code)) return 409;
  return 422;
}

export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}
