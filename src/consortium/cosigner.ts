/**
 * Checkpoints cosigned through etcd. After each block a node publishes its signature line with
 * the root it signed; it adds every peer's line over the identical checkpoint to its own, so its
 * checkpoint becomes final once the policy's quorum has signed. A peer that signed another root
 * for a size has diverged; when a quorum of organisations agrees on a root that is not this
 * node's own, this node is the one that diverged: it stops committing and says so in its health.
 */
import { fromHex, toHex } from '../core/bytes.js';
import { formatCheckpoint } from '../core/note.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import type { Ledger } from '../runtime/ledger.js';
import type { ConsortiumEtcd } from './etcd.js';

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
  private next = 1;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  /** Peer signatures for sizes this node has not reached yet. */
  private readonly pending = new Map<number, SignatureRecord[]>();
  /** Roots each organisation signed, by size, for the sizes still open. */
  private readonly roots = new Map<number, Map<string, string>>();
  readonly diverged: Divergence[] = [];

  constructor(
    private readonly etcd: ConsortiumEtcd,
    private readonly ledger: Ledger,
    private readonly org: string,
    private readonly onFault: (e: AidError) => void,
    private readonly log: (
      level: 'info' | 'error',
      msg: string,
      f?: Record<string, unknown>,
    ) => void,
  ) {}

  private wake: (() => void) | undefined;
  private watcher: { cancel(): Promise<void> } | undefined;

  start(): void {
    // The watch only wakes the reader; the records are read as ranges.
    this.etcd
      .watchSignatures(() => {
        const f = this.wake;
        this.wake = undefined;
        f?.();
      })
      .then((w) => {
        this.watcher = w;
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
      await this.etcd.putSignature(size, this.org, canonicalJson(rec));
    } catch (e) {
      this.log('error', 'publishing a checkpoint signature failed', {
        message: (e as Error).message,
      });
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const records = await this.etcd.signaturesFrom(this.next, 500);
        for (const r of records) {
          this.next = Math.max(this.next, r.revision + 1);
          const rec = parseJson(r.value) as SignatureRecord;
          if (rec.org !== this.org) this.take(rec);
        }
        this.retryPending();
        if (records.length === 0) await this.sleep(250);
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
  }
}
