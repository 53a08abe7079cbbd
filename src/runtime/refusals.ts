/**
 * Projections of the log's refused transactions, written in the same SQLite transaction as the
 * block, so a restart keeps them:
 * - how many transactions of each signer key were refused in each UTC day, by block time.
 *   Admission reads it to stop an applicant account from filling the permanent log with refusals
 *   (src/node/spam-guard.ts); only today and yesterday are kept;
 * - every refused transaction (log index, type, code, signer, block time), for those who
 *   investigate them: every `DUPLICATE_CLAIM`, `FORBIDDEN_ROLE`, `CONFLICT_OF_INTEREST`. The log
 *   holds the same in public; this is its index.
 */
import type Database from 'better-sqlite3';
import { parseLeaf } from '../chain/leaf.js';

export const DAY_MS = 86_400_000;

/** The UTC day number of a time in ms since the epoch. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS refusals_by_day (
  day INTEGER NOT NULL,
  signer TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, signer)
) WITHOUT ROWID;
`;

const LIST_SCHEMA = `
CREATE TABLE IF NOT EXISTS refused_txs (
  idx INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  code TEXT NOT NULL,
  signer TEXT NOT NULL,
  org TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS refused_by_code ON refused_txs (code, idx);
CREATE INDEX IF NOT EXISTS refused_by_signer ON refused_txs (signer, idx);
CREATE INDEX IF NOT EXISTS refused_by_org ON refused_txs (org, idx);
`;

/** The result and signer of a transaction leaf, as the block writes it. */
export interface RefusalLeaf {
  /** Its log index. */
  index: number;
  signer: string;
  type: string;
  ok: boolean;
  code?: string;
}

/** The organisation a signer key belongs to ('' for an applicant). */
export type SignerOrg = (key: string) => string;

/** A refused transaction as the list keeps it. */
export interface RefusedTx {
  index: number;
  type: string;
  code: string;
  signer: string;
  /** The signer's organisation, '' for an applicant account. */
  org: string;
  time: number;
}

export interface RefusalFilter {
  code?: string;
  type?: string;
  /** Refusals signed by this organisation's members ('' for applicants). */
  org?: string;
  /** Refusals signed by this key. */
  signer?: string;
  /** Before this log index: the cursor of the previous page. */
  before?: number;
  limit: number;
}

export class RefusalIndex {
  private readonly st:
    | {
        add: Database.Statement<[number, string, number]>;
        prune: Database.Statement<[number]>;
        get: Database.Statement<[number, string], number>;
        list: Database.Statement<[number, string, string, string, string, number]>;
      }
    | undefined;
  private prunedBefore = 0;

