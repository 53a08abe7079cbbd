/**
 * The log's Merkle tree, stored as the hashes of its perfect subtrees (level, index), so the root
 * and proofs for any past size cost O(log n) reads. The right edge ("frontier") is kept in memory
 * for appends; the upper levels, which every proof touches, are cached. Level 0 (the leaf hashes)
 * is not stored: a proof needs at most two leaf hashes, cheaper to recompute than to write one
 * row per leaf.
 */
import type Database from 'better-sqlite3';
import { AidError } from '../core/errors.js';
import type { HashFn } from '../core/hash.js';
import { emptyRoot, nodeHash, type SubtreeSource } from '../core/merkle.js';

const LEVEL_SHIFT = 2 ** 40;
const CACHE_FROM_LEVEL = 8;

function nodeId(level: number, index: number): number {
  return level * LEVEL_SHIFT + index;
}

export class StoredTree implements SubtreeSource {
  private committedSize: number;
  private size_: number;
  private frontier: Uint8Array[] = [];
  private committedFrontier: Uint8Array[] = [];
  private readonly pending = new Map<number, Uint8Array>();
  private readonly cache = new Map<number, Uint8Array>();
  private readonly getNode: Database.Statement<[number], Buffer>;
  private readonly putNode: Database.Statement<[number, Uint8Array]>;

  constructor(
    db: Database.Database,
    size: number,
    private readonly h: HashFn,
    /** The hash of leaf `index` (read from the stored leaves). */
    private readonly leafHashAt: (index: number) => Uint8Array,
  ) {
    this.getNode = db.prepare<[number], Buffer>('SELECT hash FROM nodes WHERE id = ?').pluck();
    this.putNode = db.prepare<[number, Uint8Array]>('INSERT INTO nodes (id, hash) VALUES (?, ?)');
    this.committedSize = size;
    this.size_ = size;
    // The frontier of size n is one perfect subtree per set bit of n, largest first.
    let start = 0;
    for (let level = 52; level >= 0; level--) {
      const w = 2 ** level;
      if (size - start >= w) {
        this.frontier.push(this.node(level, start / w));
        start += w;
      }
    }
    this.committedFrontier = this.frontier.slice();
  }

  get size(): number {
    return this.size_;
  }

  node(level: number, index: number): Uint8Array {
    const id = nodeId(level, index);
    const hit = this.pending.get(id) ?? this.cache.get(id);
    if (hit) return hit;
    if (level === 0) return this.leafHashAt(index);
    const row = this.getNode.get(id);
    if (!row) throw new AidError('NOT_FOUND', `tree node ${level}/${index} is missing`);
    if (level >= CACHE_FROM_LEVEL) this.cache.set(id, row);
    return row;
  }

  /** Appends a leaf hash; the new perfect subtrees are pending until `flush`. */
  append(leaf: Uint8Array): void {
    const index = this.size_;
    this.pending.set(nodeId(0, index), leaf);
    let hash = leaf;
    let level = 0;
    let i = index;
    this.frontier.push(leaf);
    while (i % 2 === 1) {
      this.frontier.pop();
      const left = this.frontier.pop()!;
      hash = nodeHash(left, hash, this.h);
      level++;
      i = (i - 1) / 2;
      this.pending.set(nodeId(level, i), hash);
      this.frontier.push(hash);
    }
    this.size_ = index + 1;
  }

  /** The root of the current (possibly uncommitted) tree. */
  root(): Uint8Array {
    if (this.frontier.length === 0) return emptyRoot(this.h);
    let r = this.frontier[this.frontier.length - 1]!;
    for (let i = this.frontier.length - 2; i >= 0; i--) r = nodeHash(this.frontier[i]!, r, this.h);
    return r;
  }

  /** Writes the pending nodes; call inside the block's SQLite transaction. */
  flush(): void {
    for (const [id, hash] of this.pending) if (id >= LEVEL_SHIFT) this.putNode.run(id, hash);
  }

  /** After the transaction committed: pending nodes become committed. */
  committed(): void {
    for (const [id, hash] of this.pending)
      if (id >= CACHE_FROM_LEVEL * LEVEL_SHIFT) this.cache.set(id, hash);
    this.pending.clear();
    this.committedSize = this.size_;
    this.committedFrontier = this.frontier.slice();
  }

  /** After the transaction failed: back to the committed tree. */
  rollback(): void {
    this.pending.clear();
    this.size_ = this.committedSize;
    this.frontier = this.committedFrontier.slice();
  }
}
