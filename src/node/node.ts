/**
 * The composition root of a node: the ledger, the signature pool, the orderer (a solo orderer, or
 * in a consortium the ClusterNode of src/consortium) and the submit path that ties them
 * together. A submission is answered once its block is committed.
 */
import type { Genesis } from '../chain/genesis.js';
import { fromHex } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import type { Protocol } from '../runtime/contract.js';
import type { NodeServices } from '../runtime/routes.js';
import { registry } from '../domains/protocols.js';
import { withProtocols, type ProtocolRegistry } from '../runtime/registry.js';
import { admitBody, DEFAULT_LIMITS, type AdmissionLimits } from '../runtime/admission.js';
import type { AdmittedItem } from '../runtime/execute.js';
import { Ledger, type CommitOutcome } from '../runtime/ledger.js';
import { SigPool } from '../runtime/sig-pool.js';
import { consortiumSecrets } from '../runtime/secrets.js';
import type { OrderedBatch, Orderer } from '../ordering/orderer.js';
import { SoloOrderer } from '../ordering/solo.js';
import type * as ClusterModule from '../consortium/cluster-node.js';
import type { ClusterNode } from '../consortium/cluster-node.js';
import { nodeSigner } from '../runtime/node-ed25519.js';
import { readNodeDir, type NodeDir } from './config.js';
import { SpamGuard, spamLimits, type Origin, type SpamLimits } from './spam-guard.js';

interface Waiter {
  resolve: (o: CommitOutcome) => void;
  reject: (e: unknown) => void;
}

export interface NodeOptions {
  limits?: AdmissionLimits;
  sigWorkers?: number;
  protocols?: ReadonlyMap<number, Protocol>;
  /** Overrides the block cutting of node.json. */
  maxTxs?: number;
  maxWaitMs?: number;
  log?: (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** Overrides the spam limits of node.json (each defaults to DEFAULT_SPAM_LIMITS). */
  spamLimits?: Partial<SpamLimits>;
  /** The clock admission and sign-in go by (ms); a test's clock in tests. */
  clock?: () => number;
}

export class AidNode {
  readonly ledger: Ledger;
  readonly registry: ProtocolRegistry;
  readonly pool: SigPool;
  readonly orderer: Orderer<AdmittedItem>;
  readonly genesis: Genesis;
  /** The node's directory: its configuration, keys and ledger file. */
  readonly dir: string;
  readonly org: string;
  private readonly limits: AdmissionLimits;
  private readonly guard: SpamGuard;
  /** The clock admission and sign-in go by. */
  readonly clock: () => number;
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly log: NonNullable<NodeOptions['log']>;
  private fault: AidError | undefined;
  /** Where peers reach this node's API (set once it listens); published for catch-up. */
  url: string | undefined;
  /** The node's part in a consortium (ordering, cosigning through etcd); none when embedded. */
  private readonly cluster: ClusterNode | undefined;
  private readonly sign: (m: Uint8Array) => Uint8Array;
  private readonly publicKey: string;

  /** `cm`: the consortium module (etcd client, gRPC), loaded only by a node in a consortium. */
  private constructor(nd: NodeDir, opts: NodeOptions, cm: typeof ClusterModule | undefined) {
    this.genesis = nd.genesis;
    this.dir = nd.dir;
    this.org = nd.config.org;
    this.sign = nodeSigner(nd.nodeKey.seedBytes);
    this.publicKey = nd.nodeKey.publicKey;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.log = opts.log ?? (() => undefined);
    this.clock = opts.clock ?? Date.now;
    // Protocols only this process knows (tests, upgrades in preparation) join the built-in ones.
    this.registry = opts.protocols ? withProtocols(registry, opts.protocols) : registry;
    this.ledger = Ledger.open({
      path: nd.ledgerPath,
      genesis: nd.genesis,
      identity: {
        org: nd.config.org,
        seed: nd.nodeKey.seedBytes,
        publicKey: fromHex(nd.nodeKey.publicKey, 32),
      },
      registry: this.registry,
      ...(nd.consortiumKey ? { secrets: consortiumSecrets(nd.consortiumKey) } : {}),
    });
    this.pool = new SigPool(opts.sigWorkers, this.registry);
    this.guard = new SpamGuard(this.ledger, spamLimits(nd.config.spamLimits, opts.spamLimits));
    if (nd.config.cluster && cm) {
      this.orderer = this.cluster = new cm.ClusterNode({
        cluster: { ...nd.config.cluster, tls: nd.etcdTls },
        ledger: this.ledger,
        org: nd.config.org,
        sign: nodeSigner(nd.nodeKey.seedBytes),
        publicKey: nd.nodeKey.publicKey,
        pool: this.pool,
        maxTxs: opts.maxTxs ?? nd.config.maxTxs,
        maxWaitMs: opts.maxWaitMs ?? nd.config.maxWaitMs,
        advertise: () => this.url,
        onFault: (e) => this.stopCommitting(e),
        log: this.log,
      });
    } else {
      this.orderer = new SoloOrderer<AdmittedItem>({
        proposer: nd.config.org,
        // Blocks are timed by the clock admission goes by: a refusal's UTC day is its block's.
        now: this.clock,
        maxTxs: opts.maxTxs ?? nd.config.maxTxs,
        maxWaitMs: opts.maxWaitMs ?? nd.config.maxWaitMs,
      });
    }
  }

