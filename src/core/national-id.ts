/**
 * National identity numbers, validated with their check characters and normalised. They are
 * never stored: a validated number only ever becomes a keyed-hash pseudonym (`pseudonym`).
 * - Mainland resident ID: GB 11643, 18 characters, ISO 7064 MOD 11-2 check character.
 * - Hong Kong identity card: one or two letters, six digits, check digit or A.
 * - Taiwan national ID: a letter, a digit 1/2 (or 8/9 for resident certificates), eight digits.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from './bytes.js';
import { AidError } from './errors.js';

export type IdKind = 'cn' | 'hk' | 'tw';

export interface NationalId {
  kind: IdKind;
  /** The canonical form: uppercase, no spaces, brackets or hyphens. */
  value: string;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = '10X98765432';

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 1900;
}

function checkCn(v: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(v)) return false;
  if (!validDate(Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14))))
    return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * CN_WEIGHTS[i]!;
  return CN_CHECK[sum % 11] === v[17];
}

function hkValue(c: string): number {
  return c === ' ' ? 36 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : Number(c);
}

function checkHk(v: string): boolean {
  if (!/^[A-Z]{1,2}[0-9]{6}[0-9A]$/.test(v)) return false;
  const body = v.length === 8 ? ` ${v.slice(0, 7)}` : v.slice(0, 8);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += hkValue(body[i]!) * (9 - i);
  const check = (11 - (sum % 11)) % 11;
  return (check === 10 ? 'A' : String(check)) === v[v.length - 1];
}

// Taiwan letter codes (A=10 … with I, O, W, X, Y, Z out of sequence).
const TW_CODES: Record<string, number> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  I: 34,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  O: 35,
  P: 23,
  Q: 24,
  R: 25,
  S: 26,
  T: 27,
  U: 28,
  V: 29,
  W: 32,
  X: 30,
  Y: 31,
  Z: 33,
};

function checkTw(v: string): boolean {
  if (!/^[A-Z][1289][0-9]{8}$/.test(v)) return false;
  const code = TW_CODES[v[0]!]!;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += Number(v[i]) * (9 - i);
  sum += Number(v[9]);
  return sum % 10 === 0;
}

/**
 * Validates and normalises an identity number of the given kind.
 * @throws AidError MALFORMED naming the kind, never echoing the number.
 */
export function parseNationalId(kind: IdKind, input: string): NationalId {
  const value = typeof input === 'string' ? input.toUpperCase().replace(/[\s()-]/g, '') : '';
  const ok =
    kind === 'cn'
      ? checkCn(value)
      : kind === 'hk'
        ? checkHk(value)
        : kind === 'tw'
          ? checkTw(value)
          : false;
  if (!ok) throw new AidError('MALFORMED', `not a valid ${kind} identity number`);
  return { kind, value };
}

/**
 * The pseudonym of a person: HMAC-SHA-256 of the normalised number under a consortium key, named
 * by its version so keys can be rotated: `p<version>:<hex>`. The same person gets the same
 * pseudonym in every program; without the key it names no one.
 */
export function pseudonym(
  id: NationalId,
  key: Uint8Array,
  keyVersion: number,
  mac: HmacSha256 = (k, m) => hmac(sha256, k, m),
): string {
  if (key.length < 32) throw new AidError('CONFIG', 'a pseudonym key has at least 32 bytes');
  if (!Number.isSafeInteger(keyVersion) || keyVersion < 1)
    throw new AidError('CONFIG', 'key version is a positive integer');
  return `p${keyVersion}:${toHex(mac(key, utf8(`${id.kind}:${id.value}`)))}`;
}

/** HMAC-SHA-256 of `message` under `key`: the portable one by default, node:crypto's on a node. */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;
