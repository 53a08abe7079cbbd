/**
 * Receipts: a log leaf, its RFC 9162 inclusion proof and a checkpoint signed under the policy.
 * Anyone can check one offline; `verifyReceipt` reports every step so a person can see which one
 * failed and why.
 */
import { z } from 'zod';
import { fromBase64, fromHex, fromUtf8, toHex } from '../core/bytes.js';
import { isAidError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { leafHash, rootFromInclusionProof } from '../core/merkle.js';
import { equalBytes } from '../core/bytes.js';
import { hex32 } from './schemas.js';
import { parseLeaf, type Leaf } from './leaf.js';
import { verifyCheckpoint, type Policy } from './policy.js';
import { txIdOf, verifyTxSignature } from './tx.js';
import { canonicalJson } from '../core/canonical.js';

export const RECEIPT_FORMAT = 'aidledger-receipt/v1';

export const ReceiptSchema = z
  .strictObject({
    format: z.literal(RECEIPT_FORMAT),
    txid: hex32.optional(),
    index: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Base64 of the exact leaf bytes. */
    leaf: z.string().max(2_000_000),
    proof: z.array(hex32).max(64),
    /** The C2SP checkpoint note the proof leads to. */
    checkpoint: z.string().max(100_000),
  })
  .meta({ id: 'Receipt' });
export type Receipt = z.infer<typeof ReceiptSchema>;

export type ReceiptStep = 'format' | 'leaf' | 'txid' | 'signature' | 'checkpoint' | 'inclusion';

export interface StepResult {
  step: ReceiptStep;
  ok: boolean;
  detail: string;
}

export interface ReceiptVerdict {
  ok: boolean;
  steps: StepResult[];
  leaf?: Leaf;
  size?: number;
  signers?: string[];
}

/**
 * Verifies a receipt offline under a policy: format, leaf encoding, tx id, the transaction's own
 * signature, the checkpoint signatures, and the inclusion proof against the checkpoint root.
 * Never throws; stops at the first failing step.
 */
export function verifyReceipt(input: unknown, policy: Policy): ReceiptVerdict {
  const steps: StepResult[] = [];
  const fail = (step: ReceiptStep, detail: string): ReceiptVerdict => {
    steps.push({ step, ok: false, detail });
    return { ok: false, steps };
  };
  const parsed = ReceiptSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return fail('format', `not a receipt: ${i?.path.join('.') || 'document'} ${i?.message}`);
  }
  const r = parsed.data;
  steps.push({ step: 'format', ok: true, detail: RECEIPT_FORMAT });

  let leafBytes: Uint8Array;
  let leaf: Leaf;
  try {
    leafBytes = fromBase64(r.leaf, 'leaf');
    leaf = parseLeaf(fromUtf8(leafBytes));
  } catch (e) {
    return fail(
      'leaf',
      `the leaf is not a well-formed log entry (${isAidError(e) ? e.message : 'unreadable'})`,
    );
  }
  steps.push({
    step: 'leaf',
    ok: true,
    detail: leaf.kind === 'tx' ? `transaction ${leaf.tx.type}` : `block ${leaf.height}`,
  });

  if (leaf.kind === 'tx') {
    const id = txIdOf(canonicalJson(leaf.tx));
    if (r.txid !== undefined && r.txid !== id) {
      return fail('txid', `the leaf holds transaction ${id}, not ${r.txid}`);
    }
    steps.push({ step: 'txid', ok: true, detail: id });
    if (!verifyTxSignature(leaf.tx))
      return fail('signature', 'the transaction signature is not valid');
    steps.push({ step: 'signature', ok: true, detail: `signed by ${leaf.tx.signer}` });
  }

  let cp;
  try {
    cp = verifyCheckpoint(r.checkpoint, policy);
  } catch (e) {
    return fail('checkpoint', isAidError(e) ? e.message : 'checkpoint could not be checked');
  }
  steps.push({
    step: 'checkpoint',
    ok: true,
    detail: `size ${cp.size}, signed by ${cp.orgs.join(', ')}`,
  });

  const proof = r.proof.map((p) => fromHex(p, 32));
  const root = rootFromInclusionProof(r.index, cp.size, leafHash(leafBytes, sha256), proof, sha256);
  if (root === null)
    return fail('inclusion', `the proof does not fit leaf ${r.index} of a tree of ${cp.size}`);
  if (!equalBytes(root, cp.root)) {
    return fail('inclusion', `the proof leads to root ${toHex(root)}, not the checkpoint's root`);
  }
  steps.push({ step: 'inclusion', ok: true, detail: `leaf ${r.index} of ${cp.size}` });
  return { ok: true, steps, leaf, size: cp.size, signers: cp.orgs };
}
