/**
 * A projection of the log: how many transactions of each signer key were refused in each UTC
 * day, by block time. Admission reads it to stop an applicant account from filling the
 * permanent log with refusals (src/node/spam-guard.ts). It is written in the same SQLite
 * transaction as the block, so a restart keeps the counts; only today and yesterday are kept.
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

/** The result and signer of a transaction leaf, as the block writes it. */
export interface RefusalLeaf {
  signer: string;
  ok: boolean;
}

export class RefusalIndex {
  private readonly st:
    | {
        add: Database.Statement<[number, string, number]>;
        prune: Database.Statement<[number]>;
        get: Database.Statement<[number, string], number>;
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
    if (writable && !existed) db.exec(SCHEMA);
    // A read-only file from before the projection has none: it counts nothing.
    if (!writable && !existed) return;
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
    };
    if (writable && !existed) this.rebuild();
  }

  /** Counts a block's refusals; runs inside the block's SQLite transaction. */
  apply(leaves: readonly RefusalLeaf[], blockTime: number): void {
    if (!this.st) return;
    const day = utcDay(blockTime);
    if (day - 1 > this.prunedBefore) {
      this.st.prune.run(day - 1);
      this.prunedBefore = day - 1;
    }
    const counts = new Map<string, number>();
    for (const l of leaves) if (!l.ok) counts.set(l.signer, (counts.get(l.signer) ?? 0) + 1);
    for (const [signer, n] of counts) this.st.add.run(day, signer, n);
  }

  /** Refusals the log recorded for `signer` in the UTC day `day`. */
  count(signer: string, day: number): number {
    return this.st?.get.get(day, signer) ?? 0;
  }

  /** Counts the blocks of yesterday and today (by this machine's clock) from the log. */
  private rebuild(): void {
    const blocks = this.db
      .prepare<[number], { first: number; leaf: number; time: number }>(
        'SELECT first, leaf, time FROM blocks WHERE time >= ? ORDER BY height',
      )
      .all((utcDay(Date.now()) - 1) * DAY_MS);
    const leaves = this.db
      .prepare<[number, number], Buffer>('SELECT data FROM leaves WHERE idx >= ? AND idx < ?')
      .pluck();
    this.db.transaction(() => {
      for (const b of blocks) {
        const refused: RefusalLeaf[] = [];
        for (const bytes of leaves.iterate(b.first, b.leaf)) {
          const l = parseLeaf(bytes.toString('utf8'));
          if (l.kind === 'tx') refused.push({ signer: l.tx.signer, ok: l.result.ok });
        }
        this.apply(refused, b.time);
      }
    })();
  }
}
