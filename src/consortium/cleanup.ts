/**
 * What keeps etcd's quota from filling however long the consortium runs: every few seconds each
 * node deletes the batches every member's node has applied and the checkpoint signatures older
 * than the previous round, compacts etcd's history to that revision and, once the database has
 * grown past a threshold, defragments every member. A node that is away holds the others back
 * only for `retainRevisions`; past that, its batches go too and it catches up from a peer.
 */
import type { ConsortiumEtcd } from './etcd.js';

export interface CleanupOptions {
  etcd: ConsortiumEtcd;
  /** The organisations whose nodes must all have applied a batch before it is deleted. */
  members: () => readonly string[];
  /** The revision of the last batch this node applied: it never deletes past its own position. */
  applied: () => number;
  /** How often to clean up (ms). */
  everyMs?: number;
  /** Defragment every etcd member once the database is larger than this. */
  defragAboveBytes?: number;
  /**
   * How many revisions of batches etcd keeps for a member's node that is away: older ones are
   * deleted even if it has not applied them, and it catches up from a peer's blocks instead.
   */
  retainRevisions?: number;
  log?: (level: 'info' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class Cleanup {
  private timer: NodeJS.Timeout | undefined;
  private cleaning: Promise<void> = Promise.resolve();
  /** The revision up to which batches were deleted and etcd compacted. */
  private cleaned = 0;
  private readonly log: NonNullable<CleanupOptions['log']>;

  constructor(private readonly opts: CleanupOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.cleaning = this.cleaning
        .then(() => this.once())
        .catch((e: unknown) => {
          this.log('error', 'etcd cleanup failed; will retry', { message: (e as Error).message });
        });
    }, this.opts.everyMs ?? 2000);
    this.timer.unref();
  }

  /** Deletes what every node applied (or what is past the retention), then compacts etcd. */
  async once(): Promise<void> {
    const { etcd } = this.opts;
    const members = this.opts.members();
    if (members.length === 0) return;
    const progress = await etcd.progress();
    const applied = members.map((m) => progress.get(m)?.position ?? 0);
    const status = await etcd.status();
    // What every node applied; past the retention, also what an absent node has not.
    const retained = status.revision - (this.opts.retainRevisions ?? 1_000_000);
    const upto = Math.min(this.opts.applied(), Math.max(Math.min(...applied), retained));
    if (!(upto > this.cleaned)) return;
    // Batches up to here are about to go: a node behind this point (away too long, or whose
    // file was restored from an old copy) learns it must catch up from a peer.
    await etcd.raiseFloor(upto);
    const deleted = await etcd.deleteBatchesUpTo(upto);
    if (this.cleaned > 0) await etcd.deleteSignaturesUpTo(this.cleaned);
    await etcd.compact(upto);
    this.cleaned = upto;
    if (status.dbSize > (this.opts.defragAboveBytes ?? 512 * 1024 * 1024)) {
      await etcd.defragment();
      this.log('info', 'etcd defragmented', { dbSize: status.dbSize });
    }
    if (deleted > 0) this.log('info', 'applied batches deleted from etcd', { deleted, upto });
  }

  /** Stops the timer; resolves once a cleanup under way has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.cleaning;
  }
}
