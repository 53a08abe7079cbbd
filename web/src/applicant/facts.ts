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

/**
 * An amount in major units ("18,000.50") as minor units ("1800050"), exactly: digits are joined as
 * text and read as a bigint. Undefined when it is not a plain amount with at most the currency's
 * decimals.
 */
export function toMinor(input: string, currency: string): string | undefined {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const s = plain(input).replace(/[\s,_']/g, '');
  const m = /^([0-9]{1,16})(?:\.([0-9]*))?$/.exec(s);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  return BigInt(`${m[1]}${frac.padEnd(digits, '0')}`).toString();
}

/** The form's values for declared facts: text as typed, booleans as chosen. */
export interface DeclaredInput {
  age: string;
  householdSize: string;
  householdIncomePerCapita: string;
  region: string;
  lowIncome: boolean;
  disability: boolean;
}

export const EMPTY_DECLARED: DeclaredInput = {
  age: '',
  householdSize: '',
  householdIncomePerCapita: '',
  region: '',
  lowIncome: false,
  disability: false,
};

export type DeclaredErrors = Partial<Record<PersonFact, 'required' | 'invalid'>>;

/**
 * The declared facts for the facts asked (`asked`), checked by the shared schema. Every fact a
 * rule reads is asked for, so an empty one is an error.
 */
export function parseDeclared(
  input: DeclaredInput,
  asked: readonly PersonFact[],
  currency: string,
): { facts: PersonFacts; errors: DeclaredErrors } {
  const errors: DeclaredErrors = {};
  const out: Record<string, unknown> = {};
  const int = (s: string) => (/^[0-9]{1,4}$/.test(plain(s)) ? Number(plain(s)) : Number.NaN);
  for (const f of asked) {
    if (f === 'lowIncome' || f === 'disability') {
      out[f] = input[f];
      continue;
    }
    const raw = plain(input[f]);
    if (raw === '') {
      errors[f] = 'required';
      continue;
    }
    if (f === 'householdIncomePerCapita') out[f] = toMinor(raw, currency) ?? raw;
    else if (f === 'region') out[f] = raw.toUpperCase();
    else out[f] = int(raw);
  }
  const parsed = PersonFactsSchema.safeParse(out);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = issue.path[0];
      if (typeof f === 'string' && isPersonFact(f) && errors[f] === undefined)
        errors[f] = 'invalid';
    }
    return { facts: {}, errors };
  }
  return { facts: parsed.data, errors };
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
