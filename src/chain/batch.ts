/**
 * An orderer batch: one block. Every node cuts the same blocks because a block is exactly one
 * batch; the batch carries its proposer's timestamp, which the block clamps to at least the
 * previous block's time + 1 ms.
 */
import type { PrivatePart } from './tx.js';

export interface BatchItem {
  /** The transaction's exact RFC 8785 text. */
  tx: string;
  private?: PrivatePart;
}

export interface Batch {
  /** Unique per proposal, so a batch delivered twice is applied once. */
  id: string;
  /** The node that proposed it. */
  proposer: string;
  /** The proposer's clock, in milliseconds. */
  time: number;
  items: BatchItem[];
}
