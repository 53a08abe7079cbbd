/**
 * Invoice lines as the verification form holds them: text as typed (amounts in major units, as a
 * bill prints them), read from rows pasted out of a spreadsheet (tab-separated) or from a FHIR R4
 * `Claim` (the SDK's `linesFromFhir`), and turned into the lines `cases.verify` takes — amounts in
 * minor units exactly, through bigint, never a float.
 */
import { MINOR_DIGITS, type ImportedLine } from '@sdk';
import { plain, toMinor } from '../../applicant/facts';

/** A line of the form: every cell as typed. */
export interface LineInput {
  invoice: string;
  line: string;
  item: string;
  amount: string;
  insurancePaid: string;
}

export const EMPTY_LINE: LineInput = {
  invoice: '',
  line: '',
  item: '',
  amount: '',
  insurancePaid: '',
};

/** A line as `cases.verify` takes it. */
export interface VerifyLine {
  invoice: string;
  line: number;
  item?: string;
  amount: string;
  insurancePaid: string;
}

export type LineField = keyof LineInput;
/** What is wrong with a cell: empty, not what it should be, or an insurer's share above the amount. */
export type LineProblem = 'required' | 'invalid' | 'over';
export type LineErrors = Partial<Record<LineField, LineProblem>>;

/** Minor units as the major-unit text a bill prints ("20000.00"). */
export function majorText(minor: string, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const v = BigInt(minor);
  if (digits === 0) return v.toString();
  const scale = 10n ** BigInt(digits);
  return `${v / scale}.${(v % scale).toString().padStart(digits, '0')}`;
}

/** Lines read from a FHIR claim, as the form shows them (an insurer's share not given stays empty). */
export function linesFromImport(lines: readonly ImportedLine[], currency: string): LineInput[] {
  return lines.map((l) => ({
    invoice: l.invoice,
    line: String(l.line),
    item: '',
    amount: majorText(l.amount, currency),
    insurancePaid: l.insurancePaid === undefined ? '' : majorText(l.insurancePaid, currency),
  }));
}

/**
 * Rows pasted from a spreadsheet: tab-separated cells in the table's order (invoice, line,
 * amount, insurer's share, item). A first row whose line cell is not a number is a header, and
 * skipped; empty rows are skipped.
 */
export function linesFromPaste(text: string): LineInput[] {
  const rows = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((r) => r.trim() !== '')
    .map((r) => r.split('\t').map((c) => c.trim()));
  if (rows.length > 0 && !/^\d+$/.test(plain(rows[0]![1] ?? ''))) rows.shift();
  return rows.map((c) => ({
    invoice: c[0] ?? '',
    line: c[1] ?? '',
    amount: c[2] ?? '',
    insurancePaid: c[3] ?? '',
    item: c[4] ?? '',
  }));
}

/** The lines to verify, or each line's problems (by index). */
export function parseLines(
  inputs: readonly LineInput[],
  currency: string,
): { lines: VerifyLine[]; errors: LineErrors[] } {
  const errors: LineErrors[] = [];
  const lines: VerifyLine[] = [];
  const seen = new Set<string>();
  for (const l of inputs) {
    const e: LineErrors = {};
    const invoice = plain(l.invoice);
    if (invoice === '') e.invoice = 'required';
    else if (invoice.length > 64) e.invoice = 'invalid';
    const lineText = plain(l.line);
    const line = /^[0-9]{1,4}$/.test(lineText) ? Number(lineText) : Number.NaN;
    if (lineText === '') e.line = 'required';
    else if (!(line >= 1 && line <= 9999)) e.line = 'invalid';
    else if (seen.has(`${invoice}\n${line}`)) e.line = 'invalid';
    seen.add(`${invoice}\n${line}`);
    const amount = plain(l.amount) === '' ? undefined : toMinor(l.amount, currency);
    if (plain(l.amount) === '') e.amount = 'required';
    else if (amount === undefined) e.amount = 'invalid';
    const insurance =
      plain(l.insurancePaid) === '' ? undefined : toMinor(l.insurancePaid, currency);
    if (plain(l.insurancePaid) === '') e.insurancePaid = 'required';
    else if (insurance === undefined) e.insurancePaid = 'invalid';
    else if (amount !== undefined && BigInt(insurance) > BigInt(amount)) e.insurancePaid = 'over';
    if (plain(l.item).length > 200) e.item = 'invalid';
    errors.push(e);
    if (Object.keys(e).length === 0)
      lines.push({
        invoice,
        line,
        ...(plain(l.item) === '' ? {} : { item: plain(l.item) }),
        amount: amount!,
        insurancePaid: insurance!,
      });
  }
  return { lines, errors };
}
