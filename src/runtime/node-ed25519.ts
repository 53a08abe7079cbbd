/**
 * Ed25519 through node:crypto (OpenSSL) for the server's hot paths, behind the same strict rule
 * as core/ed25519.ts: the byte-level precheck runs first, and OpenSSL's verification is
 * cofactorless, as the portable verifier is. Keys are cached as KeyObjects.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { strictPrecheck } from '../core/ed25519.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const publicKeys = new Map<string, KeyObject>();

function newKeyObject(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

function publicKeyObject(hex: string): KeyObject {
  let k = publicKeys.get(hex);
  if (!k) {
    k = newKeyObject(hex);
    if (publicKeys.size > 100_000) publicKeys.clear();
    publicKeys.set(hex, k);
  }
  return k;
}

function verifyWith(
  keyOf: (hex: string) => KeyObject,
  publicKeyHex: string,
  message: string,
  signatureHex: string,
): boolean {
  try {
    const pub = Buffer.from(publicKeyHex, 'hex');
    const sig = Buffer.from(signatureHex, 'hex');
    if (!strictPrecheck(pub, sig)) return false;
    return verify(null, Buffer.from(message, 'utf8'), keyOf(publicKeyHex), sig);
  } catch {
    return false;
  }
}

/** Strict verification of a signature given as hex, over UTF-8 text. Never throws. */
export function verifyHex(publicKeyHex: string, message: string, signatureHex: string): boolean {
  return verifyWith(publicKeyObject, publicKeyHex, message, signatureHex);
}

/**
 * The same check for a key seen once (a new key's proof of possession): its key object is not
 * kept, so a stream of new keys does not fill the cache of signers' keys.
 */
export function verifyHexOnce(
  publicKeyHex: string,
  message: string,
  signatureHex: string,
): boolean {
  return verifyWith(newKeyObject, publicKeyHex, message, signatureHex);
}

/** A signing function over a 32-byte seed, with the key object built once. */
export function nodeSigner(seed: Uint8Array): (message: Uint8Array) => Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return (message) => sign(null, message, key);
}

/** The raw 32-byte public key of a seed, through node:crypto. */
export function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}
