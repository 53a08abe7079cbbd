/**
 * Admission: what is refused at the door, never ordered and never logged (DESIGN §3). A body is
 * accepted only in its exact RFC 8785 form. The checks that need no state (shape, canonical
 * form, chain, type, payload and facts schemas, time, commitment, signature) run on the worker
 * pool, spread over every core; the node's own thread then only checks that each signer key is
 * known. Each refusal names the index of the offending submission.
 */
import {
  SubmissionSchema,
  commitmentOfText,
  signingTextOf,
  txIdOf,
  type Submission,
} from '../chain/tx.js';
import { canonicalJson } from '../core/canonical.js';
import type { TxId } from '../chain/schemas.js';
import { AidError, type AdmissionCode } from '../core/errors.js';
import {
  findAction,
  type KeyStatus,
  type Protocol,
  type SignatureClaim,
  type Signer,
} from './contract.js';
import type { ProtocolRegistry } from './registry.js';
import { checkedPayload, MALFORMED, type AdmittedItem } from './execute.js';

import type { Ledger } from './ledger.js';
import { verifyHex, type SigJob } from './node-ed25519.js';
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

/**
 * A submission that passed every stateless check, with everything later steps need, computed
 * once on the worker: its texts, its id, and its payload as the action's schema outputs it.
 */
export interface CheckedItem {
  ok: true;
  id: TxId;
  txText: string;
  /** The submission's RFC 8785 text. */
  itemText: string;
  /** The RFC 8785 text of the private facts, when there is a private part. */
  factsText?: string;
  /** The payload as the action's schema of protocol `CheckContext.version` outputs it. */
  payload: unknown;
  /** The private facts as that action's `facts` schema outputs them, when it has one. */
  facts?: unknown;
}

export type ItemCheck =
  CheckedItem | { ok: false; code: AdmissionCode; message: string; itemText?: string };

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
  let factsText: string | undefined;
  let checkedFacts: unknown;
  try {
    txText = canonicalJson((value as { tx: unknown }).tx);
    if (part === undefined) itemText = `{"tx":${txText}}`;
    else {
      // RFC 8785 orders the private part's two keys "facts", "salt": its text is spliced.
      factsText = canonicalJson((value as { private: { facts: unknown } }).private.facts);
      itemText = `{"private":{"facts":${factsText},"salt":"${part.salt}"},"tx":${txText}}`;
    }
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
    if (commitmentOfText(part.salt, factsText!, fastSha256) !== tx.private.commitment) {
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
    checkedFacts = facts?.data;
  } else if (action.private === 'required') {
    return fail('PRIVATE_MISSING', `${tx.type} needs a private part`, itemText);
  }
  if (!verifyHex(tx.signer, signingTextOf(txText), tx.sig)) {
    return fail('BAD_SIGNATURE', 'signature does not verify under the signer key', itemText);
  }
  const id = txIdOf(txText, fastSha256);
  const ok: CheckedItem = { ok: true, id, txText, itemText, payload: payload.data };
  if (factsText !== undefined) ok.factsText = factsText;
  if (checkedFacts !== undefined) ok.facts = checkedFacts;
  return ok;
}

/**
 * The check of a submission sent to a worker as the text it arrived in: `checkItem` on its parse,
 * and whether that text is its canonical form. The texts the check made are not sent back: when
 * the submission is canonical they are the text the caller holds (the transaction is its tail).
 */
export type TextCheck =
  | (Omit<CheckedItem, 'txText' | 'itemText'> & {
      sub: Submission;
      canonical: boolean;
      txLength: number;
    })
  | {
      ok: false;
      code: AdmissionCode;
      message: string;
      /** Set once the check got as far as the canonical form. */
      canonical?: boolean;
      /** With BAD_SIGNATURE: who signed it, to name an unknown key first. */
      signer?: string;
      type?: string;
    };

/** `checkItem` on a submission's text, which the caller scanned for its shape already. */
export function checkText(text: string, ctx: CheckContext, protocol: Protocol): TextCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'MALFORMED', message: (e as Error).message };
  }
  const c = checkItem(value, ctx, protocol);
  if (c.ok) {
    const { id, payload, factsText, facts } = c;
    const out: TextCheck = {
      ok: true,
      id,
      payload,
      sub: value as Submission,
      canonical: c.itemText === text,
      txLength: c.txText.length,
    };
    if (factsText !== undefined) out.factsText = factsText;
    if (facts !== undefined) out.facts = facts;
    return out;
  }
  const out: TextCheck = { ok: false, code: c.code, message: c.message };
  if (c.itemText !== undefined) out.canonical = c.itemText === text;
  if (c.code === 'BAD_SIGNATURE') {
    const { tx } = value as Submission;
    out.signer = tx.signer;
    out.type = tx.type;
  }
  return out;
}

