/** Errors of the VVP client: one class per status the callers branch on; VVP's message kept verbatim. */
import { isTransientStatus, VvpError } from '../../core/src/errors';

/** Request identity carried by client errors (never headers, never the token). */
export interface RequestInfo {
  method: string;
  path: string;
}

/** VVP answered with an error status. */
export class VvpApiError extends VvpError {
  override name = 'VvpApiError';
  constructor(
    message: string,
    override readonly status: number,
    readonly request: RequestInfo,
    /** VVP's error body (secrets removed). */
    readonly body: unknown,
  ) {
    super(message, { source: 'vvp', status, transient: isTransientStatus(status) });
  }
}

/** 400: VVP rejected the request as invalid. */
export class BadRequestError extends VvpApiError {
  override name = 'BadRequestError';
}
/** 401 or 403: the token is missing, invalid, or lacks the role. */
export class UnauthorizedError extends VvpApiError {
  override name = 'UnauthorizedError';
}
/** 404: the object (or namespace) does not exist. */
export class NotFoundError extends VvpApiError {
  override name = 'NotFoundError';
}
/** 409: a name exists already, or a write conflicted. */
export class ConflictError extends VvpApiError {
  override name = 'ConflictError';
}
/** 5xx (and 429): the server failed; retried for idempotent calls. */
export class ServerError extends VvpApiError {
  override name = 'ServerError';
}

/** VVP could not be reached: connection refused or reset, DNS, timeout. */
export class VvpNetworkError extends VvpError {
  override name = 'VvpNetworkError';
  constructor(
    message: string,
    readonly request: RequestInfo,
    /** The system error code, e.g. ECONNREFUSED or ETIMEDOUT. */
    readonly code: string | undefined,
  ) {
    super(message, { source: 'vvp', status: 0, transient: true });
  }
}

/** The error class for a status. */
export function errorForStatus(status: number): typeof VvpApiError {
  if (status === 400) return BadRequestError;
  if (status === 401 || status === 403) return UnauthorizedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status >= 500 || status === 429) return ServerError;
  return VvpApiError;
}

// the predicates are core's, over the one taxonomy (source, status, transient)
export { isConflict, isNotFound, isTransient, isUnauthorized } from '../../core/src/errors';
