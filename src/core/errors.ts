/**
 * One error type for the whole product. Every failure carries a stable string code;
 * only the edges (HTTP API, CLI) translate codes into statuses and exit codes.
 */

/** Codes for input refused at the door: never ordered, never logged. */
export type AdmissionCode =
  | 'MALFORMED'
  | 'NON_CANONICAL'
  | 'WRONG_CHAIN'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'UNKNOWN_TYPE'
  | 'STALE_TIME'
  | 'COMMITMENT_MISMATCH'
  | 'PRIVATE_MISSING'
  | 'TOO_LARGE'
  | 'TOO_MANY';

/**
 * Codes recorded in the log for a transaction that was ordered but refused: the executor's own
 * checks (a reused nonce, a key unknown or revoked by then, a type the block's protocol lacks, a
 * role or private part missing, a payload its schema refuses) and the contracts' refusals. A leaf
 * keeps its code for ever, so this list only grows: every code ever written stays here.
 */
export const EXECUTION_CODES = [
  'NONCE_USED',
  'UNKNOWN_KEY',
  'KEY_REVOKED',
  'UNKNOWN_TYPE',
  'KEY_IN_USE',
  'FORBIDDEN_ROLE',
  'PRIVATE_MISSING',
  'MALFORMED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_STATE',
  'WRONG_ORG',
  'ALREADY_VOTED',
  'LAST_ADMIN',
  'FROZEN',
  'DUPLICATE_CLAIM',
  'INSUFFICIENT_FUNDS',
  'CONFLICT_OF_INTEREST',
  'ALREADY_REVIEWED',
  'CURRENCY_MISMATCH',
  'SOURCES_MISMATCH',
  'NOT_APPLICANT',
  'LINE_CONFLICT',
  'NO_POSSESSION',
  'ROLE_NOT_ALLOWED',
  'NOT_FREEZER',
  'PATIENT_MISMATCH',
  'PATIENT_UNCONFIRMED',
  'CASE_OPEN',
  'NOT_A_READER',
  'CASE_NOT_VISIBLE',
  'DOCUMENT_ERASED',
] as const;
export type ExecutionCode = (typeof EXECUTION_CODES)[number];

export type ErrorCode =
  | AdmissionCode
  | ExecutionCode
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_PROOF'
  | 'BAD_CHECKPOINT'
  | 'POLICY_NOT_MET'
  | 'FORK'
  | 'INCONSISTENT'
  | 'VERIFY_FAILED'
  | 'CONFIG'
  | 'UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'DIVERGED'
  | 'TIMEOUT'
  | 'UNSUPPORTED_TYPE'
  | 'TAMPERED'
  | 'ERASED'
  | 'ALREADY_SERVED'
  | 'INVITATION_USED'
  | 'INVITATION_EXPIRED'
  | 'INVITATION_REVOKED';

export class AidError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AidError';
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `e` is an AidError, optionally with the given code. */
export function isAidError(e: unknown, code?: ErrorCode): e is AidError {
  return e instanceof AidError && (code === undefined || e.code === code);
}
