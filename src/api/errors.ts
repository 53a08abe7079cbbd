/** The edge where error codes become HTTP statuses and `{"error":{"code","message","details"}}`. */
import type { ErrorCode } from '../core/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  MALFORMED: 400,
  NON_CANONICAL: 400,
  WRONG_CHAIN: 400,
  UNKNOWN_TYPE: 400,
  STALE_TIME: 400,
  BAD_REQUEST: 400,
  BAD_SIGNATURE: 401,
  UNKNOWN_KEY: 403,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TOO_LARGE: 413,
  TOO_MANY: 413,
  RATE_LIMITED: 429,
  COMMITMENT_MISMATCH: 422,
  PRIVATE_MISSING: 422,
  FORK: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
};

export function statusOf(code: string): number {
  return STATUS[code as ErrorCode] ?? 500;
}

/**
 * Headers an error answer carries beside its body: `Retry-After` (RFC 9110 §10.2.3, in seconds)
 * when a refusal says how long to wait (`details.retryAfter`).
 */
export function errorHeaders(details?: Record<string, unknown>): Record<string, string> {
  const wait = details?.retryAfter;
  return typeof wait === 'number' && Number.isSafeInteger(wait) && wait >= 0
    ? { 'retry-after': String(wait) }
    : {};
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
