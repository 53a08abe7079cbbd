/**
 * What this device keeps about the applicant's own applications, beside the sealed key: drafts of
 * applications not yet sent (so Back, a reload or a closed tab loses nothing) and, for each case
 * sent from here, the patient's initials and the hospital as the applicant entered them (so the
 * list says whose case it is; the ledger never holds either).
 *
 * Sealed like the key: AES-256-GCM under a key derived (HKDF-SHA-256) from the account's seed, so
 * nothing here is readable while the account is locked, and a stolen copy of the browser's
 * storage reveals no identity number. The public key is the additional data, so notes sealed for
 * one account never open as another's.
 */
import { fromBase64, toBase64, utf8 } from '@sdk';
import type { Unlocked } from './session';

const FORMAT = 'aidledger-applicant-notes/v1';
const STORAGE_PREFIX = 'aidledger.applicant.notes.';
/** Drafts older than this are dropped when the notes are next opened. */
const DRAFT_LIFE_MS = 60 * 24 * 3600_000;

export type IdKind = 'cn' | 'hk' | 'tw';

/** An application as far as it was filled in, with the step it stopped at. */
export interface Draft {
  hospital: string;
  patient: { kind: IdKind; id: string; name: string; phone: string };
  /** The declared facts as typed (text), and the checkboxes. */
  declared: Record<string, string | boolean>;
  /** The furthest step reached (0-based), which the form may show again. */
  reached: number;
  updated: number;
}

/** What the list shows for a case sent from this device. */
export interface CaseNote {
  initials: string;
  hospital: string;
}

export interface Notes {
  drafts: Record<string, Draft>;
  cases: Record<string, CaseNote>;
}

const EMPTY: Notes = { drafts: {}, cases: {} };

const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

const keys = new Map<string, Promise<CryptoKey>>();

/** The notes key of an account: HKDF-SHA-256 of its seed, never stored. */
function notesKey(u: Unlocked): Promise<CryptoKey> {
  let k = keys.get(u.key);
  if (!k) {
    const s = globalThis.crypto.subtle;
    k = s
      .importKey('raw', buf(u.seed), 'HKDF', false, ['deriveKey'])
      .then((base) =>
        s.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: buf(utf8(FORMAT)), info: buf(utf8(u.key)) },
          base,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    keys.set(u.key, k);
  }
  return k;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function read(u: Unlocked): { iv: string; data: string } | undefined {
  try {
    const text = localStorage.getItem(STORAGE_PREFIX + u.key);
    if (text === null) return undefined;
    const v: unknown = JSON.parse(text);
    if (isObj(v) && v.format === FORMAT && typeof v.iv === 'string' && typeof v.data === 'string')
      return { iv: v.iv, data: v.data };
  } catch {
    // storage blocked or damaged: as if nothing were kept
  }
  return undefined;
}

/** Opens this account's notes; empty when there are none or they do not open. */
export async function openNotes(u: Unlocked): Promise<Notes> {
  const sealed = read(u);
  if (!sealed) return EMPTY;
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buf(fromBase64(sealed.iv)), additionalData: buf(utf8(u.key)) },
      await notesKey(u),
      buf(fromBase64(sealed.data)),
    );
    const v: unknown = JSON.parse(new TextDecoder().decode(plain));
    if (!isObj(v) || !isObj(v.drafts) || !isObj(v.cases)) return EMPTY;
    const now = Date.now();
    const drafts = Object.fromEntries(
      Object.entries(v.drafts as Record<string, Draft>).filter(
        ([, d]) => isObj(d) && now - d.updated < DRAFT_LIFE_MS,
      ),
    );
    return { drafts, cases: v.cases as Record<string, CaseNote> };
  } catch {
    return EMPTY;
  }
}

/** Seals and keeps this account's notes. Storage blocked: kept for this tab only. */
export async function saveNotes(u: Unlocked, notes: Notes): Promise<void> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: buf(utf8(u.key)) },
      await notesKey(u),
      buf(utf8(JSON.stringify(notes))),
    ),
  );
  try {
    localStorage.setItem(
      STORAGE_PREFIX + u.key,
      JSON.stringify({ format: FORMAT, iv: toBase64(iv), data: toBase64(data) }),
    );
  } catch {
    // a private window: the draft lives as long as the tab
  }
}

/** Changes the notes in turn: each change reads what the one before wrote. */
let queue: Promise<unknown> = Promise.resolve();
export function updateNotes(u: Unlocked, change: (n: Notes) => Notes): Promise<Notes> {
  const next = queue.then(async () => {
    const n = change(await openNotes(u));
    await saveNotes(u, n);
    return n;
  });
  queue = next.catch(() => undefined);
  return next;
}

/** Removes this account's notes from the device (when the account is forgotten here). */
export function forgetNotes(key: string): void {
  try {
    localStorage.removeItem(STORAGE_PREFIX + key);
  } catch {
    // nothing was kept
  }
}

/**
 * The patient's initials as a list may show them: the first letter of each Latin word ("L. W."),
 * or a Chinese name's first character with the rest masked ("陳＊＊").
 */
export function initialsOf(name: string): string {
  const n = name.normalize('NFKC').trim();
  if (n === '') return '';
  if (/^[\p{Script=Latin}\s.'-]+$/u.test(n))
    return n
      .split(/[\s.'-]+/)
      .filter(Boolean)
      .map((w) => `${[...w][0]!.toUpperCase()}.`)
      .join(' ');
  const chars = [...n.replace(/\s/g, '')];
  return chars[0]! + '＊'.repeat(Math.min(chars.length - 1, 3));
}
