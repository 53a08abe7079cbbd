/**
 * What an outsider can check of a whole log without trusting the node: every leaf is well-formed
 * and signed, blocks chain to each other and to the genesis, and the root recomputed from every
 * leaf equals the root of a checkpoint signed under the policy. Private facts are not needed.
 */
import { genesisHash, parseGenesis } from '../chain/genesis.js';
import { blockLinkProblem, parseLeaf } from '../chain/leaf.js';
import { verifyCheckpoint, type Policy } from '../chain/policy.js';
import { verifyTxSignature, type SignedTx } from '../chain/tx.js';
import { equalBytes, fromUtf8, toHex } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import { sha256, type HashFn } from '../core/hash.js';
import { leafHash, MerkleAccumulator } from '../core/merkle.js';
import type { AidClient } from './client.js';

export interface AuditOptions {
  /** A faster signature check (e.g. node:crypto on a server); defaults to the portable one. */
  verifyTx?: (tx: SignedTx) => boolean;
  hash?: HashFn;
  onProgress?: (done: number, total: number) => void;
  pageSize?: number;
}

export interface AuditReport {
  size: number;
  blocks: number;
  txs: number;
  refused: number;
  signers: string[];
}

/**
 * Audits the log at `client` up to its current checkpoint. @throws AidError VERIFY_FAILED naming
 * the leaf index and block height of the first problem, or the checkpoint's own error.
 */
export async function auditLog(
  client: AidClient,
  policy: Policy,
  opts: AuditOptions = {},
): Promise<AuditReport> {
  const h = opts.hash ?? sha256;
  const verifyTx = opts.verifyTx ?? verifyTxSignature;
  const cp = verifyCheckpoint(await client.checkpoint(), policy);
  const genesis = parseGenesis(await client.genesis());
  let prev = genesisHash(genesis);
  const acc = new MerkleAccumulator(h);
  let height = 0;
  let sinceBlock = 0;
  let lastTime = -1;
  let txs = 0;
  let refused = 0;
  const fail = (index: number, what: string): never => {
    throw new AidError('VERIFY_FAILED', `block ${height} (leaf ${index}): ${what}`, {
      details: { height, index },
    });
  };
  const page = opts.pageSize ?? 1000;
  while (acc.size < cp.size) {
    const entries = await client.entries(acc.size, Math.min(cp.size, acc.size + page));
    if (entries.length === 0) fail(acc.size, 'the node served no entries');
    for (const bytes of entries) {
      const index = acc.size;
      let leaf;
      try {
        leaf = parseLeaf(fromUtf8(bytes));
      } catch (e) {
        return fail(index, `leaf is not a well-formed entry (${(e as Error).message})`);
      }
      const lh = leafHash(bytes, h);
      if (leaf.kind === 'tx') {
        if (!verifyTx(leaf.tx)) fail(index, 'transaction signature does not verify');
        txs++;
        if (!leaf.result.ok) refused++;
        sinceBlock++;
      } else {
        const problem = blockLinkProblem({ height, prev, time: lastTime }, leaf, sinceBlock);
        if (problem) fail(index, problem);
        prev = toHex(lh);
        lastTime = leaf.time;
        sinceBlock = 0;
        height++;
      }
      acc.appendLeafHash(lh);
      if (acc.size > cp.size) break;
    }
    opts.onProgress?.(acc.size, cp.size);
  }
  if (sinceBlock !== 0) fail(acc.size - 1, 'the checkpoint does not end on a block');
  if (!equalBytes(acc.root(), cp.root)) {
    throw new AidError(
      'VERIFY_FAILED',
      `the root of the ${cp.size} leaves served is not the checkpoint root`,
    );
  }
  return { size: cp.size, blocks: height, txs, refused, signers: cp.orgs };
}
