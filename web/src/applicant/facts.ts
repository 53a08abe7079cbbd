/**
 * What the application form reads and checks: the facts a person declares that a program's rules
 * read, amounts typed in major units turned exactly into minor units (never through a float), and
 * the eligibility preview computed in the browser by the program's own CEL rules.
 */
import {
  compileRule,
  declaredFacts,
  FACTS,
  MINOR_DIGITS,
  PersonFactsSchema,
  type FactName,
  type PersonFacts,
  type ProgramCondition,
} from '@sdk';

/** The facts an applicant declares, in the order the form asks them. */
export const PERSON_FACTS = [
  'age',
  'householdSize',
  'householdIncomePerCapita',
  'region',
  'lowIncome',
  'disability',
] as const satisfies readonly (keyof PersonFacts & FactName)[];
export type PersonFact = (typeof PERSON_FACTS)[number];

const isPersonFact = (n: string): n is PersonFact =>
  (PERSON_FACTS as readonly string[]).includes(n);

/** Typed forms in the user's writing: full-width digits and separators made plain. */
export function plain(s: string): string {
  return s.normalize('NFKC').trim();
}

/** Ways of writing the yuan around a number: ¥, CN¥, RMB, 元, 人民币/人民幣. */
const CURRENCY_WORDS = /^(?:CN¥|RMB|¥|人民[币幣])|(?:元|块|塊|RMB)$/giu;

/**
 * An amount as people write it ("18,000.50", "¥18,000", "18000元", "1.8万", full-width digits) as
 * minor units ("1800050"), exactly: digits are joined as text and read as a bigint, never through
 * a float. Undefined when it is not an amount with at most the currency's decimals (a 万 amount
 * may carry four more, since it is ten thousand times larger).
 */
