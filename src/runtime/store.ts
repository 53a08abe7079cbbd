/**
 * The node's SQLite file (WAL, synchronous=FULL). Each block is written in one SQLite transaction,
 * so after a crash a block is whole or absent, and nothing acknowledged is lost.
 */
import Database from 'better-sqlite3';
import { LOG_SCHEMA } from '../log/log.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS txs (id BLOB PRIMARY KEY, leaf INTEGER NOT NULL, height INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
  height INTEGER PRIMARY KEY,
  leaf INTEGER NOT NULL,
  first INTEGER NOT NULL,
  txs INTEGER NOT NULL,
  time INTEGER NOT NULL,
  protocol INTEGER NOT NULL,
  state BLOB NOT NULL,
  hash BLOB NOT NULL,
  proposer TEXT NOT NULL,
  batch TEXT NOT NULL,
  -- The batch's place in the ordering service (an etcd revision); null on an embedded node.
  position INTEGER
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Personal and medical facts, apart from the log; erasable.
CREATE TABLE IF NOT EXISTS private_parts (txid BLOB PRIMARY KEY, salt BLOB NOT NULL, facts TEXT NOT NULL) WITHOUT ROWID;
-- The writes of transactions that carry a private part, so a replay can go on once it is erased.
CREATE TABLE IF NOT EXISTS tx_writes (leaf INTEGER NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (leaf, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_batch ON blocks (batch);
-- Which block a log index falls in (a block's leaves end at its closing leaf).
CREATE INDEX IF NOT EXISTS blocks_leaf ON blocks (leaf);
`;

export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(path, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Fewer, larger WAL checkpoints: pages dirtied by many blocks are copied back once.
    db.pragma('wal_autocheckpoint = 8192');
    db.exec(LOG_SCHEMA);
    db.exec(SCHEMA);
    // Files made before blocks kept their ordering position gain the column (empty for them).
    const cols = db.prepare<[], { name: string }>('PRAGMA table_info(blocks)').all();
    if (!cols.some((c) => c.name === 'position'))
      db.exec('ALTER TABLE blocks ADD COLUMN position INTEGER');
    db.exec('CREATE INDEX IF NOT EXISTS blocks_position ON blocks (position)');
  }
  // 8 MB: state reads are served by the state table's own cache of values (`state-table.ts`).
  db.pragma('cache_size = -8000');
  return db;
}

/** A row of the `blocks` table. */
export interface BlockRow {
  height: number;
  leaf: number;
  first: number;
  txs: number;
  time: number;
  protocol: number;
  state: Buffer;
  hash: Buffer;
  proposer: string;
  batch: string;
  position: number | null;
}
