/**
 * The signed transaction (DESIGN §3): `{chain, type, payload, private?, signer, nonce, time, alg,
 * sig}`, signed with Ed25519 over the RFC 8785 bytes of everything but `sig`; its id is the SHA-256
 * of the RFC 8785 bytes of the whole. Personal facts never enter it: only a salted commitment does.
 */
import { z } from 'zod';
import { concat, fromHex, toHex, utf8 } from '../core/bytes.js';
import { canonicalJson } from '../core/canonical.js';
import { publicKeyFromSeed, randomBytes, signEd25519, verifyEd25519 } from '../core/ed25519.js';
import { AidError } from '../core/errors.js';
import { sha256, type HashFn } from '../core/hash.js';
import { hex32, hex64, JsonObjectSchema, type TxId } from './schemas.js';

export const TX_TYPE_RE = /^[a-z][a-z0-9]*\.[a-z][a-zA-Z0-9]*$/;

export const SignedTxSchema = z
  .strictObject({
    chain: z.string().min(1).max(128),
    type: z.string().regex(TX_TYPE_RE, 'type is <contract>.<action>'),
    payload: JsonObjectSchema,
    private: z.strictObject({ commitment: hex32 }).optional(),
    signer: hex32,
    nonce: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'nonce is 1 to 64 of [A-Za-z0-9._:-]'),
    time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    alg: z.literal('ed25519'),
    sig: hex64,
  })
  .meta({ id: 'SignedTx' });
export type SignedTx = z.infer<typeof SignedTxSchema>;
export type UnsignedTx = Omit<SignedTx, 'sig' | 'alg'>;

/** The private part that travels beside a transaction, never inside it. */
export const PrivatePartSchema = z.strictObject({
  salt: hex32,
  facts: JsonObjectSchema,
});
export type PrivatePart = z.infer<typeof PrivatePartSchema>;

/** What a client submits: the signed transaction and, if it has one, its private part. */
export const SubmissionSchema = z
  .strictObject({
    tx: SignedTxSchema,
    private: PrivatePartSchema.optional(),
  })
  .meta({ id: 'Submission' });
export type Submission = z.infer<typeof SubmissionSchema>;

/** Commitment = SHA-256(salt || RFC 8785 bytes of the facts). */
export function privateCommitment(part: PrivatePart, h: HashFn = sha256): string {
  return commitmentOfText(part.salt, canonicalJson(part.facts), h);
}

/** The same commitment over facts already in their RFC 8785 text. */
export function commitmentOfText(salt: string, factsText: string, h: HashFn = sha256): string {
  return toHex(h(concat(fromHex(salt, 32, 'salt'), utf8(factsText))));
}

/** A private part for `facts` with a fresh 256-bit salt. */
export function makePrivatePart(facts: Record<string, unknown>): PrivatePart {
  return { salt: toHex(randomBytes(32)), facts };
}

/** The bytes that `sig` signs: RFC 8785 of the transaction without `sig`. */
export function signingText(tx: Omit<SignedTx, 'sig'>): string {
  const { sig: _drop, ...rest } = tx as SignedTx;
  return canonicalJson(rest);
}

const SIG_FIELD = /,"sig":"[0-9a-f]{128}"/y;

/**
 * The signing text cut out of a transaction's canonical text without re-serialising it. `sig`
 * is the last top-level key before `signer` and `time` (keys sort alg, chain, nonce, payload,
 * private, sig, signer, time), so its field is the last `,"sig":"…"` in the text.
 */
export function signingTextOf(canonicalTx: string): string {
  const at = canonicalTx.lastIndexOf(',"sig":"');
  SIG_FIELD.lastIndex = at;
  if (at < 0 || !SIG_FIELD.test(canonicalTx))
    throw new AidError('MALFORMED', 'transaction has no sig');
  return canonicalTx.slice(0, at) + canonicalTx.slice(at + 137);
}

/** Transaction id: SHA-256 of the RFC 8785 bytes of the whole signed transaction. */
export function txIdOf(canonicalTx: string, h: HashFn = sha256): TxId {
  return toHex(h(utf8(canonicalTx))) as TxId;
}

/** Signs a transaction with a 32-byte Ed25519 seed; `signer` is taken from the seed. */
export function signTx(tx: Omit<UnsignedTx, 'signer'>, seed: Uint8Array): SignedTx {
  const signer = toHex(publicKeyFromSeed(seed));
  const body = { ...tx, signer, alg: 'ed25519' as const };
  const sig = toHex(signEd25519(seed, utf8(signingText(body as SignedTx))));
  return { ...body, sig };
}

/** Portable signature check of a transaction (browsers, SDK, verify). */
export function verifyTxSignature(tx: SignedTx): boolean {
  try {
    return verifyEd25519(fromHex(tx.signer, 32), utf8(signingText(tx)), fromHex(tx.sig, 64));
  } catch {
    return false;
  }
}
