/**
 * The cluster orderer: batches go into an etcd cluster (Raft), whose revision is the total order.
 * Each node puts the batches it cut under `<prefix>b/<batch id>` and applies every batch, its own
 * and its peers', in revision order from the revision after the last one it applied. The watch
 * is only a wake-up: batches are read as ranges of revisions, so a gap is never silently
 * skipped and a watch that stalls delays nothing for long. A batch written twice (a client retry
 * of a put that had committed) has a later revision but the same id: the node drops it.
 */
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, isRecoverableError, type IOptions } from 'etcd3';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { newBatchId, type Deliver, type OrderedBatch, type Orderer } from '../ordering/orderer.js';

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
  endpoints: string[];
  tls?: EtcdTls;
  /** The key prefix of this chain, ending in `/`. */
  prefix: string;
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
  /**
   * The organisations whose nodes must all have applied a batch before it is deleted from etcd;
   * without it, batches are never deleted.
   */
  members?: () => readonly string[];
  /** How often to delete applied batches and compact etcd (ms). */
  cleanupEveryMs?: number;
  /** Defragment every etcd member once the database is larger than this. */
  defragAboveBytes?: number;
  /**
   * How many revisions of batches etcd keeps for a member's node that is away: older ones are
   * deleted even if it has not applied them, and it catches up from a peer's blocks instead.
   */
  retainRevisions?: number;
  /** Where peers reach this node's API, published with its progress (for catch-up). */
  advertise?: () => string | undefined;
  /**
   * Applies, from a peer's blocks, the batches up to `floor` that etcd no longer holds; resolves
   * with the position reached.
   */
  catchUp?: (floor: number) => Promise<number>;
  log?: (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** TLS to etcd: the CA that signed the members' certificates, and this node's client pair. */
export interface EtcdTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Enough for several full batches in one range read (gRPC's default of 4 MB is not). */
const MAX_RECEIVE = 64 * 1024 * 1024;
const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
/** Batches read per range: bounded so a response stays under the receive limit. */
const RANGE_BATCHES = 16;

/**
 * The etcd client options every cluster component uses. The client's own defaults block an
 * endpoint for 5 s after three failures, so when the leader dies every call fails at once for a
 * while; instead each call has a 3 s deadline and is retried with backoff on any member, which
 * rides out a leader election (about one deadline).
 */
export function etcdOptions(endpoints: string[], tls?: EtcdTls): IOptions {
  return {
    hosts: endpoints,
    ...(tls
      ? {
          credentials: {
            rootCertificate: tls.ca,
            ...(tls.cert ? { certChain: tls.cert } : {}),
            ...(tls.key ? { privateKey: tls.key } : {}),
          },
        }
      : {}),
    grpcOptions: {
      'grpc.max_receive_message_length': MAX_RECEIVE,
      'grpc.max_send_message_length': MAX_RECEIVE,
    },
    dialTimeout: 5000,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 3000 }),
    faultHandling: {
      host: () => noop,
      global: retry(handleWhen(isRecoverableError), {
        maxAttempts: 5,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }),
      }),
    },
  };
}

