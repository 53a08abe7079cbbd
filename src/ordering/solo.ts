/**
 * The solo orderer of an embedded node: one writer, which cuts a batch when `maxTxs` items are
 * waiting or `maxWaitMs` after the first of them arrived, and delivers batches strictly one
 * after another.
 */
import { newBatchId, type Deliver, type Orderer } from './orderer.js';

export interface SoloOptions {
  proposer: string;
  maxTxs: number;
  maxWaitMs: number;
  /** The clock stamped on each batch; injectable for tests. */
  now?: () => number;
}

export class SoloOrderer<T> implements Orderer<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private deliver: Deliver<T> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: SoloOptions) {}

  start(deliver: Deliver<T>): Promise<void> {
    this.deliver = deliver;
    return Promise.resolve();
  }

  propose(items: T[]): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('orderer stopped'));
    this.queue.push(...items);
    if (this.queue.length >= this.opts.maxTxs) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), this.opts.maxWaitMs);
    return Promise.resolve();
  }

  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const items = this.queue.splice(0, this.opts.maxTxs);
      const deliver = this.deliver!;
      // A failed delivery is the deliverer's to report; the next batch still goes.
      this.chain = this.chain
        .then(() =>
          deliver({
            id: newBatchId(),
            proposer: this.opts.proposer,
            time: (this.opts.now ?? Date.now)(),
            items,
          }),
        )
        .catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cut();
    await this.chain;
  }
}
