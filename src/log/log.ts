/**
 * The RFC 9162 log of one node: the exact leaf bytes by index, the Merkle tree over them (see
 * tree.ts), the C2SP checkpoints this node signed with the cosignatures its peers added, and the
 * inclusion and consistency proofs and receipts served from them. It knows no contract, domain or
 * projection: what a leaf means is the caller's business, and so are the keys that may cosign
 * (`nodeKey`) and how many organisations make a checkpoint final (`quorum`).
 *
 * Appends run inside the caller's SQLite transaction (a block is one), followed by `seal`, which
 * signs the checkpoint of the new size in the same transaction: what a node signed is on disk
 * before anyone can see it. After the transaction, `committed` or `rolledBack`.
 */
import type Database from 'better-sqlite3';
import { RECEIPT_FORMAT, type Receipt } from '../chain/receipt.js';
import { equalBytes, fromBase64, fromHex, toBase64, toHex } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import type { HashFn } from '../core/hash.js';
import { consistencyProof, inclusionProof, leafHash, rootAt } from '../core/merkle.js';
import { formatCheckpoint, noteKeyId, signNoteLine } from '../core/note.js';
import { StoredTree } from './tree.js';

/** The log's tables; created with the node's store. */
export const LOG_SCHEMA = `
-- Exact leaf bytes (RFC 8785 text) of the global log, by log index.
CREATE TABLE IF NOT EXISTS leaves (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
-- Perfect subtree hashes: id = level * 2^40 + index.
CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
-- Every checkpoint this node signed: never two roots for one size.
CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL);
`;

/** A checkpoint this node signed, with the cosignatures it has gathered. */
export interface CheckpointRecord {
  size: number;
  root: Uint8Array;
  note: string;
}

/** The key this node signs checkpoints with, under its organisation's name. */
export interface LogSigner {
  org: string;
  publicKey: Uint8Array;
  sign: (message: Uint8Array) => Uint8Array;
}

export interface LogOptions {
  /** The checkpoint origin: the chain id. */
  origin: string;
  hash: HashFn;
  /** Checks an Ed25519 signature (hex key, UTF-8 text, hex signature). */
  verify: (keyHex: string, text: string, sigHex: string) => boolean;
  signer?: LogSigner;
  /** The node key (hex) an organisation cosigns with now, if any. */
  nodeKey: (org: string) => string | undefined;
  /** How many organisations' signatures make a checkpoint final now. */
  quorum: () => number;
}

