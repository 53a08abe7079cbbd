/**
 * Admission: what is refused at the door, never ordered and never logged (DESIGN §3). A body is
 * accepted only in its exact RFC 8785 form; then chain, type, payload schema, time, private part
 * and commitment, and a known key are checked here, and the signatures by the caller (in
 * parallel). Each refusal names the index of the offending submission.
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
import { findAction } from '../contracts/registry.js';
import type { AdmittedItem } from './execute.js';
import type { Ledger } from './ledger.js';
import { fastSha256 } from './node-hash.js';
import type { SigJob } from './sig-pool.js';

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

function refuse(code: AdmissionCode, message: string, index: number | undefined): never {
  throw new AidError(code, message, index === undefined ? undefined : { details: { index } });
}

export interface Admitted {
  items: AdmittedItem[];
  sigJobs: SigJob[];
}

/**
 * Checks a request body: one submission (`many` false) or a JSON array of them.
 * @throws AidError with an admission code and `details.index`.
 */
export function admitBody(
  ledger: Ledger,
  body: string,
  many: boolean,
  now: number,
  limits = DEFAULT_LIMITS,
): Admitted {
  const value = parseJson(body);
  const list: unknown[] = many
    ? Array.isArray(value)
      ? value
      : refuse('MALFORMED', 'body must be a JSON array of submissions', undefined)
    : [value];
  if (list.length === 0) refuse('MALFORMED', 'no submissions', undefined);
  if (list.length > limits.maxBatch)
    refuse('TOO_MANY', `at most ${limits.maxBatch} submissions a request`, undefined);

  const subs: Submission[] = [];
  const texts: string[] = [];
  const itemTexts: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = SubmissionSchema.safeParse(list[i]);
    if (!r.success) {
      const issue = r.error.issues[0];
      refuse(
        'MALFORMED',
        `${issue?.path.join('.') || 'submission'}: ${issue?.message}`,
        many ? i : undefined,
      );
    }
    subs.push(r.data);
    const txText = canonicalJson(list[i] && (list[i] as { tx: unknown }).tx);
    texts.push(txText);
    const p = (list[i] as { private?: unknown }).private;
    itemTexts.push(
      p === undefined ? `{"tx":${txText}}` : `{"private":${canonicalJson(p)},"tx":${txText}}`,
    );
  }
  // The exact bytes received must be the canonical form; find the first item that is not.
  const expected = many ? `[${itemTexts.join(',')}]` : itemTexts[0]!;
  if (expected !== body) {
    let at = many ? 1 : 0;
    let bad = 0;
    for (; bad < itemTexts.length; bad++) {
      const t = itemTexts[bad]!;
      if (body.slice(at, at + t.length) !== t) break;
      at += t.length + 1;
    }
    refuse(
      'NON_CANONICAL',
      'submissions are accepted only in their RFC 8785 form',
      many ? Math.min(bad, itemTexts.length - 1) : undefined,
    );
  }

  const protocol = ledger.protocolFor(ledger.height + 1);
  const items: AdmittedItem[] = [];
  const sigJobs: SigJob[] = [];
  for (let i = 0; i < subs.length; i++) {
    const { tx, private: part } = subs[i]!;
    const text = texts[i]!;
    const at = many ? i : undefined;
    if (text.length > limits.maxTxBytes)
      refuse('TOO_LARGE', `a transaction is at most ${limits.maxTxBytes} bytes`, at);
    if (tx.chain !== ledger.chain)
      refuse('WRONG_CHAIN', `this node keeps chain ${ledger.chain}`, at);
    const action = findAction(protocol, tx.type);
    if (!action) refuse('UNKNOWN_TYPE', `no action ${tx.type}`, at);
    const payload = action.schema.safeParse(tx.payload);
    if (!payload.success) {
      const issue = payload.error.issues[0];
      refuse('MALFORMED', `payload.${issue?.path.join('.')}: ${issue?.message}`, at);
    }
    if (Math.abs(tx.time - now) > limits.maxSkewMs)
      refuse('STALE_TIME', 'transaction time is too far from the node clock', at);
    if (tx.private === undefined && part !== undefined)
      refuse('MALFORMED', 'a private part was sent but the transaction commits to none', at);
    if (tx.private !== undefined) {
      if (action.private === undefined) refuse('MALFORMED', `${tx.type} takes no private part`, at);
      if (part === undefined)
        refuse(
          'PRIVATE_MISSING',
          'the transaction commits to a private part that was not sent',
          at,
        );
      if (privateCommitment(part, fastSha256) !== tx.private.commitment) {
        refuse('COMMITMENT_MISMATCH', 'the private part does not match its commitment', at);
      }
      const facts = action.facts?.safeParse(part.facts);
      if (facts && !facts.success) {
        const issue = facts.error.issues[0];
        refuse('MALFORMED', `private.facts.${issue?.path.join('.')}: ${issue?.message}`, at);
      }
    } else if (action.private === 'required') {
      refuse('PRIVATE_MISSING', `${tx.type} needs a private part`, at);
    }
    if (ledger.keyStatus(tx.signer).kind === 'unknown')
      refuse('UNKNOWN_KEY', 'the signer key belongs to no member', at);
    items.push({ id: txIdOf(text, fastSha256), text, tx, private: part });
    sigJobs.push({ key: tx.signer, message: signingTextOf(text), sig: tx.sig });
  }
  return { items, sigJobs };
}
