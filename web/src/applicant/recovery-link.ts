/**
 * The sealed key as a link for a printed recovery sheet's QR code:
 * `<origin>/me/restore#k=1.<key hex>.<iterations>.<salt>.<iv>.<data>` (base64url). The key rides
 * in the fragment, which a browser never sends to any server; it is sealed under the passphrase
 * exactly as on the device, so the sheet alone opens nothing.
 */
import { parseKeyFile, type KeyFile } from './keystore';

const b64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64url = (s: string) => {
  const b = s.replace(/-/g, '+').replace(/_/g, '/');
  return b + '='.repeat((4 - (b.length % 4)) % 4);
};

/** The fragment that carries a sealed key (without the `#`). */
export function keyFragment(file: KeyFile): string {
  const parts = [
    '1',
    file.key,
    String(file.kdf.iterations),
    b64url(file.kdf.salt),
    b64url(file.cipher.iv),
    b64url(file.data),
  ];
  return `k=${parts.join('.')}`;
}

/** The link a recovery sheet's QR code holds. */
export function recoveryLink(origin: string, file: KeyFile): string {
  return `${origin}/me/restore#${keyFragment(file)}`;
}

/**
 * Reads a sealed key from a link's fragment. @throws KeyError 'bad-file' for anything else (the
 * same checks as a key file: lengths, iteration bounds).
 */
export function keyFromFragment(hash: string): KeyFile {
  const m =
    /^#?k=1\.([0-9a-f]{64})\.([0-9]{1,8})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(
      hash,
    );
  const [key, iterations, salt, iv, data] = m ? m.slice(1) : [];
  // parseKeyFile does every check on the decoded values, and throws 'bad-file' on any failure.
  return parseKeyFile(
    JSON.stringify({
      format: 'aidledger-applicant-key/v1',
      key,
      kdf: {
        name: 'PBKDF2',
        hash: 'SHA-256',
        iterations: Number(iterations),
        salt: salt && unb64url(salt),
      },
      cipher: { name: 'AES-GCM', iv: iv && unb64url(iv) },
      data: data && unb64url(data),
      created: 0,
    }),
  );
}
