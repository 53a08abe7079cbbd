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

/** The bytes hashed at a time: a block's writes are encoded into this and hashed piece by piece. */
const CHUNK = 1 << 20;
let scratch: Buffer | undefined;

/** @param keys the keys of `writes` in UTF-8 order, when the caller has them already. */
export function stateDigest(
  prev: Uint8Array,
  writes: ReadonlyMap<string, string | null>,
  keys = sortKeysUtf8([...writes.keys()]),
): Uint8Array {
  const hash = createHash('sha256').update(prev);
  const buf = (scratch ??= Buffer.allocUnsafe(CHUNK));
  let at = 0;
  const room = (bytes: number) => {
    if (at + bytes <= CHUNK) return;
    hash.update(buf.subarray(0, at));
    at = 0;
  };
  // u32be(length) then the UTF-8 bytes, written in place: a UTF-16 unit takes at most 3 bytes,
  // so no pass is needed to measure the string first.
  const field = (s: string) => {
    if (4 + 3 * s.length > CHUNK) {
      const bytes = Buffer.from(s, 'utf8');
      room(4);
      buf.writeUInt32BE(bytes.length, at);
      hash.update(buf.subarray(0, at + 4));
      hash.update(bytes);
      at = 0;
      return;
    }
    room(4 + 3 * s.length);
    const length = buf.write(s, at + 4, 'utf8');
    buf.writeUInt32BE(length, at);
    at += 4 + length;
  };
  for (const k of keys) {
    field(k);
    const v = writes.get(k);
    room(1);
    if (v == null) buf[at++] = 0;
    else {
      buf[at++] = 1;
      field(v);
    }
  }
  hash.update(buf.subarray(0, at));
  return hash.digest();
}
