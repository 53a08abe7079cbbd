/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). Signing, ids and log leaves all hash the canonical
 * bytes, and a node accepts a document only if the bytes it received already are canonical.
 */
import { AidError } from './errors.js';

const MAX_DEPTH = 100;

function malformed(why: string): never {
  throw new AidError('MALFORMED', `value has no RFC 8785 form: ${why}`);
}

/**
 * Whether `JSON.stringify(v)` already is the RFC 8785 form of `v`: every object a plain one whose
 * own keys it walks in UTF-16 order (so no integer-like keys out of that order), every number
 * finite, every string and key well formed, no array element it would write as null, and no
 * deeper than `MAX_DEPTH`. Most values met here are (state parsed from canonical text, spread
 * and changed in place), and the engine's own serialiser is several times faster than `write`.
 */
function stringifiesCanonically(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
      return v.isWellFormed();
    case 'number':
      return Number.isFinite(v);
    case 'boolean':
      return true;
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined || !stringifiesCanonically(x, depth + 1)) return false;
        }
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      let prev = '';
      let first = true;
      for (const k of Object.keys(o)) {
        if ((!first && !(prev < k)) || !k.isWellFormed()) return false;
        prev = k;
        first = false;
        // An undefined member is left out by both writers.
        const x = o[k];
        if (x !== undefined && !stringifiesCanonically(x, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// RFC 8785 §3.2: ECMAScript JSON.stringify serialises strings (§3.2.2.2) and numbers
// (§3.2.2.3) exactly as JCS requires; JCS adds sorted keys (§3.2.3, by UTF-16 code units,
// which is Array.prototype.sort's default) and refuses what I-JSON forbids. A member or element
// that JSON.stringify writes canonically is handed to it whole.
function write(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      if (!v.isWellFormed()) malformed('lone surrogate in a string');
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) malformed('NaN or Infinity');
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth >= MAX_DEPTH) malformed(`nested deeper than ${MAX_DEPTH}`);
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (i > 0) s += ',';
          s +=
            x === undefined || typeof x === 'function' || typeof x === 'symbol'
              ? 'null'
              : member(x, depth + 1);
        }
        return s + ']';
      }
      const o = v as Record<string, unknown>;
      let s = '{';
      let first = true;
      for (const k of Object.keys(o).sort()) {
        const x = o[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        if (!k.isWellFormed()) malformed('lone surrogate in a key');
        s += (first ? '' : ',') + JSON.stringify(k) + ':' + member(x, depth + 1);
        first = false;
      }
      return s + '}';
    }
    default:
      return malformed(`a ${typeof v} is not JSON`);
  }
}

/** A member or element at `depth`: an object or array JSON.stringify writes canonically goes whole. */
function member(x: unknown, depth: number): string {
  return typeof x === 'object' && x !== null && stringifiesCanonically(x, depth)
    ? JSON.stringify(x)
    : write(x, depth);
}

/**
 * RFC 8785 serialisation of a JSON value. @throws AidError MALFORMED for values JSON cannot
 * represent (NaN, Infinity, lone surrogates, bigint, undefined at the top, nesting deeper than 100).
 */
export function canonicalJson(value: unknown): string {
  return member(value, 0);
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