  /**
   * Stops the node when the next block's protocol version (adopted by the consortium) is one this
   * build does not have: it must be upgraded, not run old rules. @throws AidError UNAVAILABLE.
   */
  private requireKnownProtocol(): void {
    try {
      this.ledger.nextProtocol();
    } catch (e) {
      this.stopCommitting(e as AidError);
      throw new AidError('UNAVAILABLE', `node stopped committing: ${this.fault!.message}`);
    }
  }

  /** After a fork or a divergence: nothing more is committed or signed, and health says why. */
  private stopCommitting(e: AidError): void {
    if (this.fault) return;
    this.fault = e;
    this.log('error', 'node stopped committing', { code: e.code, message: e.message });
    for (const id of [...this.waiters.keys()]) this.settle(id, (w) => w.reject(e));
  }

  /** Opens the node in `dir` and starts ordering. @throws AidError CONFIG. */
  static async open(dir: string, opts: NodeOptions = {}): Promise<AidNode> {
    const nd = readNodeDir(dir);
    const cm = nd.config.cluster ? await import('../consortium/cluster-node.js') : undefined;
    const node = new AidNode(nd, opts, cm);
    await node.orderer.start((b) => node.deliver(b));
    return node;
  }

  get healthy(): { ok: boolean; fault?: string; code?: string; diverged?: unknown[] } {
    const peers = this.cluster?.diverged.length
      ? { diverged: this.cluster.diverged.slice(-20) }
      : {};
    return this.fault
      ? { ok: false, code: this.fault.code, fault: this.fault.message, ...peers }
      : { ok: true, ...peers };
  }

  /** The spam limits this node applies. */
  get spamLimits(): SpamLimits {
    return this.guard.limits;
  }

  /** What the node offers the domains' routes (src/runtime/routes.ts). */
  services(): NodeServices {
    return {
      org: this.org,
      dir: this.dir,
      clock: this.clock,
      submit: async (text, client) => (await this.submit(text, false, { client }))[0]!,
      sign: this.sign,
      publicKey: this.publicKey,
      peerUrl: async (org) => this.cluster?.peerUrl(org),
    };
  }

  /**
   * Admits a request body (one submission, or an array when `many`), orders what is new and
   * resolves with each one's outcome once committed. Already committed transactions are answered
   * with their original outcome at once. The spam limits (src/node/spam-guard.ts) apply; those
   * on registrations only to a client's submissions (`origin.client`).
   * @throws AidError with an admission code, or RATE_LIMITED.
   */
  async submit(body: string, many: boolean, origin: Origin = {}): Promise<CommitOutcome[]> {
    if (this.fault)
      throw new AidError('UNAVAILABLE', `node stopped committing: ${this.fault.message}`);
    this.requireKnownProtocol();
    const now = this.clock();
    const items = await admitBody(this.ledger, body, many, now, this.pool, this.limits);
    // Each transaction is looked up in the log once: the spam rules and ordering both skip one
    // already committed.
    const committed = items.map((item) => this.ledger.findTx(item.id));
    const release = this.guard.admit(items, many, now, origin, committed);
    try {
      return await this.order(items, committed);
    } finally {
      release();
    }
  }

  private async order(
    items: AdmittedItem[],
    committed: readonly (CommitOutcome | undefined)[],
  ): Promise<CommitOutcome[]> {
    const results: Promise<CommitOutcome>[] = [];
    const fresh: AdmittedItem[] = [];
    for (const [i, item] of items.entries()) {
      const known = committed[i];
      if (known) {
        results.push(Promise.resolve(known));
        continue;
      }
      results.push(
        new Promise<CommitOutcome>((resolve, reject) => {
          const list = this.waiters.get(item.id);
          if (list) list.push({ resolve, reject });
          else this.waiters.set(item.id, [{ resolve, reject }]);
        }),
      );
      fresh.push(item);
    }
    if (fresh.length > 0) {
      try {
        await this.orderer.propose(fresh);
      } catch (e) {
        for (const item of fresh) this.settle(item.id, (w) => w.reject(e));
        void Promise.allSettled(results);
        throw e;
      }
    }
    return Promise.all(results);
  }

  private deliver(batch: OrderedBatch<AdmittedItem>): void {
    if (this.fault) {
      for (const item of batch.items) this.settle(item.id, (w) => w.reject(this.fault));
      return;
    }
    // A batch written twice to the ordering service (a retried put) is applied once.
    if (batch.position !== undefined && this.ledger.hasBatch(batch.id)) return;
    let outcomes: CommitOutcome[];
    try {
      outcomes = this.ledger.commitBatch(batch, batch.items);
    } catch (e) {
      const err =
        e instanceof AidError
          ? e
          : new AidError('UNAVAILABLE', `commit failed: ${(e as Error).message}`, { cause: e });
      this.log('error', 'block commit failed', { code: err.code, message: err.message });
      // A second root for a size, or a protocol version this build does not have (the consortium
      // adopted a newer one): committing on would fork from the others.
      if (err.code === 'FORK' || err.code === 'CONFIG') this.stopCommitting(err);
      for (const item of batch.items) this.settle(item.id, (w) => w.reject(err));
      return;
    }
    for (const o of outcomes) this.settle(o.id, (w) => w.resolve(o));
  }

  private settle(id: string, f: (w: Waiter) => void): void {
    const list = this.waiters.get(id);
    if (!list) return;
    this.waiters.delete(id);
    for (const w of list) f(w);
  }

  async close(): Promise<void> {
    await this.orderer.stop();
    await this.pool.close();
    this.ledger.close();
  }
}
