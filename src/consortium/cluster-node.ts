/**
 * A node's part in a consortium, as one object: one etcd client (consortium/etcd.ts, the only
 * code that knows the key layout), the orderer that writes this node's batches and reads
 * everyone's, the cosigner that publishes this node's checkpoint signatures and gathers its
 * peers', the cleanup that keeps etcd's quota from filling, and the catch-up from a peer when
 * etcd no longer holds what this node missed. To the node it is its orderer: it delivers each
 * batch in the consortium's order, and signs the checkpoint of each block the node made of it.
 */
import type { AidError } from '../core/errors.js';
import type { Deliver, OrderedBatch, Orderer } from '../ordering/orderer.js';
import type { Checker } from '../runtime/admission.js';
import type { AdmittedItem } from '../runtime/execute.js';
import type { Ledger } from '../runtime/ledger.js';
import { Cleanup } from './cleanup.js';
import { catchUpFromPeers, submissionCodec } from './cluster.js';
import { Cosigner, type Divergence } from './cosigner.js';
import { ConsortiumEtcd, type EtcdTls } from './etcd.js';
import { EtcdOrderer } from './orderer.js';

/** The `cluster` section of node.json, with the TLS files read. */
export interface ClusterConfig {
  endpoints: string[];
  /** The etcd key prefix of the chain; defaults to `aidledger/<chain>/`. */
  prefix?: string | undefined;
  tls?: EtcdTls | undefined;
  /** Revisions of batches etcd keeps for a node that is away (default 1,000,000). */
  retainRevisions?: number | undefined;
  /** Defragment the etcd members once their database passes this many MiB (default 512). */
  defragAboveMiB?: number | undefined;
}

export interface ClusterNodeOptions {
  cluster: ClusterConfig;
  ledger: Ledger;
  /** This node's organisation: the proposer of its batches and the signer of its checkpoints. */
  org: string;
  /** Signs with this node's key (the checkpoint key): how it signs in to a peer to catch up. */
  sign: (message: Uint8Array) => Uint8Array;
  publicKey: string;
  /** Checks items and their signatures (the node's worker pool). */
  pool: Checker;
  maxTxs: number;
  maxWaitMs: number;
  /** Where peers reach this node's API, once it listens. */
  advertise: () => string | undefined;
  /**
   * This node must stop committing: a quorum signed another root (DIVERGED), or the consortium
   * runs a protocol this build lacks (CONFIG). Batches are no longer read when it is called.
   */
  onFault: (e: AidError) => void;
  log: (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class ClusterNode implements Orderer<AdmittedItem> {
  private readonly ledger: Ledger;
  private readonly etcd: ConsortiumEtcd;
  private readonly orderer: EtcdOrderer<AdmittedItem>;
  private readonly cosigner: Cosigner;
  private readonly cleanup: Cleanup;
  private deliver: Deliver<AdmittedItem> = () => undefined;

  constructor(opts: ClusterNodeOptions) {
    const { cluster, ledger, log } = opts;
    this.ledger = ledger;
    this.etcd = new ConsortiumEtcd({
      endpoints: cluster.endpoints,
      tls: cluster.tls,
      prefix: ConsortiumEtcd.prefixOf(ledger.chain, cluster.prefix),
    });
    const codec = submissionCodec(ledger, opts.pool);
    this.orderer = new EtcdOrderer<AdmittedItem>({
      etcd: this.etcd,
      proposer: opts.org,
      maxTxs: opts.maxTxs,
      maxWaitMs: opts.maxWaitMs,
      after: ledger.position,
      codec: {
        encode: (item) => codec.encode(item),
        // A batch is checked under the rules of the block it becomes: a build that lacks them
        // stops here (CONFIG), as an embedded node does, instead of reading it again and again.
        decode: async (values, batch, own) => {
          ledger.nextProtocol();
          return codec.decode(values, batch, own);
        },
      },
      advertise: opts.advertise,
      catchUp: async (floor) => {
        ledger.nextProtocol();
        return catchUpFromPeers(
          {
            ledger,
            org: opts.org,
            sign: opts.sign,
            publicKey: opts.publicKey,
            pool: opts.pool,
            peers: () => this.etcd.progress(),
            apply: (b) => void this.execute(b),
            log,
          },
          floor,
        );
      },
      onFault: opts.onFault,
      log,
    });
    this.cosigner = new Cosigner(this.etcd, ledger, opts.org, opts.onFault, log);
    this.cleanup = new Cleanup({
      etcd: this.etcd,
      // Batches go once every organisation that runs a node has applied them.
      members: () => ledger.policy().signers.map((x) => x.org),
      applied: () => this.orderer.position,
      ...(cluster.defragAboveMiB ? { defragAboveBytes: cluster.defragAboveMiB * 1024 * 1024 } : {}),
      ...(cluster.retainRevisions ? { retainRevisions: cluster.retainRevisions } : {}),
      log,
    });
  }

  /**
   * Starts reading the consortium's batches from the one after the last this node applied, and
   * cosigning and cleaning up. `deliver` commits a batch before it returns: catch-up applies a
   * peer's batches one after another.
   */
  async start(deliver: Deliver<AdmittedItem>): Promise<void> {
    this.deliver = deliver;
    await this.orderer.start((b) => this.execute(b));
    this.cleanup.start();
    this.cosigner.start();
  }

  /** Queues items for a batch; resolves once the batch holding them is committed in etcd. */
  propose(items: AdmittedItem[]): Promise<void> {
    return this.orderer.propose(items);
  }

  /** Where `org`'s node API is, as that node last advertised it through etcd. */
  async peerUrl(org: string): Promise<string | undefined> {
    return (await this.etcd.progress()).get(org)?.url;
  }

  /** The peers found to have signed another root than this node's, and forks, newest last. */
  get diverged(): readonly Divergence[] {
    return this.cosigner.diverged;
  }

  /** Has the node execute a batch; once that made a block, signs and publishes its checkpoint. */
  private execute(batch: OrderedBatch<AdmittedItem>): void | Promise<void> {
    const height = this.ledger.height;
    const signed = () => {
      if (this.ledger.height > height) void this.cosigner.publish(this.ledger.height);
    };
    const done = this.deliver(batch);
    if (done) return done.then(signed);
    signed();
  }

  /** Stops cleaning up, ordering and cosigning, then closes the etcd client. */
  async stop(): Promise<void> {
    await this.cleanup.stop();
    await this.orderer.stop();
    await this.cosigner.stop();
    this.etcd.close();
  }
}
