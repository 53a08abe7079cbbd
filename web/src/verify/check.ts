/**
 * Checks a receipt with the SDK's `verifyReceipt` (the same code as the CLI and the server) and
 * says which step failed and why, in terms a page can put into words. Nothing here decides
 * validity: the verdict is the SDK's; the rest only classifies its failing step for the reader.
 */
import {
  AidError,
  canonicalJson,
  fromBase64,
  fromUtf8,
  parseCheckpoint,
  parseLeaf,
  parseNote,
  ReceiptSchema,
  sha256,
  toHex,
  utf8,
  verifyCheckpoint,
  verifyReceipt,
  type Leaf,
  type Policy,
  type Receipt,
  type ReceiptVerdict,
  type StepResult,
} from '@sdk';

export type Step = StepResult['step'];

/** The steps `verifyReceipt` runs for a transaction's leaf, and for a block's closing leaf. */
export const TX_STEPS: readonly Step[] = [
  'format',
  'leaf',
  'txid',
  'signature',
  'checkpoint',
  'inclusion',
];
export const BLOCK_STEPS: readonly Step[] = ['format', 'leaf', 'checkpoint', 'inclusion'];

export type Failure =
  | { step: 'format'; reason: 'json' | 'shape' }
  | { step: 'leaf' | 'txid' | 'signature' | 'inclusion' }
  | { step: 'checkpoint'; reason: 'malformed' }
  | { step: 'checkpoint'; reason: 'origin'; origin: string }
  | { step: 'checkpoint'; reason: 'quorum'; signed: string[] };

export interface Checked {
  verdict: ReceiptVerdict;
  /** The steps that apply to this receipt, in order (those after a failure were not run). */
  steps: readonly Step[];
  receipt?: Receipt;
  /** The leaf, decoded for display once the leaf step has passed. */
  leaf?: Leaf;
  /** The checkpoint's size and valid signers, once the checkpoint step has passed. */
  checkpoint?: { size: number; orgs: string[] };
  failure?: Failure;
}

/** Why the checkpoint step failed: unreadable, another ledger's, or too few signatures. */
function checkpointFailure(note: string, policy: Policy): Failure {
  try {
    verifyCheckpoint(note, policy);
  } catch (e) {
    if (e instanceof AidError && e.code === 'POLICY_NOT_MET') {
      const signed = e.details?.signed;
      return {
        step: 'checkpoint',
        reason: 'quorum',
        signed: Array.isArray(signed) ? signed.map(String) : [],
      };
    }
  }
  try {
    const origin = parseCheckpoint(parseNote(note).text).origin;
    if (origin !== policy.origin) return { step: 'checkpoint', reason: 'origin', origin };
  } catch {
    // unreadable: malformed
  }
  return { step: 'checkpoint', reason: 'malformed' };
}

/** The leaf a receipt carries, decoded for display only (the verdict says whether it is sound). */
function leafOf(r: Receipt): Leaf | undefined {
  try {
    return parseLeaf(fromUtf8(fromBase64(r.leaf, 'leaf')));
  } catch {
    return undefined;
  }
}

/** Verifies a parsed receipt document under a policy. Never throws. */
export function checkReceiptValue(value: unknown, policy: Policy): Checked {
  const verdict = verifyReceipt(value, policy);
  const parsed = ReceiptSchema.safeParse(value);
  const receipt = parsed.success ? parsed.data : undefined;
  const leaf = verdict.leaf ?? (receipt ? leafOf(receipt) : undefined);
  const steps = leaf?.kind === 'block' ? BLOCK_STEPS : TX_STEPS;
  const failed = verdict.steps.find((s) => !s.ok);
  let failure: Failure | undefined;
  if (failed) {
    switch (failed.step) {
      case 'format':
        failure = { step: 'format', reason: 'shape' };
        break;
      case 'checkpoint':
        failure = checkpointFailure(receipt?.checkpoint ?? '', policy);
        break;
      default:
        failure = { step: failed.step };
    }
  }
  const passed = (step: Step) => verdict.steps.some((s) => s.step === step && s.ok);
  let checkpoint: Checked['checkpoint'];
  if (passed('checkpoint') && receipt) {
    if (verdict.ok && verdict.size !== undefined)
      checkpoint = { size: verdict.size, orgs: verdict.signers ?? [] };
    else {
      const v = verifyCheckpoint(receipt.checkpoint, policy);
      checkpoint = { size: v.size, orgs: v.orgs };
    }
  }
  return {
    verdict,
    steps,
    ...(receipt ? { receipt } : {}),
    ...(leaf && passed('leaf') ? { leaf } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** Verifies receipt text (JSON) under a policy. Never throws. */
export function checkReceiptText(text: string, policy: Policy): Checked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      verdict: { ok: false, steps: [{ step: 'format', ok: false, detail: 'not JSON' }] },
      steps: TX_STEPS,
      failure: { step: 'format', reason: 'json' },
    };
  }
  return checkReceiptValue(value, policy);
}

/** A policy's fingerprint: hex SHA-256 of its RFC 8785 canonical JSON. */
export function policyFingerprint(policy: Policy): string {
  return toHex(sha256(utf8(canonicalJson(policy))));
}
