/**
 * What an application is made of, shared by the contracts, the API, the CLI and the web forms:
 * amounts on the wire, the catalogue of facts a rule may read (and who may attest each), the
 * facts a person declares, identity numbers, and the private part of `cases.submit`. Also the
 * conversion of declared facts to the values a program's rule reads, so a browser can preview
 * eligibility with the program's own rule.
 */
import { z } from 'zod';
import type { OrgType } from '../../chain/genesis.js';
import { parseNationalId } from '../../core/national-id.js';
import type { FactValue, Facts } from './rules.js';

/** A non-negative amount of minor units as a decimal string, at most 18 digits. */
export const AmountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,17})$/, 'a decimal string of minor units, like "12500"');

/** The facts a rule may read: their CEL type and which kinds of organisation may attest them. */
export const FACTS = {
  age: { type: 'int', attestedBy: ['hospital', 'government'] },
  householdSize: { type: 'int', attestedBy: ['government'] },
  householdIncomePerCapita: { type: 'money', attestedBy: ['government'] },
  region: { type: 'string', attestedBy: ['government'] },
  lowIncome: { type: 'bool', attestedBy: ['government'] },
  disability: { type: 'bool', attestedBy: ['government'] },
  diagnoses: { type: 'codes', attestedBy: ['hospital'] },
  invoiceTotal: { type: 'money', attestedBy: ['hospital'] },
  insurancePaid: { type: 'money', attestedBy: ['hospital'] },
  ownExpense: { type: 'money', attestedBy: ['hospital'] },
} as const satisfies Record<
  string,
  { type: 'int' | 'money' | 'string' | 'bool' | 'codes'; attestedBy: readonly OrgType[] }
>;
export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

/** ICD-10 codes as hospitals write them: A00 to Z99 with an optional subcategory. */
export const Icd10Schema = z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, 'an ICD-10 code');

/** Facts an applicant declares (or a bureau attests): all but what the hospital verifies. */
export const PersonFactsSchema = z.strictObject({
  age: z.number().int().min(0).max(150).optional(),
  householdSize: z.number().int().min(1).max(50).optional(),
  householdIncomePerCapita: AmountSchema.optional(),
  region: z
    .string()
    .regex(/^[0-9A-Z-]{2,12}$/, 'a region code')
    .optional(),
  lowIncome: z.boolean().optional(),
  disability: z.boolean().optional(),
});
export type PersonFacts = z.infer<typeof PersonFactsSchema>;

export const NationalIdSchema = z.strictObject({
  kind: z.enum(['cn', 'hk', 'tw']),
  id: z.string().min(8).max(24),
});

/** A national ID in a private part: valid (check character and all) or refused at the door. */
export const ValidNationalIdSchema = NationalIdSchema.refine((v) => {
  try {
    parseNationalId(v.kind, v.id);
    return true;
  } catch {
    return false;
  }
}, 'not a valid identity number');

/** What an application carries privately: who the patient is and what they declare. */
export const SubmitFactsSchema = z.strictObject({
  patient: ValidNationalIdSchema,
  /** For the hospital's and reviewers' records; never used by a rule. */
  name: z.string().min(1).max(200).optional(),
  phone: z.string().max(64).optional(),
  declared: PersonFactsSchema,
});
export type SubmitFacts = z.infer<typeof SubmitFactsSchema>;

/** A fact as a rule reads it: integers and money as bigint, the rest as given. */
export function factValue(
  name: FactName,
  v: number | string | boolean | readonly string[],
): FactValue {
  if (FACTS[name].type === 'money') return BigInt(v as string);
  if (typeof v === 'number') return BigInt(v);
  return v;
}

/** The declared facts as a rule reads them (what an eligibility preview evaluates). */
export function declaredFacts(p: PersonFacts): Facts {
  const out: Record<string, FactValue> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = factValue(k as FactName, v);
  return out;
}
