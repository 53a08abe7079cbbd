/**
 * A key kept on this device, sealed: the Ed25519 seed is made in the browser (or imported once)
 * and only ever stored encrypted. PBKDF2-SHA-256 (600,000 iterations, random salt) turns the
 * passphrase into an AES-256-GCM key, which seals the seed under a random IV with the file's
 * format and the public key as additional data (so a file cannot pass off another key's
 * ciphertext as its own, nor an applicant's key file pass for a staff member's). The same sealed
 * form is kept in localStorage and downloaded as the backup key file. The applicant portal and
 * the staff workspace each bind it to their own format and storage slot (`sealedKeyStore`).
 */
import { fromBase64, fromHex, publicKeyFromSeed, toBase64, toHex, utf8 } from '@sdk';

export const KDF_ITERATIONS = 600_000;
/** The least a passphrase may have, in characters. */
export const MIN_PASSPHRASE = 10;

/** Iterations a key file may name: today's count, or more from a later version. */
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 10_000_000;

/** The sealed key as stored and as backed up: nothing in it is readable without the passphrase. */
export interface SealedKeyFile<F extends string = string> {
  format: F;
  /** The public key (hex), which the ledger knows the account by. */
  key: string;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  /** The sealed 32-byte seed with its 16-byte tag, base64. */
  data: string;
  created: number;
}

export type KeyErrorKind = 'wrong-passphrase' | 'bad-file' | 'no-crypto' | 'no-storage';

/** A failure the pages word for the reader: a wrong passphrase, an unreadable file, … */
export class KeyError extends Error {
  constructor(readonly kind: KeyErrorKind) {
    super(kind);
    this.name = 'KeyError';
  }
}

/** WebCrypto exists only in a secure context (https, or this machine itself). */
function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) throw new KeyError('no-crypto');
  return globalThis.crypto.subtle;
}

export function hasWebCrypto(): boolean {
  return Boolean(globalThis.crypto?.subtle);
}

/** A fresh copy backed by its own ArrayBuffer, as WebCrypto's types want. */
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

