/**
 * Ed25519 (RFC 8032) with one strict verification rule shared by every verifier, so a server and
 * a browser accept exactly the same signatures:
 *   - A and R must be canonical encodings (y < p) of points that are not of small order;
 *   - S must be below the group order L;
 *   - the cofactorless equation [S]B = R + [k]A must hold (RFC 8032 §5.1.7 allows either form;
 *     the cofactorless one is what OpenSSL checks, so the server's fast path agrees with this one).
 * `strictPrecheck` holds the byte-level rules; `verifyEd25519` is the portable verifier.
 */
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from './bytes.js';

// The eight points of small order, plus the two encodings of x = 0 with the sign bit set
// (y = 1 and y = p - 1), which RFC 8032 §5.1.3 decoding refuses but some decoders accept.
const SMALL_ORDER = new Set([
  ...ED25519_TORSION_SUBGROUP,
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
]);

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L_LE = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** True when a 32-byte little-endian encoding has y >= p = 2^255 - 19 (a non-canonical point). */
function nonCanonicalPoint(p: Uint8Array): boolean {
  if ((p[31]! & 0x7f) !== 0x7f) return false;
  for (let i = 30; i >= 1; i--) if (p[i] !== 0xff) return false;
  return p[0]! >= 0xed;
}

const SMALL_ORDER_FIRST = new Set([...SMALL_ORDER].map((h) => parseInt(h.slice(0, 2), 16)));

/** True when `p` encodes a point of small order; the first byte rules out almost every key. */
function maybeSmallOrder(p: Uint8Array): boolean {
  return SMALL_ORDER_FIRST.has(p[0]!) && SMALL_ORDER.has(toHex(p));
}

/** True when a 32-byte little-endian scalar is >= L. */
function scalarOutOfRange(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_LE[i]!) return false;
    if (s[i]! > L_LE[i]!) return true;
  }
  return true;
}

/**
 * The byte-level part of the strict rule: lengths, canonical A and R, neither of small order,
 * S < L. Cheap; every verifier runs it before the curve arithmetic.
 */
export function strictPrecheck(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const r = signature.subarray(0, 32);
  if (nonCanonicalPoint(publicKey) || nonCanonicalPoint(r)) return false;
  if (maybeSmallOrder(publicKey) || maybeSmallOrder(r)) return false;
  return !scalarOutOfRange(signature.subarray(32));
}

function leToBigint(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Portable strict verification (browsers, SDK, CLI). Never throws: malformed input is `false`. */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!strictPrecheck(publicKey, signature)) return false;
  try {
    const A = ed25519.Point.fromBytes(publicKey, false);
    const R = signature.subarray(0, 32);
    const s = leToBigint(signature.subarray(32));
    const h = sha512.create().update(R).update(publicKey).update(message).digest();
    const k = leToBigint(h) % L;
    // [S]B - [k]A must encode to exactly R.
    const SB = s === 0n ? ed25519.Point.ZERO : ed25519.Point.BASE.multiply(s);
    const check = SB.subtract(A.multiplyUnsafe(k));
    const enc = check.toBytes();
    if (enc.length !== 32) return false;
    for (let i = 0; i < 32; i++) if (enc[i] !== R[i]) return false;
    return true;
  } catch {
    return false;
  }
}

/** Signs with a 32-byte seed (RFC 8032 secret key). */
export function signEd25519(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** A fresh 32-byte seed from the platform's CSPRNG (WebCrypto, available in Node 20 and browsers). */
export function randomSeed(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
