/**
 * A staff member's key on this device: made here when answering an invitation, or imported once
 * from a key file the `aidledger keys new` command wrote, and from then on kept only sealed under
 * the member's passphrase (lib/sealed-key.ts), in the staff format and storage slot, never
 * leaving the browser. Beside the sealed file the slot remembers the member id the key was made
 * or imported for, to greet the member before the key is unlocked.
 */
import { fromHex, publicKeyFromSeed, toHex } from '@sdk';
import {
  KeyError,
  sealedKeyStore,
  type SealedKeyFile,
  type SealedKeyStore,
} from '../lib/sealed-key';

export { KeyError, MIN_PASSPHRASE, hasWebCrypto, passphraseStrength } from '../lib/sealed-key';

const FORMAT = 'aidledger-staff-key/v1';

export type StaffKeyFile = SealedKeyFile<typeof FORMAT>;

/** What this browser keeps: the sealed key and the member id it is for, when known. */
export interface StoredStaffKey extends StaffKeyFile {
  member?: string;
}

const MEMBER = /^[a-z0-9][a-z0-9-]{1,62}\/[a-z0-9][a-z0-9._-]{0,62}$/;

const store = sealedKeyStore({
  format: FORMAT,
  storageKey: 'aidledger.staff.key',
  readExtra: (s): { member?: string } =>
    typeof s.member === 'string' && MEMBER.test(s.member) ? { member: s.member } : {},
});

export const {
  sealSeed,
  openSeed,
  parseKeyFile,
  keyFileText,
  storedKey,
  storeKey,
  forgetStoredKey,
}: SealedKeyStore<StaffKeyFile, StoredStaffKey> = store;

/**
 * Reads a key file the `aidledger keys new` command wrote (`{"alg":"ed25519","publicKey","seed",
 * "member"?}`, seed in the clear): the seed, checked against its public key, and the member id.
 * @throws KeyError 'bad-file' for anything else.
 */
export function parseCliKeyFile(text: string): { seed: Uint8Array; key: string; member?: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new KeyError('bad-file');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new KeyError('bad-file');
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['alg', 'publicKey', 'seed', 'member'].includes(k));
  if (o.alg !== 'ed25519' || typeof o.publicKey !== 'string' || typeof o.seed !== 'string')
    throw new KeyError('bad-file');
  if (extra.length > 0) throw new KeyError('bad-file');
  let seed: Uint8Array;
  try {
    seed = fromHex(o.seed, 32);
  } catch {
    throw new KeyError('bad-file');
  }
  const key = toHex(publicKeyFromSeed(seed));
  if (key !== o.publicKey) throw new KeyError('bad-file');
  return {
    seed,
    key,
    ...(typeof o.member === 'string' && MEMBER.test(o.member) ? { member: o.member } : {}),
  };
}
