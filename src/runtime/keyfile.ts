/**
 * Key files: `{"alg":"ed25519","publicKey":hex,"seed":hex,"member"?:id}`, written with mode 0600.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { fromHex, toHex } from '../core/bytes.js';
import { parseJson } from '../core/canonical.js';
import { publicKeyFromSeed } from '../core/ed25519.js';
import { AidError } from '../core/errors.js';
import { hex32 } from '../chain/schemas.js';

export const KeyFileSchema = z.strictObject({
  alg: z.literal('ed25519'),
  publicKey: hex32,
  seed: hex32,
  member: z.string().optional(),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

export function keyFileFromSeed(seed: Uint8Array, member?: string): KeyFile {
  return {
    alg: 'ed25519',
    publicKey: toHex(publicKeyFromSeed(seed)),
    seed: toHex(seed),
    ...(member ? { member } : {}),
  };
}

/** @throws AidError CONFIG when the file is missing, malformed, or its key does not match its seed. */
export function readKeyFile(path: string): KeyFile & { seedBytes: Uint8Array } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AidError('CONFIG', `cannot read key file ${path}`, { cause });
  }
  const r = KeyFileSchema.safeParse(parseJson(text));
  if (!r.success) throw new AidError('CONFIG', `${path} is not an AidLedger key file`);
  const seedBytes = fromHex(r.data.seed, 32);
  if (toHex(publicKeyFromSeed(seedBytes)) !== r.data.publicKey) {
    throw new AidError('CONFIG', `${path}: public key does not match the seed`);
  }
  return { ...r.data, seedBytes };
}

/** Writes a new key file; @throws AidError CONFIG when the file exists (never overwritten). */
export function writeKeyFile(path: string, k: KeyFile): void {
  try {
    writeFileSync(path, JSON.stringify(k, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AidError('CONFIG', `${path} exists; a key file is never overwritten`, { cause });
    }
    throw cause;
  }
}
