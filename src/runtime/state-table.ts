/**
 * The contract state table with a read cache in front of it: a bounded cache of values, and a Bloom
 * filter of every key present, so the reads that find nothing (a fresh nonce, a new member, a new
 * key: most reads on the hot path) cost no SQLite lookup. The ledger and `verify` share it.
 * Committed writes enter the cache: what a block wrote (a case, its invoice lines) is what the
 * next steps of the same work read.
 */
import type Database from 'better-sqlite3';

/**
 * The cache's bound, in UTF-16 units of keys and values (up to about 32 MB; the state's JSON is
 * mostly one-byte text, so about half that). It holds what the cases in flight read from stage to
 * stage: three lanes of 1,000 cases at 3-4 KB a record, which an 8M bound did not, so every stage
 * read its case back from SQLite. It replaced 8 MB of SQLite's page cache (`store.ts`), which
 * served those reads more slowly. 24M measured no faster over 12,000 cases and took the node
 * past 300 MB.
 */
export const CACHE_CHARS = 16 * 1024 * 1024;
/** Per entry, beside its key and value: what a Map entry and a string header cost, roughly. */
const ENTRY_CHARS = 32;
const BITS_PER_KEY = 12;
const PROBES = 8;

/** Two independent 32-bit FNV-1a hashes of a string's UTF-16 units, for double hashing. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b >>> 0) | 1];
}

/** A Bloom filter over strings: `mayHave` is false only for strings never added. */
export class Bloom {
  private bits: Uint32Array;
  private readonly m: number;
  count = 0;

  constructor(readonly capacity: number) {
    this.m = Math.max(1024, capacity * BITS_PER_KEY);
    this.bits = new Uint32Array(Math.ceil(this.m / 32));
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const j = bit % this.m;
      this.bits[j >>> 5]! |= 1 << (j & 31);
    }
    this.count++;
  }

  mayHave(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const j = ((h1 + Math.imul(i, h2)) >>> 0) % this.m;
      if ((this.bits[j >>> 5]! & (1 << (j & 31))) === 0) return false;
    }
    return true;
  }
}

export class StateTable {
  private readonly getStmt: Database.Statement<[string], string>;
  private readonly putStmt: Database.Statement<[string, string]>;
  private readonly delStmt: Database.Statement<[string]>;
  private readonly keysStmt: Database.Statement<[], string>;
  /**
   * The cache in two generations: values read or written lately, and those of the generation
   * before, which a read brings back. When the young one is full it becomes the old one and the
   * old one is dropped whole: recently used values stay, at no cost a read (an LRU map pays a
   * delete and an insert a read, and its deletions slow every later walk of the map).
   */
  private young = new Map<string, string | null>();
  private old = new Map<string, string | null>();
  private youngChars = 0;
  private bloom: Bloom;

  /**
   * @param expectedKeys how many keys the table will grow to, if known (sizes the filter).
   * @param cacheChars the cache's bound in UTF-16 units.
   */
  constructor(
    private readonly db: Database.Database,
    expectedKeys = 0,
    private readonly cacheChars = CACHE_CHARS,
  ) {
    this.getStmt = db.prepare<[string], string>('SELECT value FROM state WHERE key = ?').pluck();
    this.putStmt = db.prepare<[string, string]>(
      'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.delStmt = db.prepare<[string]>('DELETE FROM state WHERE key = ?');
    this.keysStmt = db.prepare<[], string>('SELECT key FROM state').pluck();
    this.bloom = this.rebuild(
      Math.max(
        expectedKeys,
        (db.prepare<[], number>('SELECT count(*) FROM state').pluck().get() ?? 0) * 2,
      ) + 1_000_000,
    );
  }

  private rebuild(capacity: number): Bloom {
    const bloom = new Bloom(capacity);
    for (const key of this.keysStmt.iterate()) bloom.add(key);
    return bloom;
  }

  get(key: string): string | undefined {
    let hit = this.young.get(key);
    if (hit === undefined) {
      hit = this.old.get(key);
      if (hit !== undefined) this.remember(key, hit);
    }
    if (hit !== undefined) return hit ?? undefined;
    if (!this.bloom.mayHave(key)) return undefined;
    const v = this.getStmt.get(key);
    this.remember(key, v ?? null);
    return v;
  }

  private remember(key: string, value: string | null): void {
    const before = this.young.get(key);
    if (before !== undefined) this.youngChars -= charsOf(key, before);
    this.young.set(key, value);
    this.youngChars += charsOf(key, value);
    if (this.youngChars > this.cacheChars / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngChars = 0;
    }
  }

  /**
   * Writes a block's final writes; call inside its SQLite transaction. `keys` in UTF-8 order
   * (the table's own order) make the inserts walk the B-tree in step.
   */
  write(writes: ReadonlyMap<string, string | null>, keys: Iterable<string> = writes.keys()): void {
    for (const k of keys) {
      const v = writes.get(k)!;
      if (v === null) this.delStmt.run(k);
      else this.putStmt.run(k, v);
    }
  }

  /** After the transaction committed: the cache and the filter learn the writes. */
  committed(writes: ReadonlyMap<string, string | null>): void {
    for (const [k, v] of writes) {
      if (v !== null) this.bloom.add(k);
      this.remember(k, v);
    }
    if (this.bloom.count > this.bloom.capacity) this.bloom = this.rebuild(this.bloom.count * 2);
  }

  /** After the transaction failed: nothing cached may describe it. */
  rolledBack(writes: ReadonlyMap<string, string | null>): void {
    for (const k of writes.keys()) {
      const v = this.young.get(k);
      if (v !== undefined) this.youngChars -= charsOf(k, v);
      this.young.delete(k);
      this.old.delete(k);
    }
  }
}

const charsOf = (key: string, value: string | null) =>
  key.length + (value?.length ?? 0) + ENTRY_CHARS;
