/**
 * The consortium's etcd: the one client a node opens to it, and the one place that knows where
 * things live in it. Every key of a chain is under its prefix (`aidledger/<chain>/` unless
 * node.json names another), so one etcd cluster can order several chains:
 *
 *   <prefix>b/<batch id>        a batch of submissions; its mod revision is its place in the order
 *   <prefix>n/<org>             how far that organisation's node applied, and where its API is
 *   <prefix>s/<size>/<org>      that organisation's signature over its checkpoint of that size
 *                               (the size in 16 zero-padded digits, so keys sort by size)
 *   <prefix>floor               the revision up to which batches were deleted
 *
 * The orderer, the cosigner and the cleanup read and write etcd only through this class.
 */
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, isRecoverableError, type IOptions, type Watcher } from 'etcd3';
import { canonicalJson, parseJson } from '../core/canonical.js';

/** TLS to etcd: the CA that signed the members' certificates, and this node's client pair. */
export interface EtcdTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Where a node's etcd is: its members' client URLs, TLS, and the chain's key prefix. */
export interface EtcdPlace {
  endpoints: string[];
  tls?: EtcdTls | undefined;
  /** The key prefix of the chain, ending in `/`. */
  prefix: string;
}

/** What a node publishes under `n/`: how far it applied (an etcd revision), where its API is. */
export interface Progress {
  position: number;
  url?: string;
}

/** A value read from etcd, with the revision that last wrote it: its place in etcd's order. */
export interface Revisioned {
  value: string;
  revision: number;
}

/** Enough for several full batches in one range read (gRPC's default of 4 MB is not). */
const MAX_RECEIVE = 64 * 1024 * 1024;
/** Keys deleted per round trip when batches are cleaned up. */
const DELETE_PAGE = 500;

/**
 * The etcd client options. The client's own defaults block an endpoint for 5 s after three
 * failures, so when the leader dies every call fails at once for a while; instead each call has
 * a 3 s deadline and is retried with backoff on any member, which rides out a leader election
 * (about one deadline).
 */