interface Pending<T> {
  items: T[];
  texts: string[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class EtcdOrderer<T> implements Orderer<T> {
  private readonly client: Etcd3;
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
  private cleanupTimer: NodeJS.Timeout | undefined;
  private cleaning: Promise<void> = Promise.resolve();
  /** The revision up to which batches were deleted and etcd compacted. */
  private cleaned = 0;

  constructor(private readonly opts: EtcdOrdererOptions<T>) {
    this.client = new Etcd3(etcdOptions(opts.endpoints, opts.tls));
    this.next = opts.after + 1;
    this.log = opts.log ?? (() => undefined);
  }

  async start(deliver: Deliver<T>): Promise<void> {
    this.deliver = deliver;
    try {
      const w = await this.client.watch().prefix(`${this.opts.prefix}b/`).create();
      w.on('put', () => this.poke());
      w.on('error', () => this.poke());
      this.watcher = w;
    } catch (e) {
      // The range reads below still find every batch; the watch only shortens the wait.
      this.log('error', 'etcd watch unavailable; polling', { message: (e as Error).message });
    }
    this.loop = this.run();
    if (this.opts.members) {
      this.cleanupTimer = setInterval(() => {
        this.cleaning = this.cleaning
          .then(() => this.cleanup())
          .catch((e: unknown) => {
            this.log('error', 'etcd cleanup failed; will retry', { message: (e as Error).message });
          });
      }, this.opts.cleanupEveryMs ?? 2000);
      this.cleanupTimer.unref();
    }
  }

  /** How far each organisation's node has applied, and where its API is. */
  async progress(): Promise<Map<string, { position: number; url?: string }>> {
    const raw = await this.client.getAll().prefix(this.key('n')).strings();
    const out = new Map<string, { position: number; url?: string }>();
    for (const [k, v] of Object.entries(raw)) {
      try {
        out.set(k.slice(this.key('n').length), parseJson(v) as { position: number; url?: string });
      } catch {
        // A record this version cannot read names no peer.
      }
    }
    return out;
  }

  private key(kind: 'b' | 'n' | 's' | 'floor', rest = ''): string {
    if (kind === 'floor') return `${this.opts.prefix}floor`;
    return `${this.opts.prefix}${kind}/${rest}`;
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
    await this.client
      .put(this.key('n', this.opts.proposer))
      .value(canonicalJson({ position: this.next - 1, ...(url ? { url } : {}) }))
      .exec()
      .catch(() => undefined);
  }

  /**
   * Deletes the batches every member's node has applied, and the checkpoint signatures older
   * than the previous round, then compacts etcd's history to that revision and, once the
   * database has grown past the threshold, defragments every member: so the quota never fills
   * however long the consortium runs.
   */
  async cleanup(): Promise<void> {
    const members = this.opts.members?.() ?? [];
    if (members.length === 0) return;
    const progress = await this.progress();
    const applied = members.map((m) => progress.get(m)?.position ?? 0);
    const status = await this.client.maintenance.status();
    const latest = Number(status.header?.revision ?? 0);
    // What every node applied; past the retention, also what an absent node has not.
    const retained = latest - (this.opts.retainRevisions ?? 1_000_000);
    const upto = Math.min(this.next - 1, Math.max(Math.min(...applied), retained));
    if (!(upto > this.cleaned)) return;
    // Batches up to here are about to go: a node behind this point (away too long, or whose
    // file was restored from an old copy) learns it must catch up from a peer.
    await this.client.put(this.key('floor')).value(String(upto)).exec();
    let deleted = 0;
    for (;;) {
      const keys = await this.client
        .getAll()
        .prefix(this.key('b'))
        .maxModRevision(upto)
        .limit(500)
        .keys();
      if (keys.length === 0) break;
      await Promise.all(keys.map((k) => this.client.delete().key(k).exec()));
      deleted += keys.length;
    }
    if (this.cleaned > 0) {
      const old = await this.client
        .getAll()
        .prefix(this.key('s'))
        .maxModRevision(this.cleaned)
        .keys();
      await Promise.all(old.map((k) => this.client.delete().key(k).exec()));
    }
    try {
      await this.client.kv.compact({ revision: upto, physical: true });
    } catch (e) {
      if (!/compacted/.test((e as Error).message)) throw e;
    }
    this.cleaned = upto;
    const dbSize = Number(status.dbSize);
    if (dbSize > (this.opts.defragAboveBytes ?? 512 * 1024 * 1024)) {
      for (const endpoint of this.opts.endpoints) {
        const one = new Etcd3(etcdOptions([endpoint], this.opts.tls));
        try {
          await one.maintenance.defragment();
        } finally {
          one.close();
        }
      }
      this.log('info', 'etcd defragmented', { dbSize });
    }
    if (deleted > 0) this.log('info', 'applied batches deleted from etcd', { deleted, upto });
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
      await this.client.put(`${this.opts.prefix}b/${id}`).value(value).exec();
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
        const res = await this.client
          .getAll()
          .prefix(`${this.opts.prefix}b/`)
          .minModRevision(this.next)
          .sort('Mod', 'Ascend')
          .limit(RANGE_BATCHES)
          .exec();
        // Batches this node still needs may have been deleted (it was away, or fell further
        // behind than etcd keeps). Cleanup raises the floor before it deletes, so the floor read
        // after the range covers anything the range could have missed.
        const floor = Number((await this.client.get(this.key('floor')).string()) ?? 0);
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
        for (const kv of res.kvs) {
          if (this.stopped) return;
          const rev = Number(kv.mod_revision);
          if (rev < this.next) continue;
          await this.apply(kv.value.toString('utf8'), rev);
          this.next = rev + 1;
          got++;
        }
        if (got > 0) await this.publishProgress();
      } catch (e) {
        if (this.stopped) return;
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
    const v = parseJson(text) as { id: string; proposer: string; time: number; items: unknown[] };
    const header = { id: v.id, proposer: v.proposer, time: v.time };
    const mine = this.own.get(v.id);
    this.own.delete(v.id);
    const items = await this.opts.codec.decode(v.items, header, mine);
    const batch: OrderedBatch<T> = { ...header, items, position };
    await this.deliver!(batch);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.cut();
    this.poke();
    await this.loop;
    await this.cleaning;
    await this.publishProgress(true);
    await this.watcher?.cancel().catch(() => undefined);
    this.client.close();
  }
}
