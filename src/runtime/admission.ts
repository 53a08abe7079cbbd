/**
 * Admission: what is refused at the door, never ordered and never logged (DESIGN §3). A body is
 * accepted only in its exact RFC 8785 form. The checks that need no state (shape, canonical
 * form, chain, type, payload and facts schemas, time, commitment, signature) run on the worker
 * pool, spread over every core; the node's own thread then only checks that each signer key is
 * known. Each refusal names the index of the offending submission.
 */
import {
  SubmissionSchema,
  privateCommitment,
  signingTextOf,
  txIdOf,
  type Submission,
} from '../chain/tx.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError, type AdmissionCode } from '../core/errors.js';
import { findAction, type Protocol } from './contract.js';
import type { ProtocolRegistry } from './registry.js';
import type { AdmittedItem } from './execute.js';
import type { Ledger } from './ledger.js';
import { verifyHex } from './node-ed25519.js';
import { fastSha256 } from './node-hash.js';
import { scanSubmissions } from './submission-shape.js';

export interface AdmissionLimits {
  /** Largest accepted transaction, in bytes of its canonical text. */
  maxTxBytes: number;
  /** Most submissions in one `POST /v1/txs`. */
  maxBatch: number;
  /** How far a transaction's `time` may be from the node's clock. */
  maxSkewMs: number;
}

export const DEFAULT_LIMITS: AdmissionLimits = {
  maxTxBytes: 64 * 1024,
  maxBatch: 1000,
  maxSkewMs: 5 * 60_000,
};

/** What the stateless checks need to know. */
export interface CheckContext {
  chain: string;
  /** The protocol version that will execute the next block. */
  version: number;
  now: number;
  limits: AdmissionLimits;
}

export type ItemCheck =
  | { ok: true; txText: string; itemText: string; id: string }
  | { ok: false; code: AdmissionCode; message: string; itemText?: string };

const fail = (code: AdmissionCode, message: string, itemText?: string): ItemCheck =>
  itemText === undefined ? { ok: false, code, message } : { ok: false, code, message, itemText };

/**
 * Every check of one submission that needs no ledger state, the signature included. Pure but
 * for the clock in `ctx`; runs on worker threads.
 */
export function checkItem(value: unknown, ctx: CheckContext, protocol: Protocol): ItemCheck {
  const r = SubmissionSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return fail('MALFORMED', `${issue?.path.join('.') || 'submission'}: ${issue?.message}`);
  }
  const { tx, private: part }: Submission = r.data;
  let txText: string;
  let itemText: string;
  try {
    txText = canonicalJson((value as { tx: unknown }).tx);
    const p = (value as { private?: unknown }).private;
    itemText =
      p === undefined ? `{"tx":${txText}}` : `{"private":${canonicalJson(p)},"tx":${txText}}`;
  } catch (e) {
    return fail('MALFORMED', (e as Error).message);
  }
  const { limits } = ctx;
  if (txText.length > limits.maxTxBytes) {
    return fail('TOO_LARGE', `a transaction is at most ${limits.maxTxBytes} bytes`, itemText);
  }
  if (tx.chain !== ctx.chain)
    return fail('WRONG_CHAIN', `this node keeps chain ${ctx.chain}`, itemText);
  const action = findAction(protocol, tx.type);
  if (!action) return fail('UNKNOWN_TYPE', `no action ${tx.type}`, itemText);
  const payload = action.schema.safeParse(tx.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return fail('MALFORMED', `payload.${issue?.path.join('.')}: ${issue?.message}`, itemText);
  }
  if (Math.abs(tx.time - ctx.now) > limits.maxSkewMs) {
    return fail('STALE_TIME', 'transaction time is too far from the node clock', itemText);
  }
  if (tx.private === undefined && part !== undefined) {
    return fail(
      'MALFORMED',
      'a private part was sent but the transaction commits to none',
      itemText,
    );
  }
  if (tx.private !== undefined) {
    if (action.private === undefined)
      return fail('MALFORMED', `${tx.type} takes no private part`, itemText);
    if (part === undefined) {
      return fail(
        'PRIVATE_MISSING',
        'the transaction commits to a private part that was not sent',
        itemText,
      );
    }
    if (privateCommitment(part, fastSha256) !== tx.private.commitment) {
      return fail(
        'COMMITMENT_MISMATCH',
        'the private part does not match its commitment',
        itemText,
      );
    }
    const facts = action.facts?.safeParse(part.facts);
    if (facts && !facts.success) {
      const issue = facts.error.issues[0];
      return fail(
        'MALFORMED',
        `private.facts.${issue?.path.join('.')}: ${issue?.message}`,
        itemText,
      );
    }
  } else if (action.private === 'required') {
    return fail('PRIVATE_MISSING', `${tx.type} needs a private part`, itemText);
  }
  if (!verifyHex(tx.signer, signingTextOf(txText), tx.sig)) {
    return fail('BAD_SIGNATURE', 'signature does not verify under the signer key', itemText);
  }
  return { ok: true, txText, itemText, id: txIdOf(txText, fastSha256) };
}

