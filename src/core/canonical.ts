/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). Signing, ids and log leaves all hash the canonical
 * bytes, and a node accepts a document only if the bytes it received already are canonical.
 */
import { AidError } from './errors.js';

const MAX_DEPTH = 100;

function malformed(why: string): never {
  throw new AidError('MALFORMED', `value has no RFC 8785 form: ${why}`);
}

/** What `inOrder` returns for a value it cannot vouch for: `write` takes the whole value. */
const UNFIT = Symbol('unfit');

/**
 * `v` in a form whose `JSON.stringify` is its RFC 8785 form: `v` itself where it already is one
 * (every object a plain one whose own keys the engine walks in UTF-16 order, every number finite,
 * every string and key well formed), else a copy whose objects hold their keys in that order.
 * UNFIT for anything else (an integer-like key the engine would walk first, a lone surrogate,
 * NaN, a class instance, an array hole, nesting past `MAX_DEPTH`): `write` then serialises or
 * refuses the value as RFC 8785 says. One walk and the engine's own serialiser cost a third of
 * `write` on a case record, most of whose objects are already in order (parsed from canonical
 * text, then spread) and the rest small.
 */
function inOrder(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      return v.isWellFormed() ? v : UNFIT;
    case 'number':
      return Number.isFinite(v) ? v : UNFIT;
    case 'boolean':
      return v;
    case 'object': {
      if (v === null) return v;
      if (depth >= MAX_DEPTH) return UNFIT;
      if (Array.isArray(v)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          const n = x === undefined ? UNFIT : inOrder(x, depth + 1);
          if (n === UNFIT) return UNFIT;
          if (n !== x) copy ??= v.slice(0, i);
          copy?.push(n);
        }
        return copy ?? v;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return UNFIT;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      let sorted = true;
      for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
      if (!sorted) keys.sort();
      let copy: Record<string, unknown> | undefined = sorted ? undefined : {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (!k.isWellFormed() || k === '__proto__') return UNFIT;
        const x = o[k];
        // An undefined member is left out by both writers.
        if (x === undefined) continue;
        const n = inOrder(x, depth + 1);
        if (n === UNFIT) return UNFIT;
        if (n !== x && copy === undefined) {
          copy = {};
          for (let j = 0; j < i; j++) if (o[keys[j]!] !== undefined) copy[keys[j]!] = o[keys[j]!];
        }
        if (copy !== undefined) copy[k] = n;
      }
      if (copy === undefined) return v;
      // Integer-like keys are walked first whatever order they were added in.
      const walked = Object.keys(copy);
      for (let i = 1; i < walked.length; i++) if (!(walked[i - 1]! < walked[i]!)) return UNFIT;
      return copy;
    }
    default:
      return UNFIT;
  }
}

// RFC 8785 §3.2: ECMAScript JSON.stringify serialises strings (§3.2.2.2) and numbers
// (§3.2.2.3) exactly as JCS requires; JCS adds sorted keys (§3.2.3, by UTF-16 code units,
// which is Array.prototype.sort's default) and refuses what I-JSON forbids.
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
              : write(x, depth + 1);
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
        s += (first ? '' : ',') + JSON.stringify(k) + ':' + write(x, depth + 1);
        first = false;
      }
      return s + '}';
    }
    default:
      return malformed(`a ${typeof v} is not JSON`);
  }
}

/**
 * RFC 8785 serialisation of a JSON value. @throws AidError MALFORMED for values JSON cannot
 * represent (NaN, Infinity, lone surrogates, bigint, undefined at the top, nesting deeper than 100).
 */
export function canonicalJson(value: unknown): string {
  const ordered = inOrder(value, 0);
  return ordered === UNFIT ? write(value, 0) : JSON.stringify(ordered);
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
