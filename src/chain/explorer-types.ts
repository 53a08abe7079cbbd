/**
 * The shapes of the block explorer's reads: blocks and their transactions, one transaction, what
 * sits at a log index, who holds a signing key, and the checkpoints a node signed. The ledger and
 * the API build them and the SDK's client returns them, so the node and the browser name the same
 * fields once. Hashes, keys and ids are lowercase hex.
 */
import type { TxResult } from './leaf.js';
import type { SignedTx } from './tx.js';

/** A block as `GET /v1/blocks` lists it. */
export interface BlockSummary {
  height: number;
  time: number;
  protocol: number;
  txs: number;
  /** Log index of the block's first transaction leaf (or of its block leaf when empty). */
  first: number;
  /** Log index of the block's closing leaf. */
  leaf: number;
  prev: string;
  state: string;
  hash: string;
  /** The organisation whose node proposed the batch ("genesis" for block 0). */
  proposer: string;
  batch: string;
}

/** A page of blocks, oldest first, with the height of the newest block the node has. */
export interface BlocksPage {
  height: number;
  blocks: BlockSummary[];
}

/** A transaction in a block's list: its id, log index, type, signer and result. */
export interface BlockTx {
  id: string;
  index: number;
  type: string;
  signer: string;
  result: TxResult;
}

/** One block with its transactions (`GET /v1/blocks/{height}`). */
export interface BlockDetail extends BlockSummary {
  transactions: BlockTx[];
}

/** One transaction as signed, with its result, block and log index (`GET /v1/tx/{id}`). */
export interface TxView {
  id: string;
  tx: SignedTx;
  result: TxResult;
  height: number;
  index: number;
}

/** What sits at one log index: a transaction's leaf or a block's closing leaf. */
export type LogEntry =
  | { index: number; kind: 'tx'; id: string; height: number }
  | { index: number; kind: 'block'; height: number };

/** Who holds a signing key: a member of an organisation, an applicant, or a node. */
export type KeyHolder =
  | {
      key: string;
      kind: 'member';
      member: string;
      org: string | null;
      roles: string[];
      status: 'active' | 'revoked';
    }
  | { key: string; kind: 'applicant'; status: 'active' | 'closed' }
  | { key: string; kind: 'node'; org: string; status: 'active' };

/** A checkpoint a node signed, with the organisations whose signature lines its note carries. */
export interface CheckpointRow {
  size: number;
  root: string;
  /** Claimed by the note's signature lines, not verified: check the note under a policy. */
  signers: string[];
  note: string;
}

/** A page of checkpoints, newest first, with the node's log size. */
export interface CheckpointsPage {
  size: number;
  checkpoints: CheckpointRow[];
}
