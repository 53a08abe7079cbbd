/**
 * A bureau clerk's attestations in bulk: a CSV file from the bureau's own records, read on the
 * clerk's device, one `attest.facts` private part per row, and each row's problem named so the
 * screen shows every row's result before anything is signed. The file holds ID numbers and
 * incomes: it never leaves the device except as the private parts of the signed transactions.
 *
 * The header names the columns, in any order: `id_kind` (`cn`, `hk`, `tw`), `id_number`, and any
 * of the facts a bureau attests — `householdIncomePerCapita` (yuan a year: digits with up to two
 * decimals; `¥`, `元` and thousands separators are taken), `householdSize`, `age`, `region`,
 * `lowIncome`, `disability` (yes/no, true/false, 是/否, 1/0). An empty cell attests nothing.
 * UTF-8, with or without a byte order mark; comma or semicolon separated.
 *
 * Browser-safe. The CSV reader is loaded on the first file, so a screen that never reads one (a
 * family's phone) never downloads it.
 */
import { AttestFactsSchema } from './contracts/attest.js';
import { MINOR_DIGITS } from '../../core/money.js';

export type AttestFacts = ReturnType<typeof AttestFactsSchema.parse>;

/** One row: its facts to attest, or why it cannot be. `row` counts from 2 (the header is 1). */
export type AttestRow =
  | { row: number; ok: true; facts: AttestFacts }
  | { row: number; ok: false; column?: string; error: string };

const FACT_COLUMNS = [
  'householdIncomePerCapita',
  'householdSize',
  'age',
  'region',
  'lowIncome',
  'disability',
] as const;
type FactColumn = (typeof FACT_COLUMNS)[number];

/** At most this many rows a file: a bureau's monthly batch, not a database dump. */
export const MAX_ATTEST_ROWS = 5000;

class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

const YES = new Set(['yes', 'y', 'true', '1', '是', '有']);
const NO = new Set(['no', 'n', 'false', '0', '否', '无', '無']);

function flag(column: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  throw new RowError(column, 'yes or no');
}

function whole(column: string, text: string): number {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) throw new RowError(column, 'a whole number');
  return Number(t);
}

/** Yuan as written in a bureau's records, to minor units: `18,000`, `¥18000.50`, `18000元`. */
function yuan(column: string, text: string, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const t = text
    .trim()
    .replace(/^[¥￥]|^CN¥|元$/g, '')
    .replace(/[,，\s]/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m || (m[2] ?? '').length > digits)
    throw new RowError(column, 'an amount in yuan, like 18000 or 18,000.50');
  return (
    BigInt(m[1]!) * 10n ** BigInt(digits) +
    BigInt((m[2] ?? '').padEnd(digits, '0') || '0')
  ).toString();
}

function factOf(column: FactColumn, text: string, currency: string): unknown {
  switch (column) {
    case 'householdIncomePerCapita':
      return yuan(column, text, currency);
    case 'householdSize':
    case 'age':
      return whole(column, text);
    case 'region':
      return text.trim().toUpperCase();
    case 'lowIncome':
    case 'disability':
      return flag(column, text);
  }
}

/**
 * Reads the file. Throws only when the file as a whole is not one (no header, no ID columns, too
 * many rows); each row's own problem is in its result.
 * @param currency the currency incomes are attested in (the programs')
 */
export async function attestationsFromCsv(text: string, currency = 'CNY'): Promise<AttestRow[]> {
  const { parse } = await import('csv-parse/browser/esm/sync');
  const records = parse(text.replace(/^\uFEFF/, ''), {
    delimiter: [',', ';'],
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as string[][];
  const header = records[0];
  if (!header) throw new Error('the file is empty');
  const at = (name: string) => header.findIndex((h) => h.trim() === name);
  const kindCol = at('id_kind');
  const idCol = at('id_number');
  if (kindCol < 0 || idCol < 0) throw new Error('the header needs id_kind and id_number');
  const unknown = header.filter(
    (h) => h !== 'id_kind' && h !== 'id_number' && !(FACT_COLUMNS as readonly string[]).includes(h),
  );
  if (unknown.length > 0)
    throw new Error(`unknown columns: ${unknown.join(', ')} (facts: ${FACT_COLUMNS.join(', ')})`);
  if (records.length - 1 > MAX_ATTEST_ROWS)
    throw new Error(`at most ${MAX_ATTEST_ROWS} rows a file`);
  const factCols = FACT_COLUMNS.map((f) => [f, at(f)] as const).filter(([, i]) => i >= 0);
  return records.slice(1).map((cells, k): AttestRow => {
    const row = k + 2;
    try {
      const facts: Record<string, unknown> = {};
      for (const [name, i] of factCols) {
        const cell = cells[i] ?? '';
        if (cell.trim() !== '') facts[name] = factOf(name, cell, currency);
      }
      if (Object.keys(facts).length === 0) throw new RowError('', 'no fact to attest');
      const candidate = {
        patient: {
          kind: (cells[kindCol] ?? '').trim(),
          id: (cells[idCol] ?? '').trim().toUpperCase(),
        },
        facts,
      };
      const r = AttestFactsSchema.safeParse(candidate);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        const column =
          issue.path[0] === 'patient'
            ? issue.path[1] === 'kind'
              ? 'id_kind'
              : 'id_number'
            : String(issue.path[1] ?? '');
        return { row, ok: false, column, error: issue.message };
      }
      return { row, ok: true, facts: r.data };
    } catch (e) {
      if (e instanceof RowError)
        return { row, ok: false, ...(e.column ? { column: e.column } : {}), error: e.message };
      throw e;
    }
  });
}
