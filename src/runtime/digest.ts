/**
 * The chained state digest: state_h = SHA-256(state_{h-1} || W_h), where W_h lists the block's
 * final writes sorted by the UTF-8 bytes of their keys, each as
 * u32be(len key) key, then 0x00 for a deletion or 0x01 u32be(len value) value.
 * Two nodes that executed a block differently disagree at once.
 */
import { createHash } from 'node:crypto';
import { compareUtf8 } from '../core/bytes.js';

export const ZERO_DIGEST = new Uint8Array(32);

// UTF-16 order (the default sort) equals UTF-8 byte order unless a key holds a code unit from
// U+D800 up: only then is the slower code point comparison needed.
const HIGH_UNITS = /[\ud800-\uffff]/;

/** Keys in the order of their UTF-8 bytes. */
export function sortKeysUtf8(keys: string[]): string[] {
  keys.sort();
  if (keys.some((k) => HIGH_UNITS.test(k))) keys.sort(compareUtf8);
  return keys;
}

/** @param keys the keys of `writes` in UTF-8 order, when the caller has them already. */
export function stateDigest(
  prev: Uint8Array,
  writes: ReadonlyMap<string, string | null>,
  keys = sortKeysUtf8([...writes.keys()]),
): Uint8Array {
  let size = 32;
  for (const k of keys) {
    const v = writes.get(k);
    size +=
      4 + Buffer.byteLength(k, 'utf8') + 1 + (v == null ? 0 : 4 + Buffer.byteLength(v, 'utf8'));
  }
  const buf = Buffer.allocUnsafe(size);
  buf.set(prev, 0);
  let at = 32;
  for (const k of keys) {
    const kl = buf.write(k, at + 4, 'utf8');
    buf.writeUInt32BE(kl, at);
    at += 4 + kl;
    const v = writes.get(k);
    if (v == null) {
      buf[at++] = 0;
    } else {
      buf[at++] = 1;
      const vl = buf.write(v, at + 4, 'utf8');
      buf.writeUInt32BE(vl, at);
      at += 4 + vl;
    }
  }
  return createHash('sha256').update(buf).digest();
}
