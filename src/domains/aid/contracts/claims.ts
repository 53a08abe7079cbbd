/**
 * The claims guard: no invoice line is paid twice, by any program of any organisation. Each line
 * is known by a keyed fingerprint of its hospital, invoice number and line number (NFKC
 * normalised), and what all cases together reserve or pay for it never exceeds the amount the
 * patient owes after insurance. Per-patient annual caps are kept here too, by patient key.
 */
import type { CaseLine } from '../types.js';
import { big, str, min, max } from './aid-common.js';

export type { CaseLine };
import { refuse, type Secrets, type StateView } from '../../../runtime/contract.js';

export interface LineRecord {
  /** The amount net of insurance, as the hospital first stated it. */
  net: string;
  covered: string;
  /** The cases holding part of the line, with their part. */
  by: { case: string; amount: string }[];
}

export const claimKeys = {
  line: (fp: string) => `claims/line/${fp}`,
  patient: (patient: string, program: string, year: number) =>
    `claims/patient/${patient}/${program}/${year}`,
};

/** The normalised text of an invoice line that the fingerprint is taken over. */
export function lineText(hospital: string, invoice: string, line: number): string {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
  return `invoice-line\n${norm(hospital)}\n${norm(invoice)}\n${line}`;
}

export function fingerprint(
  secrets: Secrets,
  hospital: string,
  invoice: string,
  line: number,
): string {
  return secrets.fingerprint(lineText(hospital, invoice, line));
}

function getLine(state: StateView, fp: string): LineRecord | undefined {
  return state.get<LineRecord>(claimKeys.line(fp));
}

/** What each line still has uncovered for `caseId` (its own share counts as uncovered). */
export function remaining(state: StateView, caseId: string, lines: readonly CaseLine[]): bigint[] {
  return lines.map((l) => {
    const rec = getLine(state, l.fp);
    if (!rec) return big(l.net);
    const others = rec.by.filter((b) => b.case !== caseId).reduce((a, b) => a + big(b.amount), 0n);
    return max(0n, big(rec.net) - others);
  });
}

/** Spreads `amount` over the lines in order, each up to what remains of it. */
export function spread(amount: bigint, rem: readonly bigint[]): bigint[] {
  let left = amount;
  return rem.map((r) => {
    const take = min(r, left);
    left -= take;
    return take;
  });
}

/** Records a case's share of each line. @throws DUPLICATE_CLAIM if a share no longer fits. */
export function claim(
  state: StateView,
  caseId: string,
  lines: readonly CaseLine[],
  shares: readonly bigint[],
): void {
  lines.forEach((l, i) => {
    const share = shares[i] ?? 0n;
    const rec = getLine(state, l.fp) ?? { net: l.net, covered: '0', by: [] };
    const net = big(rec.net);
    const by = rec.by.filter((b) => b.case !== caseId);
    const covered = by.reduce((a, b) => a + big(b.amount), 0n) + share;
    if (covered > net) refuse('DUPLICATE_CLAIM', `invoice line ${i + 1} is already covered`);
    if (share > 0n) by.push({ case: caseId, amount: str(share) });
    state.put(claimKeys.line(l.fp), {
      net: str(net),
      covered: str(covered),
      by,
    } satisfies LineRecord);
  });
}

/** Takes a case's shares off its lines (a cancellation, a withdrawal). */
export function unclaim(state: StateView, caseId: string, lines: readonly CaseLine[]): void {
  for (const l of lines) {
    const rec = getLine(state, l.fp);
    if (!rec || !rec.by.some((b) => b.case === caseId)) continue;
    const by = rec.by.filter((b) => b.case !== caseId);
    const covered = by.reduce((a, b) => a + big(b.amount), 0n);
    state.put(claimKeys.line(l.fp), { ...rec, covered: str(covered), by } satisfies LineRecord);
  }
}

/**
 * Records the lines a hospital states. A line already known must be stated with the same amount
 * net of insurance: a different figure for one invoice line is refused, never silently taken.
 */
export function noteLines(state: StateView, lines: readonly CaseLine[]): void {
  lines.forEach((l, i) => {
    const rec = getLine(state, l.fp);
    if (!rec)
      state.put(claimKeys.line(l.fp), { net: l.net, covered: '0', by: [] } satisfies LineRecord);
    else if (rec.net !== l.net)
      refuse('LINE_CONFLICT', `invoice line ${i + 1} was stated before with another amount`);
  });
}

export function patientUsed(
  state: StateView,
  patient: string,
  program: string,
  year: number,
): bigint {
  const v = state.get<string>(claimKeys.patient(patient, program, year));
  return v === undefined ? 0n : big(v);
}

export function addPatientUse(
  state: StateView,
  patient: string,
  program: string,
  year: number,
  delta: bigint,
): void {
  const next = patientUsed(state, patient, program, year) + delta;
  if (next < 0n) refuse('INVALID_STATE', 'patient total cannot go below zero');
  state.put(claimKeys.patient(patient, program, year), str(next));
}
