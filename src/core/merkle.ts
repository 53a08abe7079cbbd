/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle trees: the tree hash, and inclusion and
 * consistency proofs, generated and verified. Proof generation reads perfect subtree hashes from a
 * `SubtreeSource`, so a stored tree answers any past size with O(log n) reads.
 */
import { concat, equalBytes } from './bytes.js';
import { AidError } from './errors.js';
import { sha256, type HashFn } from './hash.js';

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/** RFC 9162 §2.1.1: the hash of a leaf, SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array, h: HashFn = sha256): Uint8Array {
  return h(concat(LEAF_PREFIX, data));
}

/** RFC 9162 §2.1.1: the hash of an interior node, SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array, h: HashFn = sha256): Uint8Array {
  return h(concat(NODE_PREFIX, left, right));
}

/** The hash of the empty tree, SHA-256 of the empty string. */
export function emptyRoot(h: HashFn = sha256): Uint8Array {
  return h(new Uint8Array(0));
}

/** Largest power of two strictly smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Reference MTH over leaf hashes (RFC 9162 §2.1.1); O(n), used by tests and full verification. */
export function rootOfLeafHashes(hashes: readonly Uint8Array[], h: HashFn = sha256): Uint8Array {
  if (hashes.length === 0) return emptyRoot(h);
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!, h));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/**
 * Perfect subtree hashes: `node(level, index)` is the root of leaves
 * [index·2^level, (index+1)·2^level), which must all exist.
 */
export interface SubtreeSource {
  node(level: number, index: number): Uint8Array;
}

function isPow2(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** MTH(D[start:end]) for `start` aligned to the largest power of two not above end - start. */
export function rangeHash(
  src: SubtreeSource,
  start: number,
  end: number,
  h: HashFn = sha256,
): Uint8Array {
  const n = end - start;
  if (n <= 0) return emptyRoot(h);
  if (isPow2(n) && start % n === 0) {
    const level = Math.round(Math.log2(n));
    return src.node(level, start / n);
  }
  const k = splitPoint(n);
  return nodeHash(rangeHash(src, start, start + k, h), rangeHash(src, start + k, end, h), h);
}

/** The root of the tree of the first `size` leaves. */
export function rootAt(src: SubtreeSource, size: number, h: HashFn = sha256): Uint8Array {
  return rangeHash(src, 0, size, h);
}

function checkSize(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new AidError('BAD_REQUEST', `${what} must be a non-negative integer`);
  }
  return n;
}

/** RFC 9162 §2.1.3.1: the inclusion proof for leaf `index` in the tree of `size` leaves. */
export function inclusionProof(
  src: SubtreeSource,
  index: number,
  size: number,
  h: HashFn = sha256,
): Uint8Array[] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new AidError('BAD_REQUEST', 'index must be below size');
  const out: Uint8Array[] = [];
  const walk = (m: number, start: number, n: number): void => {
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, k);
      out.push(rangeHash(src, start + k, start + n, h));
    } else {
      walk(m - k, start + k, n - k);
      out.push(rangeHash(src, start, start + k, h));
    }
  };
  walk(index, 0, size);
  return out;
}

/** RFC 9162 §2.1.4.1: the consistency proof between the trees of `first` and `second` leaves. */
export function consistencyProof(
  src: SubtreeSource,
  first: number,
  second: number,
  h: HashFn = sha256,
): Uint8Array[] {
  checkSize(first, 'first');
  checkSize(second, 'second');
  if (first > second) throw new AidError('BAD_REQUEST', 'first must not exceed second');
  if (first === 0 || first === second) return [];
  const out: Uint8Array[] = [];
  const sub = (m: number, start: number, n: number, whole: boolean): void => {
    if (m === n) {
      if (!whole) out.push(rangeHash(src, start, start + n, h));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, k, whole);
      out.push(rangeHash(src, start + k, start + n, h));
    } else {
      sub(m - k, start + k, n - k, false);
      out.push(rangeHash(src, start, start + k, h));
    }
  };
  sub(first, 0, second, true);
  return out;
}

/** RFC 9162 §2.1.3.2: the root implied by an inclusion proof, or null when the proof is malformed. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  h: HashFn = sha256,
): Uint8Array | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return null;
  }
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) return null;
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r, h);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p, h);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/** RFC 9162 §2.1.3.2: verify an inclusion proof. Never throws. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  h: HashFn = sha256,
): boolean {
  const r = rootFromInclusionProof(index, size, leaf, proof, h);
  return r !== null && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: verify a consistency proof between two tree heads. Never throws. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
  h: HashFn = sha256,
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second)) return false;
  if (first < 0 || first > second) return false;
  if (proof.some((p) => p.length !== 32)) return false;
  if (first === second) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && equalBytes(firstRoot, emptyRoot(h));
  if (proof.length === 0) return false;
  const path = isPow2(first) ? [firstRoot, ...proof] : proof.slice();
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr, h);
      sr = nodeHash(c, sr, h);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c, h);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

/** Computes the root of a growing tree from its right edge, in O(log n) memory. */
export class MerkleAccumulator {
  private readonly stack: { level: number; hash: Uint8Array }[] = [];
  private count = 0;

  constructor(private readonly h: HashFn = sha256) {}

  get size(): number {
    return this.count;
  }

  appendLeafHash(hash: Uint8Array): void {
    let node = { level: 0, hash };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level === node.level) {
      const left = this.stack.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash, this.h) };
    }
    this.stack.push(node);
    this.count++;
  }

  root(): Uint8Array {
    if (this.stack.length === 0) return emptyRoot(this.h);
    let r = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) r = nodeHash(this.stack[i]!.hash, r, this.h);
    return r;
  }
}
