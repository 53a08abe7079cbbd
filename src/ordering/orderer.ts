/**
 * The orderer interface. An orderer puts proposed transactions into one total order of batches;
 * every node executes each batch as one block. The solo orderer (one writer, embedded node) and
 * the cluster orderer implement the same interface, so a cluster changes no format.
 */
export interface OrderedBatch<T> {
  /** Unique per proposal (32 hex), so a batch delivered twice is applied once. */
  id: string;
  /** The node that proposed the batch. */
  proposer: string;
  /** The proposer's clock in milliseconds; the block clamps it to previous + 1 ms. */
  time: number;
  items: T[];
  /** Where the batch stands in the ordering service's total order (an etcd revision). */
  position?: number;
}

export type Deliver<T> = (batch: OrderedBatch<T>) => Promise<void> | void;

export interface Orderer<T> {
  /** Starts delivering ordered batches, one at a time, in order. */
  start(deliver: Deliver<T>): Promise<void>;
  /** Proposes items for ordering. Resolves once they are durably queued for a batch. */
  propose(items: T[]): Promise<void>;
  /** Stops cutting batches; resolves when the batch being delivered has been handled. */
  stop(): Promise<void>;
}

/** A fresh batch id: 16 random bytes as hex. */
export function newBatchId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
