/**
 * The chained state digest is written in pieces (a block may write more than one buffer holds):
 * the bytes hashed must be exactly the encoding DESIGN §3 gives, W_h = for each key in UTF-8
 * order u32be(len key) key, then 0x00, or 0x01 u32be(len value) value; here built the plain way
 * and compared, for writes below, across and far beyond the piece size, with non-ASCII text.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sortKeysUtf8, stateDigest } from '../src/runtime/digest.js';

function plain(prev: Uint8Array, writes: Map<string, string | null>): string {
  const parts: Buffer[] = [Buffer.from(prev)];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  for (const k of sortKeysUtf8([...writes.keys()])) {
    const key = Buffer.from(k, 'utf8');
    parts.push(u32(key.length), key);
    const v = writes.get(k);
    if (v == null) parts.push(Buffer.from([0]));
    else {
      const value = Buffer.from(v, 'utf8');
      parts.push(Buffer.from([1]), u32(value.length), value);
    }
  }
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

test('the state digest hashes exactly the encoding of the block writes, however large', () => {
  const prev = createHash('sha256').update('previous').digest();
  // [writes, characters a value]: small, many, near the 1 MiB piece, and larger than it.
  for (const [count, size] of [
    [0, 0],
    [12, 90],
    [20_000, 60],
    [3, 350_000],
    [2, 1_500_000],
  ] as const) {
    const writes = new Map<string, string | null>();
    for (let i = 0; i < count; i++) {
      const key = `aid/case/${i}/病例/${'\u{1F600}'}`;
      writes.set(key, i % 5 === 4 ? null : `{"note":"${'€a'.repeat(size / 2)}"}`);
    }
    assert.equal(Buffer.from(stateDigest(prev, writes)).toString('hex'), plain(prev, writes));
  }
});
