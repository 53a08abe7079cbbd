/**
 * The cluster orderer: batches go into an etcd cluster (Raft), whose revision is the total order.
 * Each node puts the batches it cut under `<prefix>b/<batch id>` and applies every batch, its own
 * and its peers', in revision order from the revision after the last one it applied. The watch
 * is only a wake-up: batches are read as ranges of revisions, so a gap is never silently
 * skipped and a watch that stalls delays nothing for long. A batch written twice (a client retry
 * of a put that had committed) has a later revision but the same id: the node drops it.
 */
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { newBatchId, type Deliver, type OrderedBatch, type Orderer } from '../ordering/orderer.js';
import type { ConsortiumEtcd } from './etcd.js';

/** How the items of a batch are written to etcd and read back (checked) on every node. */
export interface BatchCodec<T> {
  /** The item as RFC 8785 JSON text. */
  encode(item: T): string;
  /**
   * The items of a delivered batch. Every node runs the same deterministic checks, so all drop
   * the same items; `own` are the proposer's own already-checked items, whose signatures it
   * need not check again.
   */
  decode(
    values: unknown[],
    batch: { id: string; proposer: string; time: number },
    own?: T[],
  ): Promise<T[]>;
}

export interface EtcdOrdererOptions<T> {
  /** The consortium's etcd, where batches are written and read. */
  etcd: ConsortiumEtcd;
  proposer: string;
  maxTxs: number;
  maxWaitMs: number;
  /** Largest batch value in bytes: under etcd's request limit (1.5 MiB by default). */
  maxBatchBytes?: number;
  /** The etcd revision of the last batch this node applied; 0 when it applied none. */
  after: number;
  codec: BatchCodec<T>;
  now?: () => number;
  /** How often to look for batches when the watch brings no news. */
  pollMs?: number;
  /** Where peers reach this node's API, published with its progress (for catch-up). */
  advertise?: () => string | undefined;
  /**
   * Applies, from a peer's blocks, the batches up to `floor` that etcd no longer holds; resolves
   * with the position reached.
   */
  catchUp?: (floor: number) => Promise<number>;
  /**
   * Told of a fault that reading again cannot cure (see HALTING); the orderer has stopped
   * reading batches when it is called.
   */
  onFault?: (e: AidError) => void;
  log?: (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * Codes of a failure to read or apply a batch that a retry cannot cure: this build cannot run the
 * protocol the consortium adopted (CONFIG), or this node's history is not the quorum's
 * (DIVERGED). On these the orderer stops reading instead of retrying, so its progress in etcd
 * stays where its ledger is.
 */
const HALTING: ReadonlySet<string> = new Set(['CONFIG', 'DIVERGED']);

const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;

/**
 * A batch as nodes write it (`{id, proposer, time, items}`), or undefined when the value is not
 * one: not JSON, or a header of the wrong types. Judged on the value's bytes alone, so every node
 * judges alike. The items are checked one by one later, as any batch's are.
 */
export function batchOf(
  text: string,
): { id: string; proposer: string; time: number; items: unknown[] } | undefined {
  let v: unknown;
  try {
    v = parseJson(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const b = v as Record<string, unknown>;
  const short = (x: unknown): x is string =>
    typeof x === 'string' && x.length > 0 && x.length <= 128;
  if (!short(b.id) || !short(b.proposer)) return undefined;
  if (typeof b.time !== 'number' || !Number.isSafeInteger(b.time) || b.time < 0) return undefined;
  if (!Array.isArray(b.items)) return undefined;
  return { id: b.id, proposer: b.proposer, time: b.time, items: b.items as unknown[] };
}
/** Batches read per range: bounded so a response stays under the etcd client's receive limit. */
const RANGE_BATCHES = 16;

interface Pending<T> {
  items: T[];
  texts: string[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class EtcdOrderer<T> implements Orderer<T> {
  private readonly etcd: ConsortiumEtcd;
  private deliver: Deliver<T> | undefined;
  private queue: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private next: number;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private poked = false;
  private watcher: { cancel(): Promise<void> } | undefined;
  /** Batches this node cut, by id: delivered with the items it already checked. */
  private readonly own = new Map<string, T[]>();
  private readonly log: NonNullable<EtcdOrdererOptions<T>['log']>;
  private progressAt = 0;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: EtcdOrdererOptions<T>) {
    this.etcd = opts.etcd;
    this.next = opts.after + 1;
    this.log = opts.log ?? (() => undefined);
  }

  async start(deliver: Deliver<T>): Promise<void> {
    this.deliver = deliver;
    try {
      this.watcher = await this.etcd.watchBatches(() => this.poke());
    } catch (e) {
      // The range reads below still find every batch; the watch only shortens the wait.
      this.log('error', 'etcd watch unavailable; polling', { message: (e as Error).message });
    }
    this.loop = this.run();
  }

  /** The etcd revision of the last batch this node has read and applied (or dropped as a repeat). */
  get position(): number {
    return this.next - 1;
  }

  /** Tells the consortium how far this node has applied: at most a few times a second. */
  private async publishProgress(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.progressAt < 250) {
      // Throttled: the last word still goes out, a moment later.
      this.progressTimer ??= setTimeout(() => {
        this.progressTimer = undefined;
        void this.publishProgress(true);
      }, 250);
      this.progressTimer.unref();
      return;
    }
    this.progressAt = now;
    const url = this.opts.advertise?.();
    await this.etcd
      .putProgress(this.opts.proposer, { position: this.position, ...(url ? { url } : {}) })
      .catch(() => undefined);
  }

  /** Queues items for a batch; resolves once the batch holding them is committed in etcd. */
  propose(items: T[]): Promise<void> {
    if (this.stopped) return Promise.reject(new AidError('UNAVAILABLE', 'orderer stopped'));
    const texts = items.map((i) => this.opts.codec.encode(i));
    const bytes = texts.reduce((a, t) => a + t.length + 1, 0);
    const limit = this.opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    if (bytes > limit)
      return Promise.reject(new AidError('TOO_LARGE', `a batch is at most ${limit} bytes`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, texts, bytes, resolve, reject });
      const queued = this.queue.reduce((a, p) => a + p.items.length, 0);
      const size = this.queue.reduce((a, p) => a + p.bytes, 0);
      if (queued >= this.opts.maxTxs || size >= limit) this.cut();
      else this.timer ??= setTimeout(() => this.cut(), this.opts.maxWaitMs);
    });
  }

  /** Writes the queued proposals as batches, each within the item and byte limits. */
  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const limit = this.opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    while (this.queue.length > 0) {
      const group: Pending<T>[] = [];
      let n = 0;
      let bytes = 0;
      while (this.queue.length > 0) {
        const p = this.queue[0]!;
        if (group.length > 0 && (n + p.items.length > this.opts.maxTxs || bytes + p.bytes > limit))
          break;
        group.push(this.queue.shift()!);
        n += p.items.length;
        bytes += p.bytes;
      }
      void this.write(group);
    }
  }

  private async write(group: Pending<T>[]): Promise<void> {
    const id = newBatchId();
    const time = (this.opts.now ?? Date.now)();
    const items = group.flatMap((p) => p.items);
    const head = canonicalJson({ id, proposer: this.opts.proposer, time });
    // The items are canonical JSON already: spliced in, not escaped as strings.
    const value = `${head.slice(0, -1)},"items":[${group.flatMap((p) => p.texts).join(',')}]}`;
    this.own.set(id, items);
    try {
      await this.etcd.putBatch(id, value);
      for (const p of group) p.resolve();
      this.poke();
    } catch (e) {
      // It may still have committed (the client retries): then it is delivered like any other.
      const err = new AidError('UNAVAILABLE', `ordering service: ${(e as Error).message}`, {
        cause: e,
      });
      for (const p of group) p.reject(err);
    }
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    // News that comes while a read is in flight is kept for the next sleep.
    if (w) w();
    else this.poked = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Reads batches in revision order from the next unapplied revision and delivers them. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      let got = 0;
      try {
        const batches = await this.etcd.batchesFrom(this.next, RANGE_BATCHES);
        // Batches this node still needs may have been deleted (it was away, or fell further
        // behind than etcd keeps). Cleanup raises the floor before it deletes, so the floor read
        // after the range covers anything the range could have missed.
        const floor = await this.etcd.floor();
        if (this.next <= floor) {
          if (!this.opts.catchUp)
            throw new AidError('UNAVAILABLE', `batches up to ${floor} are gone from etcd`);
          this.log('info', 'catching up from a peer', { from: this.next - 1, to: floor });
          this.next = (await this.opts.catchUp(floor)) + 1;
          if (this.next <= floor)
            throw new AidError('UNAVAILABLE', 'no peer could bring this node up to date');
          await this.publishProgress(true);
          continue;
        }
        for (const b of batches) {
          if (this.stopped) return;
          if (b.revision < this.next) continue;
          await this.apply(b.value, b.revision);
          this.next = b.revision + 1;
          got++;
        }
        if (got > 0) await this.publishProgress();
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof AidError && HALTING.has(e.code)) {
          // The batch at `next` stays unapplied, and the progress this node publishes says so.
          this.log('error', 'reading batches from etcd stopped', {
            code: e.code,
            message: e.message,
          });
          this.opts.onFault?.(e);
          await this.publishProgress(true);
          return;
        }
        this.log('error', 'reading batches from etcd failed; retrying', {
          message: (e as Error).message,
        });
        await this.sleep(500);
        continue;
      }
      if (got === 0) await this.sleep(this.opts.pollMs ?? 200);
    }
  }

  private async apply(text: string, position: number): Promise<void> {
    const v = batchOf(text);
    if (v === undefined) {
      // Every node reads the same bytes here and skips them alike; retrying could never cure
      // them, and would stop the whole consortium behind one bad write.
      this.log('error', 'a value in etcd is not a batch: skipped', { position });
      return;
    }
    const header = { id: v.id, proposer: v.proposer, time: v.time };
    const mine = this.own.get(v.id);
    this.own.delete(v.id);
    const items = await this.opts.codec.decode(v.items, header, mine);
    const batch: OrderedBatch<T> = { ...header, items, position };
    await this.deliver!(batch);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.cut();
    this.poke();
    await this.loop;
    await this.publishProgress(true);
    await this.watcher?.cancel().catch(() => undefined);
  }
}