function etcdOptions(endpoints: string[], tls: EtcdTls | undefined): IOptions {
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

/** One node's connection to the consortium's etcd, and the chain's key layout in it. */
export class ConsortiumEtcd {
  private readonly client: Etcd3;

  constructor(private readonly place: EtcdPlace) {
    this.client = new Etcd3(etcdOptions(place.endpoints, place.tls));
  }

  /** The key prefix of `chain`: the one node.json names, or `aidledger/<chain>/`. */
  static prefixOf(chain: string, configured?: string): string {
    return configured ?? `aidledger/${chain}/`;
  }

  private key(kind: 'b' | 'n' | 's' | 'floor', rest = ''): string {
    if (kind === 'floor') return `${this.place.prefix}floor`;
    return `${this.place.prefix}${kind}/${rest}`;
  }

  /** Calls `onNews` whenever a key of `kind` is written (or the watch fails). */
  private async watch(kind: 'b' | 's', onNews: () => void): Promise<Watcher> {
    const w = await this.client.watch().prefix(this.key(kind)).create();
    w.on('put', onNews);
    w.on('error', onNews);
    return w;
  }

  /** Keys of `kind` written at or after `revision`, oldest first: at most `limit` of them. */
  private async from(kind: 'b' | 's', revision: number, limit: number): Promise<Revisioned[]> {
    const res = await this.client
      .getAll()
      .prefix(this.key(kind))
      .minModRevision(revision)
      .sort('Mod', 'Ascend')
      .limit(limit)
      .exec();
    return res.kvs.map((kv) => ({
      value: kv.value.toString('utf8'),
      revision: Number(kv.mod_revision),
    }));
  }

  /** Keys of `kind` last written at or before `revision`: at most `limit` of them if given. */
  private async upTo(kind: 'b' | 's', revision: number, limit?: number): Promise<string[]> {
    const q = this.client.getAll().prefix(this.key(kind)).maxModRevision(revision);
    return (limit === undefined ? q : q.limit(limit)).keys();
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.client.delete().key(k).exec()));
  }

  /** Writes a batch; its revision is its place in the consortium's order. */
  async putBatch(id: string, value: string): Promise<void> {
    await this.client.put(this.key('b', id)).value(value).exec();
  }

  /** Batches written at or after `revision`, in order: at most `limit` of them. */
  batchesFrom(revision: number, limit: number): Promise<Revisioned[]> {
    return this.from('b', revision, limit);
  }

  /** Calls `onNews` when a batch is written: a wake-up only, batches are read as ranges. */
  watchBatches(onNews: () => void): Promise<Watcher> {
    return this.watch('b', onNews);
  }

  /** Deletes every batch written at or before `revision`; answers how many there were. */
  async deleteBatchesUpTo(revision: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const keys = await this.upTo('b', revision, DELETE_PAGE);
      if (keys.length === 0) return deleted;
      await this.deleteKeys(keys);
      deleted += keys.length;
    }
  }

  /** The revision up to which batches were deleted; 0 when none were. */
  async floor(): Promise<number> {
    return Number((await this.client.get(this.key('floor')).string()) ?? 0);
  }

  /** Records that the batches up to `revision` are about to be deleted. */
  async raiseFloor(revision: number): Promise<void> {
    await this.client.put(this.key('floor')).value(String(revision)).exec();
  }

  /** Publishes how far `org`'s node applied, and where its API is. */
  async putProgress(org: string, progress: Progress): Promise<void> {
    await this.client.put(this.key('n', org)).value(canonicalJson(progress)).exec();
  }

  /** How far each organisation's node applied, and where its API is, by organisation. */
  async progress(): Promise<Map<string, Progress>> {
    const prefix = this.key('n');
    const raw = await this.client.getAll().prefix(prefix).strings();
    const out = new Map<string, Progress>();
    for (const [k, v] of Object.entries(raw)) {
      try {
        out.set(k.slice(prefix.length), parseJson(v) as Progress);
      } catch {
        // A record this version cannot read names no peer.
      }
    }
    return out;
  }

  /** Publishes `org`'s signature record over its checkpoint of `size`. */
  async putSignature(size: number, org: string, value: string): Promise<void> {
    const key = this.key('s', `${size.toString().padStart(16, '0')}/${org}`);
    await this.client.put(key).value(value).exec();
  }

  /** Signature records written at or after `revision`, in order: at most `limit` of them. */
  signaturesFrom(revision: number, limit: number): Promise<Revisioned[]> {
    return this.from('s', revision, limit);
  }

  /** Calls `onNews` when a signature record is written. */
  watchSignatures(onNews: () => void): Promise<Watcher> {
    return this.watch('s', onNews);
  }

  /** Deletes the signature records written at or before `revision`. */
  async deleteSignaturesUpTo(revision: number): Promise<void> {
    await this.deleteKeys(await this.upTo('s', revision));
  }

  /** etcd's newest revision, and the size of the database of the member that answered. */
  async status(): Promise<{ revision: number; dbSize: number }> {
    const s = await this.client.maintenance.status();
    return { revision: Number(s.header?.revision ?? 0), dbSize: Number(s.dbSize) };
  }

  /** Drops etcd's history up to `revision` (already dropped is fine). */
  async compact(revision: number): Promise<void> {
    try {
      await this.client.kv.compact({ revision, physical: true });
    } catch (e) {
      if (!/compacted/.test((e as Error).message)) throw e;
    }
  }

  /** Defragments every member, one at a time, each asked on its own endpoint. */
  async defragment(): Promise<void> {
    for (const endpoint of this.place.endpoints) {
      const one = new Etcd3(etcdOptions([endpoint], this.place.tls));
      try {
        await one.maintenance.defragment();
      } finally {
        one.close();
      }
    }
  }

  close(): void {
    this.client.close();
  }
}
