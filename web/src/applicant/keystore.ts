/**
 * The applicant's key on this device: a key sealed under the applicant's passphrase
 * (lib/sealed-key.ts), in the applicant's own format and storage slot, with whether its
 * registration is known to be on the ledger.
 */
import { sealedKeyStore, type SealedKeyFile, type SealedKeyStore } from '../lib/sealed-key';

export {
  KDF_ITERATIONS,
  MIN_PASSPHRASE,
  KeyError,
  hasWebCrypto,
  passphraseStrength,
  type KeyErrorKind,
} from '../lib/sealed-key';

const FORMAT = 'aidledger-applicant-key/v1';

/** The sealed key as stored and as backed up: nothing in it is readable without the passphrase. */
export type KeyFile = SealedKeyFile<typeof FORMAT>;

/** What this browser keeps: the key file and whether its registration is known to be on the ledger. */
export interface StoredKey extends KeyFile {
  registered: boolean;
}

const store = sealedKeyStore({
  format: FORMAT,
  storageKey: 'aidledger.applicant.key',
  readExtra: (s) => ({ registered: s.registered === true }),
});

export const {
  sealSeed,
  openSeed,
  parseKeyFile,
  keyFileText,
  storedKey,
  storeKey,
  forgetStoredKey,
}: SealedKeyStore<KeyFile, StoredKey> = store;
