/**
 * A witness: follows a node's checkpoints, checks each is signed under the policy and consistent
 * with the last one it saw, and raises the alarm on a fork or a rewrite. Its state is small JSON
 * that a CLI keeps in a file between runs.
 */
import { verifyCheckpoint, type Policy } from '../chain/policy.js';
import { fromHex, toHex, equalBytes } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import { verifyConsistency } from '../core/merkle.js';
import type { AidClient } from './client.js';

export interface WitnessState {
  origin: string;
  size: number;
  root: string;
  /** The last checkpoint note seen: evidence if the node later contradicts it. */
  note: string;
}

export interface WitnessStep {
  state: WitnessState;
  grew: boolean;
}

/**
 * Fetches the node's checkpoint and checks it against `prev`.
 * @throws AidError POLICY_NOT_MET / BAD_CHECKPOINT (bad signatures), FORK (same size, another
 * root), INCONSISTENT (the log shrank or the new tree does not extend the old one).
 */
export async function witnessStep(
  client: AidClient,
  policy: Policy,
  prev?: WitnessState,
): Promise<WitnessStep> {
  const note = await client.checkpoint();
  const cp = verifyCheckpoint(note, policy);
  const state: WitnessState = { origin: cp.origin, size: cp.size, root: toHex(cp.root), note };
  if (!prev) return { state, grew: true };
  if (prev.origin !== cp.origin)
    throw new AidError('BAD_CHECKPOINT', `origin changed from ${prev.origin} to ${cp.origin}`);
  if (cp.size < prev.size) {
    throw new AidError(
      'INCONSISTENT',
      `the log shrank from ${prev.size} to ${cp.size} entries: it was rewritten`,
      {
        details: { previous: prev.note, current: note },
      },
    );
  }
  if (cp.size === prev.size) {
    if (!equalBytes(cp.root, fromHex(prev.root, 32))) {
      throw new AidError('FORK', `two signed checkpoints of size ${cp.size} with different roots`, {
        details: { previous: prev.note, current: note },
      });
    }
    return { state: prev, grew: false };
  }
  const proof = await client.consistencyProof(prev.size, cp.size);
  if (!verifyConsistency(prev.size, cp.size, fromHex(prev.root, 32), cp.root, proof)) {
    throw new AidError(
      'INCONSISTENT',
      `the tree of size ${cp.size} does not extend the one of size ${prev.size}: the log was rewritten`,
      {
        details: { previous: prev.note, current: note },
      },
    );
  }
  return { state, grew: true };
}
