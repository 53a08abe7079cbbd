/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, and the C2SP
 * tlog-checkpoint body (https://c2sp.org/tlog-checkpoint) it carries.
 */
import { concat, equalBytes, fromBase64, toBase64, toHex, utf8 } from './bytes.js';
import { verifyEd25519 } from './ed25519.js';
import { AidError } from './errors.js';
import { sha256 } from './hash.js';

const ALG_ED25519 = 0x01;
const NAME_RE = /^[^\s+]+$/u;

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

export interface Note {
  /** The signed text, ending in a newline. */
  text: string;
  signatures: NoteSignature[];
}

export interface NoteVerifier {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

function checkName(name: string): void {
  if (!NAME_RE.test(name)) throw new AidError('MALFORMED', 'a key name has no spaces and no "+"');
}

/** signed-note key ID: the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  checkName(name);
  return sha256(concat(utf8(name), utf8('\n'), new Uint8Array([ALG_ED25519]), publicKey)).subarray(
    0,
    4,
  );
}

/** The verifier key string `<name>+<hex key id>+<base64(0x01 || key)>`. */
export function encodeVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${toHex(noteKeyId(name, publicKey))}+${toBase64(
    concat(new Uint8Array([ALG_ED25519]), publicKey),
  )}`;
}

/** Parses a verifier key string; @throws AidError MALFORMED. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  // The key data is base64 and may itself contain "+": split at the first two only.
  const a = typeof vkey === 'string' ? vkey.indexOf('+') : -1;
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (b < 0) throw new AidError('MALFORMED', 'verifier key must be name+id+key');
  const name = vkey.slice(0, a);
  const id = vkey.slice(a + 1, b);
  const key = vkey.slice(b + 1);
  checkName(name);
  const raw = fromBase64(key, 'verifier key');
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) {
    throw new AidError('MALFORMED', 'verifier key must be an Ed25519 key');
  }
  const publicKey = raw.subarray(1);
  const keyId = noteKeyId(name, publicKey);
  if (toHex(keyId) !== id) throw new AidError('MALFORMED', 'verifier key id does not match');
  return { name, keyId, publicKey };
}

/**
 * One signature line for `text` (which must end in a newline); `sign` signs with the private
 * key of `publicKey`.
 */
export function signNoteLine(
  text: string,
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
): string {
  const sig = sign(utf8(text));
  return `\u2014 ${name} ${toBase64(concat(noteKeyId(name, publicKey), sig))}\n`;
}

/** Parses a signed note; @throws AidError MALFORMED. */
export function parseNote(note: string): Note {
  if (typeof note !== 'string' || !note.endsWith('\n')) {
    throw new AidError('MALFORMED', 'a note ends with a newline');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new AidError('MALFORMED', 'a note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m) throw new AidError('MALFORMED', 'malformed note signature line');
    const raw = fromBase64(m[2]!, 'note signature');
    if (raw.length < 5) throw new AidError('MALFORMED', 'note signature too short');
    signatures.push({ name: m[1]!, keyId: raw.subarray(0, 4), signature: raw.subarray(4) });
  }
  if (signatures.length === 0) throw new AidError('MALFORMED', 'a note has at least one signature');
  return { text, signatures };
}

/** The names of the given verifiers whose valid signature the note carries. */
export function verifiedSigners(note: Note, verifiers: readonly NoteVerifier[]): Set<string> {
  const ok = new Set<string>();
  const body = utf8(note.text);
  for (const s of note.signatures) {
    for (const v of verifiers) {
      if (v.name !== s.name || !equalBytes(v.keyId, s.keyId)) continue;
      if (s.signature.length === 64 && verifyEd25519(v.publicKey, body, s.signature))
        ok.add(v.name);
    }
  }
  return ok;
}

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
}

/** tlog-checkpoint body text: origin, decimal size, base64 root, optional extension lines. */
export function formatCheckpoint(c: CheckpointBody): string {
  return `${c.origin}\n${c.size}\n${toBase64(c.root)}\n${c.extensions.map((e) => `${e}\n`).join('')}`;
}

/** Parses a tlog-checkpoint body; @throws AidError MALFORMED. */
export function parseCheckpoint(text: string): CheckpointBody {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') {
    throw new AidError('MALFORMED', 'checkpoint body has origin, size and root lines');
  }
  const [origin, size, root] = lines as [string, string, string];
  if (origin === '') throw new AidError('MALFORMED', 'checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new AidError('MALFORMED', 'checkpoint size is not a decimal integer');
  }
  const rootBytes = fromBase64(root, 'checkpoint root');
  if (rootBytes.length !== 32) throw new AidError('MALFORMED', 'checkpoint root is not 32 bytes');
  const extensions = lines.slice(3, -1);
  if (extensions.some((e) => e === ''))
    throw new AidError('MALFORMED', 'empty checkpoint extension');
  return { origin, size: Number(size), root: rootBytes, extensions };
}