/** Runs `checkItem` over many submissions, in parallel where it can. */
export type ItemChecker = (values: unknown[], ctx: CheckContext) => Promise<ItemCheck[]>;

/** Checks each submission under the registry's protocol of `ctx.version`. */
export function registryCheck(
  registry: ProtocolRegistry,
  values: unknown[],
  ctx: CheckContext,
): ItemCheck[] {
  const p = registry.get(ctx.version);
  return values.map((v) => checkItem(v, ctx, p));
}

function refuse(code: AdmissionCode, message: string, index: number | undefined): never {
  throw new AidError(code, message, index === undefined ? undefined : { details: { index } });
}

/**
 * Checks a request body: one submission (`many` false) or a JSON array of them. Either every
 * submission is admitted or none is.
 * @throws AidError with an admission code and, for arrays, `details.index`.
 */
export async function admitBody(
  ledger: Ledger,
  body: string,
  many: boolean,
  now: number,
  check: ItemChecker,
  limits = DEFAULT_LIMITS,
): Promise<AdmittedItem[]> {
  // Hostile shapes (a million empty objects, deep nesting) are refused before they cost memory.
  scanSubmissions(body, many, limits);
  const value = parseJson(body);
  const list: unknown[] = many
    ? Array.isArray(value)
      ? value
      : refuse('MALFORMED', 'body must be a JSON array of submissions', undefined)
    : [value];
  if (list.length === 0) refuse('MALFORMED', 'no submissions', undefined);
  if (list.length > limits.maxBatch) {
    refuse('TOO_MANY', `at most ${limits.maxBatch} submissions a request`, undefined);
  }
  const ctx: CheckContext = {
    chain: ledger.chain,
    version: ledger.protocolFor(ledger.height + 1).version,
    now,
    limits,
  };
  const checks = await check(list, ctx);
  const at = (i: number) => (many ? i : undefined);
  const signerOf = (i: number) => (list[i] as { tx: { signer: string } }).tx.signer;
  const typeOf = (i: number) => (list[i] as { tx: { type: string } }).tx.type;

  // The first refused submission, in order; an unknown key is named before a bad signature.
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (c.ok) continue;
    if (
      c.code === 'BAD_SIGNATURE' &&
      ledger.keyStatus(signerOf(i)).kind === 'unknown' &&
      !findAction(ledger.protocolFor(ledger.height + 1), typeOf(i))?.selfSigned
    ) {
      refuse('UNKNOWN_KEY', 'the signer key belongs to no member', at(i));
    }
    if (c.code === 'MALFORMED' && c.itemText === undefined) refuse(c.code, c.message, at(i));
    // Past the shape checks, a non-canonical encoding is named first.
    const nc = firstNonCanonical(body, many, checks);
    if (nc >= 0 && nc <= i && checks[nc]!.itemText !== undefined) {
      refuse('NON_CANONICAL', 'submissions are accepted only in their RFC 8785 form', at(nc));
    }
    refuse(c.code, c.message, at(i));
  }
  // The exact bytes received must be the canonical form.
  const texts = checks.map((c) => c.itemText!);
  const expected = many ? `[${texts.join(',')}]` : texts[0]!;
  if (expected !== body) {
    const nc = firstNonCanonical(body, many, checks);
    refuse(
      'NON_CANONICAL',
      'submissions are accepted only in their RFC 8785 form',
      at(nc < 0 ? 0 : nc),
    );
  }
  const items: AdmittedItem[] = [];
  const protocol = ledger.protocolFor(ledger.height + 1);
  // A batch usually comes from a few signers: look each one up once.
  const known = new Map<string, boolean>();
  for (let i = 0; i < list.length; i++) {
    const c = checks[i] as Extract<ItemCheck, { ok: true }>;
    const sub = list[i] as Submission;
    let isKnown = known.get(sub.tx.signer);
    if (isKnown === undefined) {
      isKnown = ledger.keyStatus(sub.tx.signer).kind !== 'unknown';
      known.set(sub.tx.signer, isKnown);
    }
    // A self-signed action (an applicant registering an account) brings its own new key.
    if (!isKnown && !findAction(protocol, sub.tx.type)?.selfSigned) {
      refuse('UNKNOWN_KEY', 'the signer key belongs to no member', at(i));
    }
    items.push({
      id: c.id as AdmittedItem['id'],
      text: c.txText,
      tx: sub.tx,
      private: sub.private,
    });
  }
  return items;
}

/** The index of the first submission whose canonical text is not where it should be in the body. */
function firstNonCanonical(body: string, many: boolean, checks: ItemCheck[]): number {
  let at = many ? 1 : 0;
  for (let j = 0; j < checks.length; j++) {
    const t = checks[j]!.itemText;
    if (t === undefined || body.slice(at, at + t.length) !== t) return j;
    at += t.length + 1;
  }
  return -1;
}
