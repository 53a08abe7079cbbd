/**
 * A node in a consortium: batches ordered by etcd (see consortium/etcd.ts), and checkpoints
 * cosigned through etcd. After each block a node publishes its signature line with the root it
 * signed; it adds every peer's line over the identical checkpoint to its own, so its checkpoint
 * becomes final once the policy's quorum has signed. A peer that signed another root for a size
 * has diverged; when a quorum of organisations agrees on a root that is not this node's own,
 * this node is the one that diverged: it stops committing and says so in its health.
 */
import { Etcd3 } from 'etcd3';
import { fromHex, toHex } from '../core/bytes.js';
import { formatCheckpoint } from '../core/note.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import {
  admitBatch,
  DEFAULT_LIMITS,
  type CheckContext,
  type Checker,
} from '../runtime/admission.js';
import { submissionShapeRefusal } from '../runtime/submission-shape.js';
import type { AdmittedItem } from '../runtime/execute.js';
import type { Ledger } from '../runtime/ledger.js';
import type { BatchCodec, EtcdTls } from './etcd.js';
import { etcdOptions } from './etcd.js';
import { challengeText } from '../chain/auth.js';
import { verifyCheckpoint } from '../chain/policy.js';

export interface ClusterConfig {
  endpoints: string[];
  /** The etcd key prefix of the chain; defaults to `aidledger/<chain>/`. */
  prefix?: string | undefined;
  tls?: EtcdTls | undefined;
}

export const clusterPrefix = (chain: string, cfg: ClusterConfig): string =>
  cfg.prefix ?? `aidledger/${chain}/`;

/**
 * Items travel as their submission text, as admission received it. Every node checks a batch's
 * items the same way, with the batch's time as the clock, so all nodes keep exactly the same
 * items; the proposer skips only the checks it made at admission.
 */
export function submissionCodec(ledger: Ledger, pool: Checker): BatchCodec<AdmittedItem> {
  return {
    encode: (item) =>
      item.itemText ??
      canonicalJson(
        item.private === undefined ? { tx: item.tx } : { private: item.private, tx: item.tx },
      ),
    async decode(values, batch, own) {
      const ctx: CheckContext = {
        chain: ledger.chain,
        version: ledger.protocolFor(ledger.height + 1).version,
        now: batch.time,
        limits: DEFAULT_LIMITS,
      };
      if (own) return own.filter((i) => Math.abs(i.tx.time - batch.time) <= ctx.limits.maxSkewMs);
      // An item of a hostile shape is dropped like any item that fails the stateless checks,
      // before it reaches a worker: judged on its RFC 8785 text, so every node drops the same.
      const fit = values.filter((v) => submissionShapeRefusal(v, ctx.limits) === undefined);
      return admitBatch(ledger, fit, ctx, pool);
    },
  };
}

interface SignatureRecord {
  size: number;
  height: number;
  root: string;
  org: string;
  line: string;
}

export interface Divergence {
  org: string;
  size: number;
  root: string;
  /** The organisation had signed another root for this size before. */
  fork?: boolean;
}

/** Publishes this node's checkpoint signatures and gathers its peers'. */
export class Cosigner {
  private readonly client: Etcd3;
  private next = 1;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  /** Peer signatures for sizes this node has not reached yet. */
  private readonly pending = new Map<number, SignatureRecord[]>();
  /** Roots each organisation signed, by size, for the sizes still open. */
  private readonly roots = new Map<number, Map<string, string>>();
  readonly diverged: Divergence[] = [];

  constructor(
    private readonly ledger: Ledger,
    private readonly org: string,
    cfg: ClusterConfig,
    private readonly onFault: (e: AidError) => void,
    private readonly log: (
      level: 'info' | 'error',
      msg: string,
      f?: Record<string, unknown>,
    ) => void,
  ) {
    this.client = new Etcd3(etcdOptions(cfg.endpoints, cfg.tls));
    this.prefix = `${clusterPrefix(ledger.chain, cfg)}s/`;
  }

  private readonly prefix: string;

  private wake: (() => void) | undefined;
  private watcher: { cancel(): Promise<void> } | undefined;