export class Log {
  private readonly tree: StoredTree;
  private readonly st: ReturnType<typeof prepare>;
  /** Checkpoint notes with cosignatures gathered since the last write, by size. */
  private readonly cosigned = new Map<number, string>();
  private cosignFlush: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly opts: LogOptions,
  ) {
    this.st = prepare(db);
    const size = (this.st.maxLeaf.get() ?? -1) + 1;
    this.tree = new StoredTree(db, size, opts.hash, (i) => {
      const bytes = this.st.getLeaf.get(i);
      if (!bytes) throw new AidError('NOT_FOUND', `no leaf ${i}`);
      return leafHash(bytes, opts.hash);
    });
  }

  /** Leaves appended so far, including those of a transaction not yet committed. */
  get size(): number {
    return this.tree.size;
  }

  // ---- appending (inside the caller's transaction) ------------------------------------------

  /** Appends one leaf (whose RFC 9162 leaf hash the caller may already hold); returns its index. */
  append(bytes: Buffer, hash: Uint8Array = leafHash(bytes, this.opts.hash)): number {
    const index = this.tree.size;
    this.tree.append(hash);
    this.st.putLeaf.run(index, bytes);
    return index;
  }

  /**
   * Closes the appends of the transaction: writes the tree's new nodes and the gathered
   * cosignatures, and signs the checkpoint of the new size.
   */
  seal(): void {
    this.tree.flush();
    this.flushCosignatures();
    this.signCheckpoint(this.tree.size, this.tree.root());
  }

  /** The caller's transaction committed. */
  committed(): void {
    this.tree.committed();
  }

  /** The caller's transaction rolled back: the appends never happened. */
  rolledBack(): void {
    this.tree.rollback();
  }

  /**
   * Signs and stores the checkpoint for `size`. A node never signs two roots for one size: it
   * refuses with FORK instead.
   */
  private signCheckpoint(size: number, root: Uint8Array): void {
    const s = this.opts.signer;
    if (!s) return;
    const existing = this.st.getCheckpoint.get(size);
    if (existing) {
      if (!equalBytes(existing.root, root)) {
        throw new AidError('FORK', `refusing to sign a second root for size ${size}`);
      }
      return;
    }
    const text = formatCheckpoint({ origin: this.opts.origin, size, root, extensions: [] });
    const note = `${text}\n${signNoteLine(text, s.org, s.publicKey, s.sign)}`;
    this.st.putCheckpoint.run(size, root, note);
  }

  // ---- leaves ---------------------------------------------------------------------------------

  /** The exact bytes of leaf `index`, or undefined past the end. */
  leaf(index: number): Buffer | undefined {
    return this.st.getLeaf.get(index);
  }

  /** Exact leaf bytes for start <= i < end (at most `max`). */
  leaves(start: number, end: number, max = 1000): Buffer[] {
    const stop = Math.min(end, this.size, start + max);
    if (stop <= start) return [];
    return this.st.leafRange.all(start, stop);
  }

  // ---- checkpoints and cosignatures -----------------------------------------------------------

  /** The checkpoint this node signed for `size`, with the cosignatures it has gathered. */
  checkpointAt(size: number): CheckpointRecord | undefined {
    const c = this.st.getCheckpoint.get(size);
    const note = this.cosigned.get(size);
    return c && note !== undefined ? { ...c, note } : c;
  }

  /**
   * The checkpoints this node signed for sizes below `before`, newest first, each with the
   * cosignatures gathered so far (at most `limit`).
   */
  checkpoints(before: number, limit: number): CheckpointRecord[] {
    return this.st.checkpointsBefore
      .all(before, limit)
      .map((c) => ({ ...c, note: this.cosigned.get(c.size) ?? c.note }));
  }

  /** The newest checkpoint signed by a quorum of organisations (a final one), else the newest. */
  checkpoint(): CheckpointRecord {
    const quorum = this.opts.quorum();
    for (const row of this.st.recentCheckpoints.all()) {
      const c = { ...row, note: this.cosigned.get(row.size) ?? row.note };
      if (c.note.split('\n\u2014 ').length - 1 >= quorum) return c;
    }
    const c = this.st.lastCheckpoint.get();
    if (!c) throw new AidError('UNAVAILABLE', 'no checkpoint yet');
    return c;
  }

  /**
   * Adds a peer's signature line to this node's checkpoint of the same size, once it verifies
   * under the node key of the organisation it names over the identical body.
   * @returns whether it was added; false when already there. @throws AidError BAD_CHECKPOINT.
   */
  addCosignature(size: number, line: string): boolean {
    const cp = this.checkpointAt(size);
    if (!cp) throw new AidError('NOT_FOUND', `no checkpoint of size ${size} here yet`);
    if (cp.note.includes(line)) return false;
    const body = cp.note.slice(0, cp.note.indexOf('\n\n') + 1);
    if (!this.lineVerifies(body, line))
      throw new AidError('BAD_CHECKPOINT', 'the signature line does not verify');
    // Kept in memory and written with the next append (or shortly): a cosignature is not worth
    // a disk flush of its own, and one lost in a crash is simply gathered again.
    this.cosigned.set(size, cp.note + line);
    this.cosignFlush ??= setTimeout(() => {
      this.cosignFlush = undefined;
      if (this.db.open) this.db.transaction(() => this.flushCosignatures())();
    }, 250);
    this.cosignFlush.unref();
    return true;
  }

  /**
   * Whether `line` is a valid C2SP signature over the checkpoint `body` by the node key of the
   * organisation it names (this runs for every peer, every block).
   */
  lineVerifies(body: string, line: string): boolean {
    const m = /^\u2014 (\S+) (\S+)\n$/u.exec(line);
    if (!m) return false;
    const org = m[1]!;
    const key = this.opts.nodeKey(org);
    if (!key) return false;
    let raw: Uint8Array;
    try {
      raw = fromBase64(m[2]!);
    } catch {
      return false;
    }
    const keyId = noteKeyId(org, fromHex(key, 32));
    if (raw.length !== 68 || !equalBytes(raw.subarray(0, 4), keyId)) return false;
    return this.opts.verify(key, body, toHex(raw.subarray(4)));
  }

  /** Writes the gathered cosignatures; inside a transaction. */
  private flushCosignatures(): void {
    for (const [size, note] of this.cosigned) this.st.updateCheckpoint.run(note, size);
    this.cosigned.clear();
  }

  /** Writes what is still gathered in memory; the database stays open. */
  close(): void {
    if (this.cosignFlush) clearTimeout(this.cosignFlush);
    if (this.cosigned.size > 0) this.db.transaction(() => this.flushCosignatures())();
  }

  // ---- proofs and receipts (RFC 9162 §2.1) ----------------------------------------------------

  private checkRange(n: number, what: string, max: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > max) {
      throw new AidError('BAD_REQUEST', `${what} must be an integer from 0 to ${max}`);
    }
  }

  rootAt(size: number): Uint8Array {
    this.checkRange(size, 'size', this.size);
    return rootAt(this.tree, size, this.opts.hash);
  }

  inclusionProof(index: number, size: number): { leafHash: Uint8Array; proof: Uint8Array[] } {
    this.checkRange(size, 'size', this.size);
    if (size === 0 || !Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new AidError('BAD_REQUEST', 'index must be below size');
    }
    return {
      leafHash: this.tree.node(0, index),
      proof: inclusionProof(this.tree, index, size, this.opts.hash),
    };
  }

  consistencyProof(first: number, second: number): Uint8Array[] {
    this.checkRange(second, 'second', this.size);
    this.checkRange(first, 'first', second);
    return consistencyProof(this.tree, first, second, this.opts.hash);
  }

  /** A receipt for the transaction `txid` at leaf `index`, against the newest final checkpoint. */
  receipt(txid: string, index: number): Receipt {
    const cp = this.checkpoint();
    const bytes = this.leaf(index);
    if (!bytes) throw new AidError('NOT_FOUND', `no leaf ${index}`);
    return {
      format: RECEIPT_FORMAT,
      txid,
      index,
      leaf: toBase64(bytes),
      proof: inclusionProof(this.tree, index, cp.size, this.opts.hash).map(toHex),
      checkpoint: cp.note,
    };
  }
}

function prepare(db: Database.Database) {
  return {
    maxLeaf: db.prepare<[], number | null>('SELECT max(idx) FROM leaves').pluck(),
    putLeaf: db.prepare<[number, Buffer]>('INSERT INTO leaves (idx, data) VALUES (?, ?)'),
    getLeaf: db.prepare<[number], Buffer>('SELECT data FROM leaves WHERE idx = ?').pluck(),
    leafRange: db
      .prepare<[number, number], Buffer>(
        'SELECT data FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx',
      )
      .pluck(),
    getCheckpoint: db.prepare<[number], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints WHERE size = ?',
    ),
    recentCheckpoints: db.prepare<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 256',
    ),
    checkpointsBefore: db.prepare<[number, number], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints WHERE size < ? ORDER BY size DESC LIMIT ?',
    ),
    lastCheckpoint: db.prepare<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1',
    ),
    putCheckpoint: db.prepare<[number, Uint8Array, string]>(
      'INSERT INTO checkpoints (size, root, note) VALUES (?, ?, ?)',
    ),
    updateCheckpoint: db.prepare<[string, number]>(
      'UPDATE checkpoints SET note = ? WHERE size = ?',
    ),
  };
}