export function toMinor(input: string, currency: string): string | undefined {
  const digits = MINOR_DIGITS[currency] ?? 2;
  let s = plain(input).replace(/[\s,_'，]/g, '');
  // Twice: "¥1.8万元" has a sign before and a word after.
  s = s.replace(CURRENCY_WORDS, '').replace(CURRENCY_WORDS, '');
  let shift = 0;
  if (/[万萬]$/u.test(s)) {
    shift = 4;
    s = s.slice(0, -1);
  }
  const m = /^([0-9]{1,16})(?:\.([0-9]*))?$/.exec(s);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits + shift) return undefined;
  const scaled = `${m[1]}${frac.padEnd(digits + shift, '0')}`;
  return BigInt(scaled).toString();
}

/**
 * The income per person from the household's total and its size, in minor units, rounded down
 * (integer division of bigints). Undefined when either is missing or not a positive size.
 */
export function perPerson(totalMinor: string | undefined, size: number): string | undefined {
  if (totalMinor === undefined || !Number.isSafeInteger(size) || size < 1) return undefined;
  return (BigInt(totalMinor) / BigInt(size)).toString();
}

/** What a mainland 18-digit identity number says of its holder (GB 11643). */
export interface IdFacts {
  birth: { year: number; month: number; day: number };
  sex: 'female' | 'male';
}

/**
 * The birth date and sex an 18-digit mainland identity number carries (digits 7–14 are the birth
 * date; the 17th is odd for a man, even for a woman). Undefined for any other number: Taiwan and
 * Hong Kong numbers carry no birth date.
 */
export function idFacts(kind: string, id: string): IdFacts | undefined {
  if (kind !== 'cn' || !/^[0-9]{17}[0-9X]$/.test(id)) return undefined;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { birth: { year, month, day }, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Whole years from a birth date to a day (given as year, month, day). */
export function ageOn(
  birth: IdFacts['birth'],
  on: { year: number; month: number; day: number },
): number {
  const before = on.month < birth.month || (on.month === birth.month && on.day < birth.day);
  return on.year - birth.year - (before ? 1 : 0);
}

/** The form's values for declared facts: text as typed, booleans as chosen. */
export interface DeclaredInput {
  age: string;
  householdSize: string;
  householdIncomePerCapita: string;
  /** The household's total income a year, from which the income per person is computed. */
  householdIncome: string;
  region: string;
  lowIncome: boolean;
  disability: boolean;
}

export const EMPTY_DECLARED: DeclaredInput = {
  age: '',
  householdSize: '',
  householdIncomePerCapita: '',
  householdIncome: '',
  region: '',
  lowIncome: false,
  disability: false,
};

/** A field of the household step: a fact, or the household's total income. */
export type DeclaredField = keyof DeclaredInput;

export type DeclaredErrors = Partial<Record<DeclaredField, 'required' | 'invalid'>>;

/**
 * The fields the household step shows for the facts asked: the income per person is asked as the
 * household's total and its size (the form divides), and the age is not asked when the identity
 * number gives it.
 */
export function fieldsAsked(asked: readonly PersonFact[], ageKnown: boolean): DeclaredField[] {
  const perCapita = asked.includes('householdIncomePerCapita');
  const out: DeclaredField[] = [];
  for (const f of PERSON_FACTS) {
    if (f === 'age' && (!asked.includes('age') || ageKnown)) continue;
    if (f === 'householdSize' && !asked.includes(f) && !perCapita) continue;
    if (f === 'householdIncomePerCapita') {
      if (perCapita) out.push('householdIncome');
      continue;
    }
    if (f !== 'householdSize' && f !== 'age' && !asked.includes(f)) continue;
    out.push(f);
  }
  return out;
}

/**
 * The declared facts for the facts asked (`asked`), checked by the shared schema. Every fact a
 * rule reads is asked for, so an empty one is an error. `age` is the age the identity number
 * gives, when it gives one; the income per person is the total divided by the household's size.
 */
export function parseDeclared(
  input: DeclaredInput,
  asked: readonly PersonFact[],
  currency: string,
  age?: number,
): { facts: PersonFacts; errors: DeclaredErrors } {
  const errors: DeclaredErrors = {};
  const out: Record<string, unknown> = {};
  const int = (s: string) => (/^[0-9]{1,4}$/.test(plain(s)) ? Number(plain(s)) : Number.NaN);
  for (const f of fieldsAsked(asked, age !== undefined)) {
    if (f === 'lowIncome' || f === 'disability') {
      out[f] = input[f];
      continue;
    }
    const raw = plain(input[f]);
    if (raw === '') {
      errors[f] = 'required';
      continue;
    }
    if (f === 'householdIncome') {
      if (toMinor(raw, currency) === undefined) errors[f] = 'invalid';
    } else if (f === 'region') out[f] = raw.toUpperCase();
    else out[f] = int(raw);
  }
  if (asked.includes('age') && age !== undefined) out.age = age;
  if (asked.includes('householdIncomePerCapita') && errors.householdIncome === undefined) {
    const size = typeof out.householdSize === 'number' ? out.householdSize : Number.NaN;
    const per = perPerson(toMinor(input.householdIncome, currency), size);
    if (per !== undefined) out.householdIncomePerCapita = per;
  }
  // The size was asked only to divide by: it goes on only when a rule reads it.
  const facts = Object.fromEntries(
    Object.entries(out).filter(([k]) => asked.includes(k as PersonFact)),
  );
  const check = {
    ...facts,
    ...(out.householdSize === undefined ? {} : { householdSize: out.householdSize }),
  };
  const parsed = PersonFactsSchema.safeParse(check);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = issue.path[0];
      if (typeof f === 'string' && isPersonFact(f) && errors[f] === undefined)
        errors[f === 'householdIncomePerCapita' ? 'householdIncome' : f] = 'invalid';
    }
  }
  if (Object.keys(errors).length > 0) return { facts: {}, errors };
  return { facts: PersonFactsSchema.parse(facts), errors };
}

/** The person facts a program's rules read, in the form's order. */
export function factsAsked(conditions: readonly ProgramCondition[]): PersonFact[] {
  const read = new Set(conditions.flatMap((c) => compileRule(c.expr).reads));
  return PERSON_FACTS.filter((f) => read.has(f));
}

export type Preview =
  | { kind: 'met' | 'not-met' | 'unknown' }
  /** Reads facts the hospital states when it verifies the case (diagnoses, invoice totals). */
  | { kind: 'hospital'; facts: string[] };

/** One condition of the program's rules on what the applicant declared. */
export function previewCondition(c: ProgramCondition, declared: PersonFacts): Preview {
  const rule = compileRule(c.expr);
  const hospital = rule.reads.filter((r) => r in FACTS && !isPersonFact(r));
  if (hospital.length > 0) return { kind: 'hospital', facts: hospital };
  const r = rule.evaluate(declaredFacts(declared));
  if (!r.ok) return { kind: 'unknown' };
  return { kind: r.value ? 'met' : 'not-met' };
}

/** Which kinds of organisation must confirm each fact a condition reads (from `attested`). */
export function confirmedBy(c: ProgramCondition): string[] {
  return [...new Set((c.attested ?? []).flatMap((a) => a.by))].sort();
}
