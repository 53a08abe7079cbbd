/**
 * The edge where error codes become HTTP statuses and `{"error":{"code","message","details"}}`,
 * and where the headers every response carries are set: errors Fastify answers by itself (a
 * malformed percent-encoding, an over-long path parameter, a request HTTP cannot parse) get the
 * same body and headers as every other.
 */
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
  KEY_REVOKED: 403,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  KEY_IN_USE: 409,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  ROLE_NOT_ALLOWED: 403,
  NO_POSSESSION: 401,
  INVITATION_USED: 409,
  INVITATION_EXPIRED: 410,
  INVITATION_REVOKED: 410,
  TOO_LARGE: 413,
  TOO_MANY: 413,
  RATE_LIMITED: 429,
  COMMITMENT_MISMATCH: 422,
  PRIVATE_MISSING: 422,
  FORK: 503,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  UNSUPPORTED_TYPE: 415,
  TAMPERED: 500,
  ERASED: 410,
  ALREADY_SERVED: 409,
  NOT_A_READER: 403,
  CASE_NOT_VISIBLE: 403,
  DOCUMENT_ERASED: 410,
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

/**
 * The headers of every response: no content sniffing; and nothing kept by a cache for a
 * signed-in request (one carrying `Authorization`) or a sign-in (`/v1/auth/*`), whose answers
 * may hold personal data or a token.
 */
export function setResponseHeaders(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  if (req.headers.authorization !== undefined || req.url.startsWith('/v1/auth/'))
    reply.header('cache-control', 'no-store');
}

/**
 * Fastify's `frameworkErrors`: a URL whose percent-encoding does not decode, or a path parameter
 * longer than the router takes, answered like any other refusal.
 */
export function frameworkError(
  error: Error & { code?: string },
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  setResponseHeaders(req, reply);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(errorBody('TOO_LARGE', 'a path parameter is too long'));
    return;
  }
  void reply.status(400).send(errorBody('BAD_REQUEST', 'the URL is not valid'));
}

/**
 * The answer to a request that HTTP itself cannot parse (Node's `clientError`): the coded body
 * and `nosniff`, then the connection is closed.
 */
export function clientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'TIMEOUT']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'TOO_LARGE']
        : [400, 'Bad Request', 'BAD_REQUEST'];
  const body = JSON.stringify(errorBody(code, 'the request is not valid HTTP'));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
