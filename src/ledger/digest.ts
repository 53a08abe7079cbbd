/**
 * The chained state digest: state_h = SHA-256(state_{h-1} || W_h), where W_h lists the block's
 * final writes sorted by the UTF-8 bytes of their keys, each as
 * u32be(len key) key, then 0x00 for a deletion or 0x01 u32be(len value) value.
 * Two nodes that executed a block differently disagree at once.
 */
import { createHash } from 'node:crypto';
import { compareUtf8 } from '../core/bytes.js';

export const ZERO_DIGEST = new Uint8Array(32);

export function stateDigest(
  prev: Uint8Array,
  writes: ReadonlyMap<string, string | null>,
): Uint8Array {
  const h = createHash('sha256');
  h.update(prev);
  const len = Buffer.alloc(4);
  for (const key of [...writes.keys()].sort(compareUtf8)) {
    const k = Buffer.from(key, 'utf8');
    len.writeUInt32BE(k.length);
    h.update(len);
    h.update(k);
    const v = writes.get(key);
    if (v === null || v === undefined) {
      h.update(Buffer.of(0));
    } else {
      const b = Buffer.from(v, 'utf8');
      len.writeUInt32BE(b.length);
      h.update(Buffer.of(1));
      h.update(len);
      h.update(b);
    }
  }
  return h.digest();
}
