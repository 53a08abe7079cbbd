/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). Signing, ids and log leaves all hash the canonical
 * bytes, and a node accepts a document only if the bytes it received already are canonical.
 */
import canonicalize from 'canonicalize';
import { AidError } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * RFC 8785 serialisation of a JSON value. @throws AidError MALFORMED for values JSON cannot
 * represent (NaN, Infinity, lone surrogates, cycles, undefined at the top).
 */
export function canonicalJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = canonicalize(value);
  } catch (cause) {
    throw new AidError('MALFORMED', `value has no RFC 8785 form: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (out === undefined) throw new AidError('MALFORMED', 'value has no RFC 8785 form');
  return out;
}

/** Parses JSON text; @throws AidError MALFORMED instead of SyntaxError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AidError('MALFORMED', `not JSON: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Parses JSON text that must already be in RFC 8785 form (sorted keys, no whitespace, shortest
 * numbers, minimal escapes, no duplicate keys). @throws AidError MALFORMED or NON_CANONICAL.
 */
export function parseCanonical(text: string): unknown {
  const value = parseJson(text);
  if (canonicalJson(value) !== text) {
    throw new AidError('NON_CANONICAL', 'document is not in RFC 8785 canonical form');
  }
  return value;
}