/**
 * What a checked submission becomes for execution: the one conversion for every way an item
 * arrives (`POST /v1/txs`, an etcd batch, a peer's block during catch-up). `sub` is the parsed
 * submission the check was made on, `version` the protocol whose schemas checked it.
 */
export function admittedOf(sub: Submission, c: CheckedItem, version: number): AdmittedItem {
  return {
    id: c.id,
    text: c.txText,
    tx: sub.tx,
    private: sub.private,
    itemText: c.itemText,
    ...(c.factsText === undefined ? {} : { factsText: c.factsText }),
    checked:
      c.facts === undefined
        ? { version, payload: c.payload }
        : { version, payload: c.payload, facts: c.facts },
  };
}

/** Checks signatures on the worker pool (`SigPool.verify`). */
export type SignatureVerifier = Checker['verify'];

/**
 * Makes, on the worker pool, the signature checks each item's action will ask for when it runs
 * (proofs of possession), as its signer stands in `statusOf` (the committed state, or the replay's),
 * and records those that pass in `item.proven`. A check predicted wrongly is simply made inline
 * during execution: results never depend on this, only where the work is done.
 */
export async function proveAhead(
  items: readonly AdmittedItem[],
  protocol: Protocol,
  chain: string,
  statusOf: (key: string) => KeyStatus,
  verify: SignatureVerifier,
): Promise<AdmittedItem[]> {
  const out = [...items];
  const jobs: SigJob[] = [];
  const owners: number[] = [];
  out.forEach((item, i) => {
    const action = findAction(protocol, item.tx.type);
    if (!action?.signatures) return;
    const signer = signerFor(protocol, statusOf(item.tx.signer), item.tx.signer, item.tx.type);
    if (!signer) return;
    const payload = checkedPayload(protocol, action, item);
    if (payload === MALFORMED) return;
    // Parsed here (a transaction replayed from the store): execution need not parse it again.
    if (item.checked?.version !== protocol.version)
      out[i] = { ...item, checked: { version: protocol.version, payload } };
    for (const c of action.signatures(payload as never, signer, chain)) {
      jobs.push({ key: c.key, message: c.text, sig: c.sig, once: true });
      owners.push(i);
    }
  });
  if (jobs.length === 0) return out;
  // Workers that fail leave the checks to execution: only where the work is done changes.
  const ok = await verify(jobs).catch(() => [] as boolean[]);
  const proven = new Map<number, SignatureClaim[]>();
  jobs.forEach((j, k) => {
    if (!ok[k]) return;
    const i = owners[k]!;
    let list = proven.get(i);
    if (!list) proven.set(i, (list = []));
    list.push({ key: j.key, text: j.message, sig: j.sig });
  });
  for (const [i, list] of proven) out[i] = { ...out[i]!, proven: list };
  return out;
}

/** The signer a key of status `status` stands for, as execution will resolve it. */
function signerFor(
  protocol: Protocol,
  status: KeyStatus,
  key: string,
  type: string,
): Signer | undefined {
  if (status.kind === 'active') return status.signer;
  if (status.kind === 'unknown' && findAction(protocol, type)?.selfSigned)
    return { key, member: '', org: '', roles: [] };
  return undefined;
}

/**
 * The worker pool as admission uses it (`SigPool`): the stateless checks of submissions, and
 * plain signature checks.
 */
export interface Checker {
  check(values: unknown[], ctx: CheckContext): Promise<ItemCheck[]>;
  checkTexts(texts: string[], ctx: CheckContext): Promise<TextCheck[]>;
  verify(jobs: SigJob[]): Promise<boolean[]>;
}

/** Checks each submission under the registry's protocol of `ctx.version`. */
export function registryCheck(
  registry: ProtocolRegistry,
  values: unknown[],
  ctx: CheckContext,
): ItemCheck[] {
  const p = registry.get(ctx.version);
  return values.map((v) => checkItem(v, ctx, p));
}

/** Checks each submission's text under the registry's protocol of `ctx.version`. */
export function registryCheckTexts(
  registry: ProtocolRegistry,
  texts: string[],
  ctx: CheckContext,
): TextCheck[] {
  const p = registry.get(ctx.version);
  return texts.map((t) => checkText(t, ctx, p));
}

function refuse(code: AdmissionCode, message: string, index: number | undefined): never {
  throw new AidError(code, message, index === undefined ? undefined : { details: { index } });
}

/**
 * Checks a request body: one submission (`many` false) or a JSON array of them. Either every
 * submission is admitted or none is. The body is parsed once, by the workers that check it: this
 * thread only scans it for its shape and cuts it into the submissions' texts.
 * @throws AidError with an admission code and, for arrays, `details.index`.
 */