async function deriveKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<CryptoKey> {
  const s = subtle();
  // NFKC, so the same passphrase typed through another input method opens the key.
  const base = await s.importKey('raw', buf(utf8(passphrase.normalize('NFKC'))), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seal, open, parse and keep key files of one format in one storage slot. `readExtra` is what the
 * slot keeps beside the file (the applicant's "registered" flag), read back from the stored
 * JSON.
 */
/** What a sealed key store offers, for key files `F` and the stored key `S` (with its extras). */
export interface SealedKeyStore<F, S> {
  sealSeed(seed: Uint8Array, passphrase: string): Promise<F>;
  openSeed(file: F, passphrase: string): Promise<Uint8Array>;
  parseKeyFile(text: string): F;
  keyFileText(file: F): string;
  storedKey(): S | undefined;
  storeKey(k: S): void;
  forgetStoredKey(): void;
}

export function sealedKeyStore<F extends string, X extends object = Record<never, never>>(opts: {
  format: F;
  storageKey: string;
  readExtra(stored: Record<string, unknown>): X;
}): SealedKeyStore<SealedKeyFile<F>, SealedKeyFile<F> & X> {
  type KeyFile = SealedKeyFile<F>;
  type StoredKey = KeyFile & X;
  const FORMAT = opts.format;
  const STORAGE_KEY = opts.storageKey;
  const aad = (key: string) => buf(utf8(`${FORMAT}\n${key}`));

  /** Seals a seed under a passphrase. */
  async function sealSeed(seed: Uint8Array, passphrase: string): Promise<KeyFile> {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = toHex(publicKeyFromSeed(seed));
    const aes = await deriveKey(passphrase, salt, KDF_ITERATIONS);
    const data = new Uint8Array(
      await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad(key) }, aes, buf(seed)),
    );
    return {
      format: FORMAT,
      key,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: KDF_ITERATIONS, salt: toBase64(salt) },
      cipher: { name: 'AES-GCM', iv: toBase64(iv) },
      data: toBase64(data),
      created: Date.now(),
    };
  }

  /**
   * Opens a sealed seed.
   * @throws KeyError 'wrong-passphrase' when the passphrase does not open it (or the file was
   * altered), 'bad-file' when what it opens is not the key it names.
   */
  async function openSeed(file: KeyFile, passphrase: string): Promise<Uint8Array> {
    const aes = await deriveKey(passphrase, fromBase64(file.kdf.salt), file.kdf.iterations);
    let seed: Uint8Array;
    try {
      seed = new Uint8Array(
        await subtle().decrypt(
          { name: 'AES-GCM', iv: buf(fromBase64(file.cipher.iv)), additionalData: aad(file.key) },
          aes,
          buf(fromBase64(file.data)),
        ),
      );
    } catch {
      // AES-GCM's tag does not check: another passphrase, or bytes changed.
      throw new KeyError('wrong-passphrase');
    }
    if (seed.length !== 32 || toHex(publicKeyFromSeed(seed)) !== file.key)
      throw new KeyError('bad-file');
    return seed;
  }

  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);

  /** Reads a key file's text. @throws KeyError 'bad-file' for anything but a sealed key. */
  function parseKeyFile(text: string): KeyFile {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new KeyError('bad-file');
    }
    if (!isObj(v) || v.format !== FORMAT || !isObj(v.kdf) || !isObj(v.cipher))
      throw new KeyError('bad-file');
    const { key, kdf, cipher, data, created } = v;
    const iterations = kdf.iterations;
    try {
      if (typeof key !== 'string') throw new KeyError('bad-file');
      fromHex(key, 32);
      if (kdf.name !== 'PBKDF2' || kdf.hash !== 'SHA-256' || cipher.name !== 'AES-GCM')
        throw new KeyError('bad-file');
      if (
        typeof iterations !== 'number' ||
        !Number.isSafeInteger(iterations) ||
        iterations < MIN_ITERATIONS ||
        iterations > MAX_ITERATIONS
      )
        throw new KeyError('bad-file');
      if (typeof kdf.salt !== 'string' || fromBase64(kdf.salt).length < 16)
        throw new KeyError('bad-file');
      if (typeof cipher.iv !== 'string' || fromBase64(cipher.iv).length !== 12)
        throw new KeyError('bad-file');
      if (typeof data !== 'string' || fromBase64(data).length !== 48)
        throw new KeyError('bad-file');
    } catch {
      throw new KeyError('bad-file');
    }
    return {
      format: FORMAT,
      key,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: kdf.salt },
      cipher: { name: 'AES-GCM', iv: cipher.iv },
      data,
      created: typeof created === 'number' ? created : 0,
    };
  }

  /** The key file's text, as downloaded. */
  function keyFileText(file: KeyFile): string {
    const { format, key, kdf, cipher, data, created } = file;
    return `${JSON.stringify({ format, key, kdf, cipher, data, created }, null, 2)}\n`;
  }

  /** The sealed key this browser holds, if any. */
  function storedKey(): StoredKey | undefined {
    let text: string | null;
    try {
      text = localStorage.getItem(STORAGE_KEY);
    } catch {
      return undefined;
    }
    if (text === null) return undefined;
    try {
      const file = parseKeyFile(text);
      return { ...file, ...opts.readExtra(JSON.parse(text) as Record<string, unknown>) };
    } catch {
      return undefined;
    }
  }

  /** Keeps a sealed key in this browser. @throws KeyError 'no-storage' when storage is blocked. */
  function storeKey(k: StoredKey): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(k));
    } catch {
      throw new KeyError('no-storage');
    }
  }

  /** Removes the sealed key from this browser. */
  function forgetStoredKey(): void {
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage blocked: nothing was kept
    }
  }

  return { sealSeed, openSeed, parseKeyFile, keyFileText, storedKey, storeKey, forgetStoredKey };
}

/** Rough strength of a passphrase, 0 (too short) to 3 (strong): a hint, not a rule. */
export function passphraseStrength(p: string): 0 | 1 | 2 | 3 {
  const chars = [...p];
  if (chars.length < MIN_PASSPHRASE) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/, /\s/].filter((r) =>
    r.test(p),
  ).length;
  const distinct = new Set(chars).size;
  if (distinct < 5) return 1;
  // Letters outside ASCII (Chinese characters) carry far more than one letter each.
  const wide = chars.some((c) => c.codePointAt(0)! > 0x2e80);
  const score = chars.length + classes * 3 + (wide ? 8 : 0);
  return score >= 24 ? 3 : score >= 16 ? 2 : 1;
}
