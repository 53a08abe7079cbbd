/**
 * Programs: an owner organisation publishes an aid program with its eligibility rules (named CEL
 * conditions over a case's facts, labelled in three languages), a fixed benefit formula, the
 * documents it needs and its review policy. Each publication is a new version; a decision names
 * the version that made it, so old decisions explain themselves after a change.
 */
import { z } from 'zod';
import { NamesSchema, type Names } from '../../../chain/schemas.js';
import { compileRule, type CompiledRule } from '../rules.js';
import { isAidError } from '../../../core/errors.js';
import { MINOR_DIGITS } from '../../../core/money.js';
import {
  AmountSchema,
  checkNotFrozen,
  FactNameSchema,
  FACTS,
  SlugSchema,
  signerOrg,
  TimeZoneSchema,
  type FactName,
} from './aid-common.js';
import { action, refuse, type Contract, type StateView } from '../../../runtime/contract.js';
import type { OrgType } from '../../../chain/genesis.js';

const OrgTypeList = z.array(z.enum(['hospital', 'government', 'charity', 'auditor'])).min(1);

/** Rules compiled once per expression: CEL planning costs more than evaluation. */
const compiled = new Map<string, CompiledRule>();
export function ruleOf(expr: string): CompiledRule {
  let r = compiled.get(expr);
  if (!r) {
    r = compileRule(expr);
    if (compiled.size > 4096) compiled.clear();
    compiled.set(expr, r);
  }
  return r;
}

/** Why a rule cannot be published (it does not compile, uses floats, reads unknown facts). */
function ruleProblem(expr: string): string | undefined {
  let rule: CompiledRule;
  try {
    rule = ruleOf(expr);
  } catch (e) {
    if (isAidError(e)) return e.message;
    throw e;
  }
  const unknown = rule.reads.filter((r) => !Object.hasOwn(FACTS, r));
  return unknown.length > 0 ? `reads unknown facts: ${unknown.join(', ')}` : undefined;
}

export const ConditionSchema = z.strictObject({
  name: SlugSchema,
  labels: NamesSchema,
  /** A CEL expression over the facts, true when the condition holds; checked at the door. */
  expr: z
    .string()
    .min(1)
    .max(2000)
    .superRefine((expr, ctx) => {
      const problem = ruleProblem(expr);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Facts this condition accepts only when attested, and by which kinds of organisation. */
  attested: z
    .array(z.strictObject({ fact: FactNameSchema, by: OrgTypeList }))
    .max(10)
    .optional(),
});

export const ProgramSpecSchema = z
  .strictObject({
    id: SlugSchema,
    names: NamesSchema,
    currency: z.string().refine((c) => Object.hasOwn(MINOR_DIGITS, c), 'a supported currency'),
    timeZone: TimeZoneSchema,
    /** The budget the owner publishes for the program: what the public holds it to. */
    budget: AmountSchema,
    conditions: z.array(ConditionSchema).min(1).max(50),
    benefit: z.strictObject({
      deductible: AmountSchema,
      rateBp: z.number().int().min(0).max(10_000),
      perCaseCap: AmountSchema,
      perPatientYearCap: AmountSchema,
    }),
    documents: z.array(z.strictObject({ name: SlugSchema, labels: NamesSchema })).max(20),
    review: z.strictObject({
      /** Approved automatically up to this amount when every condition holds. */
      autoApproveUpTo: AmountSchema,
      /** Above this amount two distinct reviewers must approve. */
      twoReviewersAbove: AmountSchema,
    }),
    open: z.boolean(),
  })
  .superRefine((p, ctx) => {
    const names = new Set(p.conditions.map((c) => c.name));
    if (names.size !== p.conditions.length)
      ctx.addIssue({ code: 'custom', message: 'condition names are unique' });
    if (BigInt(p.review.twoReviewersAbove) < BigInt(p.review.autoApproveUpTo))
      ctx.addIssue({
        code: 'custom',
        message: 'twoReviewersAbove is at least autoApproveUpTo',
      });
  });
export type ProgramSpec = z.infer<typeof ProgramSpecSchema>;

export interface ProgramRecord {
  id: string;
  owner: string;
  version: number;
  currency: string;
  open: boolean;
  since: number;
}

/** One published version of a program: its spec as signed, and who published it when. */
export const ProgramVersionSchema = z
  .object({
    ...ProgramSpecSchema.shape,
    owner: z.string(),
    version: z.number().int(),
    tx: z.string().describe('the programs.publish transaction'),
    time: z.number().int(),
  })
  .meta({ id: 'ProgramVersion' });
export type ProgramVersion = z.infer<typeof ProgramVersionSchema>;

export const programKeys = {
  program: (id: string) => `programs/p/${id}`,
  version: (id: string, v: number) => `programs/v/${id}/${v.toString().padStart(6, '0')}`,
};

export function getProgram(state: StateView, id: string): ProgramRecord {
  return (
    state.get<ProgramRecord>(programKeys.program(id)) ?? refuse('NOT_FOUND', `no program ${id}`)
  );
}

export function getVersion(state: StateView, id: string, v: number): ProgramVersion {
  return (
    state.get<ProgramVersion>(programKeys.version(id, v)) ??
    refuse('NOT_FOUND', `no version ${v} of program ${id}`)
  );
}

function checkConditions(spec: ProgramSpec): void {
  for (const c of spec.conditions) {
    const problem = ruleProblem(c.expr);
    if (problem !== undefined) refuse('INVALID_STATE', `condition ${c.name}: ${problem}`);
    for (const a of c.attested ?? []) {
      const allowed: readonly OrgType[] = FACTS[a.fact].attestedBy;
      const bad = a.by.filter((t) => !allowed.includes(t));
      if (bad.length > 0)
        refuse('INVALID_STATE', `${a.fact} is not attested by a ${bad.join(' or ')} organisation`);
    }
  }
}

/** The label of a condition or program in a language, falling back to English. */
export function label(names: Names, lang: string): string {
  return lang === 'zh-Hant' || lang === 'zh-Hans' || lang === 'en' ? names[lang] : names.en;
}

export type { FactName };

export const programs: Contract = {
  name: 'programs',
  actions: {
    publish: action({
      schema: ProgramSpecSchema,
      roles: ['program-manager', 'admin'],
      apply(ctx, spec) {
        // Bureaus, charities, and hospitals with funds of their own.
        const org = signerOrg(ctx, ['government', 'charity', 'hospital']);
        checkNotFrozen(ctx.state, { program: spec.id, orgs: [org.id] });
        checkConditions(spec);
        const prev = ctx.state.get<ProgramRecord>(programKeys.program(spec.id));
        if (prev && prev.owner !== org.id)
          refuse('WRONG_ORG', `program ${spec.id} belongs to ${prev.owner}`);
        if (prev && prev.currency !== spec.currency)
          refuse('CURRENCY_MISMATCH', `program ${spec.id} keeps its currency ${prev.currency}`);
        const version = (prev?.version ?? 0) + 1;
        ctx.state.put(programKeys.program(spec.id), {
          id: spec.id,
          owner: org.id,
          version,
          currency: spec.currency,
          open: spec.open,
          since: prev?.since ?? ctx.time,
        } satisfies ProgramRecord);
        ctx.state.put(programKeys.version(spec.id, version), {
          ...spec,
          owner: org.id,
          version,
          tx: ctx.txId,
          time: ctx.time,
        } satisfies ProgramVersion);
      },
    }),
  },
};
