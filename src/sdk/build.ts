/** Building and signing transactions, with their private parts, on the client's own device. */
import { makePrivatePart, privateCommitment, signTx, type Submission } from '../chain/tx.js';
import { toHex } from '../core/bytes.js';
import { randomBytes } from '../core/ed25519.js';

export interface TxSpec {
  chain: string;
  type: string;
  payload: Record<string, unknown>;
  /** Personal or medical facts: only their salted commitment enters the transaction. */
  facts?: Record<string, unknown>;
  nonce?: string;
  /** Milliseconds; defaults to now. */
  time?: number;
}

/** A signed submission ready for `AidClient.submit`. */
export function buildSubmission(spec: TxSpec, seed: Uint8Array): Submission {
  const part = spec.facts ? makePrivatePart(spec.facts) : undefined;
  const tx = signTx(
    {
      chain: spec.chain,
      type: spec.type,
      payload: spec.payload,
      ...(part ? { private: { commitment: privateCommitment(part) } } : {}),
      nonce: spec.nonce ?? toHex(randomBytes(12)),
      time: spec.time ?? Date.now(),
    },
    seed,
  );
  return part ? { tx, private: part } : { tx };
}