  start(): void {
    // The watch only wakes the reader; the records are read as ranges.
    this.client
      .watch()
      .prefix(this.prefix)
      .create()
      .then((w) => {
        this.watcher = w;
        w.on('put', () => {
          const f = this.wake;
          this.wake = undefined;
          f?.();
        });
      })
      .catch(() => undefined);
    this.loop = this.run();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Publishes the signature of this node's checkpoint of the current size. */
  async publish(height: number): Promise<void> {
    const size = this.ledger.size;
    const cp = this.ledger.log.checkpointAt(size);
    if (!cp) return;
    const line = cp.note.slice(cp.note.indexOf('\n\n') + 2).split('\n')[0]! + '\n';
    const rec: SignatureRecord = { size, height, root: toHex(cp.root), org: this.org, line };
    this.note(rec);
    try {
      await this.client
        .put(`${this.prefix}${size.toString().padStart(16, '0')}/${this.org}`)
        .value(canonicalJson(rec))
        .exec();
    } catch (e) {
      this.log('error', 'publishing a checkpoint signature failed', {
        message: (e as Error).message,
      });
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const res = await this.client
          .getAll()
          .prefix(this.prefix)
          .minModRevision(this.next)
          .sort('Mod', 'Ascend')
          .limit(500)
          .exec();
        for (const kv of res.kvs) {
          this.next = Math.max(this.next, Number(kv.mod_revision) + 1);
          const rec = parseJson(kv.value.toString('utf8')) as SignatureRecord;
          if (rec.org !== this.org) this.take(rec);
        }
        this.retryPending();
        if (res.kvs.length === 0) await this.sleep(250);
      } catch (e) {
        if (this.stopped) return;
        this.log('error', 'reading checkpoint signatures failed', {
          message: (e as Error).message,
        });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private retryPending(): void {
    for (const [size, recs] of this.pending) {
      if (size > this.ledger.size) continue;
      this.pending.delete(size);
      for (const r of recs) this.take(r);
    }
  }

  /** Records which root an organisation signed for a size, and judges who diverged. */
  private note(rec: SignatureRecord): void {
    let m = this.roots.get(rec.size);
    if (!m) this.roots.set(rec.size, (m = new Map()));
    const before = m.get(rec.org);
    if (before !== undefined && before !== rec.root) {
      // One organisation signed two roots for one size: a fork, kept as evidence.
      this.diverged.push({ org: rec.org, size: rec.size, root: rec.root, fork: true });
      this.log('error', 'an organisation signed two roots for one size', {
        org: rec.org,
        size: rec.size,
      });
      return;
    }
    m.set(rec.org, rec.root);
    const mine = m.get(this.org);
    if (mine === undefined) return;
    const quorum = this.ledger.policy().quorum;
    const count = new Map<string, number>();
    for (const r of m.values()) count.set(r, (count.get(r) ?? 0) + 1);
    for (const [root, n] of count) {
      if (root !== mine && n >= quorum && n > (count.get(mine) ?? 0)) {
        this.onFault(
          new AidError(
            'DIVERGED',
            `at size ${rec.size} (height ${rec.height}) ${n} organisations signed root ${root}, this node ${mine}: it stops committing`,
          ),
        );
      }
    }
    if (rec.org !== this.org && rec.root !== mine) {
      this.diverged.push({ org: rec.org, size: rec.size, root: rec.root });
      this.log('error', 'a peer signed another root', { org: rec.org, size: rec.size });
    }
    if (this.roots.size > 1024) this.roots.delete(this.roots.keys().next().value!);
  }

  private take(rec: SignatureRecord): void {
    // Only a line the named organisation's node key signed over that root counts at all: a
    // record anybody with write access to etcd could put proves nothing.
    const body = formatCheckpoint({
      origin: this.ledger.chain,
      size: rec.size,
      root: fromHex(rec.root, 32),
      extensions: [],
    });
    if (
      !rec.line.startsWith(`\u2014 ${rec.org} `) ||
      !this.ledger.log.lineVerifies(body, rec.line)
    ) {
      this.log('error', 'a checkpoint signature record does not verify; ignored', {
        org: rec.org,
        size: rec.size,
      });
      return;
    }
    if (rec.size > this.ledger.size) {
      const list = this.pending.get(rec.size) ?? [];
      list.push(rec);
      this.pending.set(rec.size, list);
      return;
    }
    const cp = this.ledger.log.checkpointAt(rec.size);
    if (!cp) return;
    this.note({ ...rec });
    if (toHex(cp.root) !== rec.root) return;
    try {
      this.ledger.log.addCosignature(rec.size, rec.line);
    } catch (e) {
      this.log('error', 'a peer signature does not verify', {
        org: rec.org,
        size: rec.size,
        message: (e as Error).message,
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.watcher?.cancel().catch(() => undefined);
    this.client.close();
  }
}

export interface CatchUpDeps {
  ledger: Ledger;
  org: string;
  /** Signs with this node's key (the checkpoint key): how it signs in to its peers. */
  sign: (message: Uint8Array) => Uint8Array;
  publicKey: string;
  pool: Checker;
  peers: () => Promise<Map<string, { position: number; url?: string }>>;
  apply: (batch: {
    id: string;
    proposer: string;
    time: number;
    position: number;
    items: AdmittedItem[];
  }) => void;
  log: (level: 'info' | 'error', msg: string, f?: Record<string, unknown>) => void;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new AidError('UNAVAILABLE', `${url}: ${body.error?.message ?? res.status}`);
  return body;
}

/**
 * Brings a node that was away longer than etcd keeps batches up to `floor`, from a peer's
 * blocks: it signs in with its node key, takes the batches after its position, checks every
 * transaction as if it came from etcd (signatures included), executes them itself, and finally
 * holds its root against the peer's checkpoint, which must be signed by the policy's quorum.
 * A peer that cannot serve (down, or erased a private part) is passed over for the next one.
 */
export async function catchUpFromPeers(d: CatchUpDeps, floor: number): Promise<number> {
  // Peers that say they are furthest along first; any peer may hold more than it last said.
  const peers = [...(await d.peers())]
    .filter(([org, p]) => org !== d.org && p.url)
    .sort((x, y) => y[1].position - x[1].position);
  for (const [org, peer] of peers) {
    try {
      const base = peer.url!;
      const { challenge } = await json<{ challenge: string }>(`${base}/v1/auth/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: d.publicKey }),
      });
      const sig = toHex(d.sign(new TextEncoder().encode(challengeText(d.ledger.chain, challenge))));
      const { token } = await json<{ token: string }>(`${base}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: d.publicKey, challenge, sig }),
      });
      const auth = { headers: { authorization: `Bearer ${token}` } };
      while (d.ledger.position < floor) {
        const { batches } = await json<{
          batches: {
            position: number;
            id: string;
            proposer: string;
            time: number;
            items: unknown[];
          }[];
        }>(`${base}/v1/cluster/batches?after=${d.ledger.position}&limit=20`, auth);
        if (batches.length === 0) break;
        for (const b of batches) {
          const ctx: CheckContext = {
            chain: d.ledger.chain,
            version: d.ledger.protocolFor(d.ledger.height + 1).version,
            now: b.time,
            // These were accepted once by the consortium: only the clock check is moot now.
            limits: { ...DEFAULT_LIMITS, maxSkewMs: Number.MAX_SAFE_INTEGER },
          };
          for (const v of b.items) {
            const refused = submissionShapeRefusal(v, ctx.limits);
            if (refused)
              throw new AidError(
                'VERIFY_FAILED',
                `peer ${org} served a bad transaction: ${refused.message}`,
              );
          }
          const items = await admitBatch(d.ledger, b.items, ctx, d.pool, true).catch(
            (e: unknown) => {
              throw new AidError(
                'VERIFY_FAILED',
                `peer ${org} served a bad transaction: ${(e as Error).message}`,
              );
            },
          );
          d.apply({ id: b.id, proposer: b.proposer, time: b.time, position: b.position, items });
        }
      }
      const note = await (
        await fetch(`${base}/v1/log/checkpoint`, { signal: AbortSignal.timeout(15_000) })
      ).text();
      const cp = verifyCheckpoint(note, d.ledger.policy());
      if (cp.size <= d.ledger.size && toHex(d.ledger.log.rootAt(cp.size)) !== toHex(cp.root))
        throw new AidError(
          'DIVERGED',
          `after catching up from ${org}, the root at ${cp.size} is not the quorum's`,
        );
      d.log('info', 'caught up from a peer', { peer: org, position: d.ledger.position });
      if (d.ledger.position >= floor) return d.ledger.position;
    } catch (e) {
      if (e instanceof AidError && e.code === 'DIVERGED') throw e;
      d.log('error', 'catching up from a peer failed; trying another', {
        peer: org,
        message: (e as Error).message,
      });
    }
  }
  return d.ledger.position;
}