export async function admitBody(
  ledger: Ledger,
  body: string,
  many: boolean,
  now: number,
  pool: Checker,
  limits = DEFAULT_LIMITS,
): Promise<AdmittedItem[]> {
  // Hostile shapes (a million empty objects, deep nesting) are refused before they cost memory.
  const bounds = scanSubmissions(body, many, limits);
  const texts: string[] = [];
  if (many)
    for (let k = 0; k < bounds.length; k += 2) texts.push(body.slice(bounds[k], bounds[k + 1]));
  else texts.push(body);
  if (texts.length === 0) refuse('MALFORMED', 'no submissions', undefined);
  if (texts.length > limits.maxBatch) {
    refuse('TOO_MANY', `at most ${limits.maxBatch} submissions a request`, undefined);
  }
  const protocol = ledger.protocolFor(ledger.height + 1);
  const ctx: CheckContext = { chain: ledger.chain, version: protocol.version, now, limits };
  const checks = await pool.checkTexts(texts, ctx);
  const at = (i: number) => (many ? i : undefined);
  // A batch usually comes from a few signers: look each one up once.
  const statuses = new Map<string, KeyStatus>();
  const statusOf = (key: string) => {
    let st = statuses.get(key);
    if (st === undefined) statuses.set(key, (st = ledger.keyStatus(key)));
    return st;
  };
  // Submission j is in place when it is canonical and starts where the canonical array puts it.
  const inPlace = (j: number) =>
    checks[j]!.canonical === true &&
    (!many || bounds[2 * j] === (j === 0 ? 1 : bounds[2 * j - 1]! + 1));
  const firstNonCanonical = () => {
    for (let j = 0; j < checks.length; j++) if (!inPlace(j)) return j;
    return -1;
  };

  // The first refused submission, in order; an unknown key is named before a bad signature.
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (c.ok) continue;
    if (
      c.code === 'BAD_SIGNATURE' &&
      statusOf(c.signer!).kind === 'unknown' &&
      !findAction(protocol, c.type!)?.selfSigned
    ) {
      refuse('UNKNOWN_KEY', 'the signer key belongs to no member', at(i));
    }
    if (c.code === 'MALFORMED' && c.canonical === undefined) refuse(c.code, c.message, at(i));
    // Past the shape checks, a non-canonical encoding is named first.
    const nc = firstNonCanonical();
    if (nc >= 0 && nc <= i && checks[nc]!.canonical !== undefined) {
      refuse('NON_CANONICAL', 'submissions are accepted only in their RFC 8785 form', at(nc));
    }
    refuse(c.code, c.message, at(i));
  }
  // The exact bytes received must be the canonical form: each submission, and the array's frame.
  const nc = firstNonCanonical();
  if (nc >= 0 || (many && body.length !== bounds[bounds.length - 1]! + 1)) {
    refuse(
      'NON_CANONICAL',
      'submissions are accepted only in their RFC 8785 form',
      at(nc < 0 ? 0 : nc),
    );
  }
  const items: AdmittedItem[] = [];
  for (let i = 0; i < texts.length; i++) {
    // What the worker checked, but for the texts it did not send back: the caller holds them.
    const {
      sub,
      canonical: _canonical,
      txLength,
      ...made
    } = checks[i] as Extract<TextCheck, { ok: true }>;
    // A self-signed action (an applicant registering an account) brings its own new key.
    if (
      statusOf(sub.tx.signer).kind === 'unknown' &&
      !findAction(protocol, sub.tx.type)?.selfSigned
    )
      refuse('UNKNOWN_KEY', 'the signer key belongs to no member', at(i));
    const text = texts[i]!;
    const checked: CheckedItem = {
      ...made,
      txText: text.slice(text.length - 1 - txLength, text.length - 1),
      itemText: text,
    };
    items.push(admittedOf(sub, checked, ctx.version));
  }
  return proveAhead(items, protocol, ledger.chain, statusOf, (jobs) => pool.verify(jobs));
}

/**
 * The items of a batch that pass the stateless checks under `ctx`, ready to execute: how every
 * node reads a batch from etcd or a peer. `values` are parsed submissions (of a checked shape).
 * With `strict`, a refused item fails the whole batch instead (a peer's blocks, which the
 * consortium accepted once, hold none).
 * @throws AidError VERIFY_FAILED with `strict`, naming the refusal.
 */
export async function admitBatch(
  ledger: Ledger,
  values: unknown[],
  ctx: CheckContext,
  pool: Checker,
  strict = false,
): Promise<AdmittedItem[]> {
  const checks = await pool.check(values, ctx);
  const items: AdmittedItem[] = [];
  checks.forEach((c, i) => {
    if (c.ok) items.push(admittedOf(values[i] as Submission, c, ctx.version));
    else if (strict) throw new AidError('VERIFY_FAILED', `a bad transaction: ${c.message}`);
  });
  const protocol = ledger.registry.get(ctx.version);
  return proveAhead(
    items,
    protocol,
    ledger.chain,
    (k) => ledger.keyStatus(k),
    (jobs) => pool.verify(jobs),
  );
}
