/**
 * Trust on first use for the verifier policy: this browser remembers the fingerprint of the first
 * policy it saw for a ledger, so a later, different policy from the node is pointed out instead of
 * being silently trusted.
 */
export interface Remembered {
  fingerprint: string;
  /** When this browser first saw it (ms). */
  since: number;
}

export type Memory =
  | { kind: 'first'; remembered: Remembered }
  | { kind: 'same'; remembered: Remembered }
  | { kind: 'changed'; remembered: Remembered };

const key = (origin: string) => `aidledger.policy.${origin}`;

/** What was decided on this page load, per ledger: so a re-render does not turn "first" into "same". */
const decided = new Map<string, Memory>();

function recall(origin: string): Remembered | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(key(origin)) ?? 'null') as Partial<Remembered> | null;
    if (v && typeof v.fingerprint === 'string' && typeof v.since === 'number')
      return { fingerprint: v.fingerprint, since: v.since };
  } catch {
    // storage blocked or damaged: as if never seen
  }
  return undefined;
}

function store(origin: string, r: Remembered): void {
  try {
    localStorage.setItem(key(origin), JSON.stringify(r));
  } catch {
    // storage blocked: remembered for this page only
  }
}

/** Compares the node's policy with the one first seen in this browser, remembering it if new. */
export function comparePolicy(origin: string, fingerprint: string): Memory {
  const known = decided.get(origin);
  if (known && (known.kind === 'changed' || known.remembered.fingerprint === fingerprint))
    return known;
  const before = recall(origin);
  let m: Memory;
  if (!before) {
    const remembered = { fingerprint, since: Date.now() };
    store(origin, remembered);
    m = { kind: 'first', remembered };
  } else {
    m = { kind: before.fingerprint === fingerprint ? 'same' : 'changed', remembered: before };
  }
  decided.set(origin, m);
  return m;
}

/** Trusts the node's current policy from now on. */
export function trustPolicy(origin: string, fingerprint: string): Memory {
  const remembered = { fingerprint, since: Date.now() };
  store(origin, remembered);
  const m: Memory = { kind: 'same', remembered };
  decided.set(origin, m);
  return m;
}