  /**
   * Opens the projection; on a writable file made before it existed, fills it from the blocks of
   * the last two days so that counting starts where the log is.
   */
  constructor(
    private readonly db: Database.Database,
    writable: boolean,
  ) {
    const existed =
      db
        .prepare<[], number>(
          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'refusals_by_day'",
        )
        .pluck()
        .get() === 1;
    const listed =
      db
        .prepare<[], number>(
          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'refused_txs'",
        )
        .pluck()
        .get() === 1;
    if (writable && !existed) db.exec(SCHEMA);
    if (writable && !listed) db.exec(LIST_SCHEMA);
    // A read-only file from before the projections has none: it counts and lists nothing.
    if (!writable && (!existed || !listed)) return;
    this.st = {
      add: db.prepare(
        'INSERT INTO refusals_by_day (day, signer, n) VALUES (?, ?, ?) ON CONFLICT (day, signer) DO UPDATE SET n = n + excluded.n',
      ),
      prune: db.prepare('DELETE FROM refusals_by_day WHERE day < ?'),
      get: db
        .prepare<[number, string], number>(
          'SELECT n FROM refusals_by_day WHERE day = ? AND signer = ?',
        )
        .pluck(),
      list: db.prepare(
        'INSERT OR IGNORE INTO refused_txs (idx, type, code, signer, org, time) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
    this.pending = writable ? { counts: !existed, list: !listed } : undefined;
  }

  private pending: { counts: boolean; list: boolean } | undefined;

  /**
   * Fills what a file made before a projection lacks, from the log, once the ledger can say whose
   * each key is.
   */
  catchUp(orgOf: SignerOrg): void {
    const p = this.pending;
    this.pending = undefined;
    if (p && (p.counts || p.list)) this.rebuild(p.counts, p.list, orgOf);
  }

  /** Counts and lists a block's refusals; runs inside the block's SQLite transaction. */
  apply(leaves: readonly RefusalLeaf[], blockTime: number, orgOf: SignerOrg): void {
    if (!this.st) return;
    const day = utcDay(blockTime);
    if (day - 1 > this.prunedBefore) {
      this.st.prune.run(day - 1);
      this.prunedBefore = day - 1;
    }
    this.count_(leaves, day);
    this.list_(leaves, blockTime, orgOf);
  }

  private count_(leaves: readonly RefusalLeaf[], day: number): void {
    const counts = new Map<string, number>();
    for (const l of leaves) if (!l.ok) counts.set(l.signer, (counts.get(l.signer) ?? 0) + 1);
    for (const [signer, n] of counts) this.st!.add.run(day, signer, n);
  }

  private list_(leaves: readonly RefusalLeaf[], time: number, orgOf: SignerOrg): void {
    for (const l of leaves)
      if (!l.ok)
        this.st!.list.run(l.index, l.type, l.code ?? 'UNKNOWN', l.signer, orgOf(l.signer), time);
  }

  /** Refused transactions, newest first. */
  refused(f: RefusalFilter): RefusedTx[] {
    if (!this.st) return [];
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.code !== undefined) {
      where.push('code = ?');
      args.push(f.code);
    }
    if (f.type !== undefined) {
      where.push('type = ?');
      args.push(f.type);
    }
    if (f.org !== undefined) {
      where.push('org = ?');
      args.push(f.org);
    }
    if (f.signer !== undefined) {
      where.push('signer = ?');
      args.push(f.signer);
    }
    if (f.before !== undefined) {
      where.push('idx < ?');
      args.push(f.before);
    }
    args.push(f.limit);
    return this.db
      .prepare<(string | number)[], RefusedTx>(
        `SELECT idx AS "index", type, code, signer, org, time FROM refused_txs
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY idx DESC LIMIT ?`,
      )
      .all(...args);
  }

  /** Refusals the log recorded for `signer` in the UTC day `day`. */
  count(signer: string, day: number): number {
    return this.st?.get.get(day, signer) ?? 0;
  }

  /**
   * Fills what a file made before a projection lacks, from the log: the counts from the blocks of
   * yesterday and today (by this machine's clock), the list from every block.
   */
  private rebuild(counts: boolean, list: boolean, orgOf: SignerOrg): void {
    const since = (utcDay(Date.now()) - 1) * DAY_MS;
    const blocks = this.db
      .prepare<[number], { first: number; leaf: number; time: number }>(
        'SELECT first, leaf, time FROM blocks WHERE time >= ? ORDER BY height',
      )
      .all(list ? 0 : since);
    const leaves = this.db
      .prepare<[number, number], Buffer>('SELECT data FROM leaves WHERE idx >= ? AND idx < ?')
      .pluck();
    this.db.transaction(() => {
      for (const b of blocks) {
        const refused: RefusalLeaf[] = [];
        let index = b.first;
        for (const bytes of leaves.iterate(b.first, b.leaf)) {
          const l = parseLeaf(bytes.toString('utf8'));
          if (l.kind === 'tx' && !l.result.ok)
            refused.push({
              index,
              signer: l.tx.signer,
              type: l.tx.type,
              ok: false,
              code: l.result.code,
            });
          index++;
        }
        if (counts && b.time >= since) this.count_(refused, utcDay(b.time));
        if (list) this.list_(refused, b.time, orgOf);
      }
    })();
  }
}
