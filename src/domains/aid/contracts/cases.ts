/**
 * Cases, from application to outcome. Each transition is allowed to one set of roles and only from
 * given states: submitted → verified (treating hospital) → assessed by the program's rules →
 * approved or rejected (automatically, or by reviewers per the review policy) → funded or
 * waitlisted → disbursed → receipt confirmed → closed; with appeal, withdrawal, cancellation and a
 * regulator's freeze. Personal and medical facts travel only in private parts; assessment brings
 * them back with their salts, and the contract checks each against the commitment it recorded.
 *
 * From protocol 2 the treating hospital confirms who the patient is: its verification carries the
 * ID number from its admission record, and a case whose patient the hospital did not match uses
 * no attested fact, charges no yearly cap and is not assessed. A declared fact that differs from
 * the attested one sends the case to a reviewer. Reasons are published codes
 * (domains/aid/reasons.ts); what a person writes, and payment references, go to the private part.
 */
import { z } from 'zod';
import { WITHDRAWABLE_STATES } from '../types.js';
import {
  CancelReasonSchema,
  DeclineReasonSchema,
  PaymentFactsSchema,
  PrivateNoteSchema,
  ReviewReasonSchema,
} from '../reasons.js';
import { privateCommitment } from '../../../chain/tx.js';
import type { Facts, FactValue } from '../rules.js';
import { parseNationalId } from '../../../core/national-id.js';
import {
  AmountSchema,
  big,
  checkNotFrozen,
  civilYear,
  FACT_NAMES,
  FREEZE_KEY,
  Icd10Schema,
  max,
  min,
  NoteSchema,
  OrgRefSchema,
  PersonFactsSchema,
  SlugSchema,
  str,
  TxRefSchema,
  type FactName,
} from './aid-common.js';
import {
  attestationsOf,
  patientKey,
  ValidNationalIdSchema,
  type PatientAttestations,
} from './attest.js';
import {
  caseKeys,
  fundOrWait,
  getCase,
  OUTCOMES,
  putCase,
  transition,
  type BenefitSteps,
  type CaseRecord,
  type CaseState,
  type ConditionResult,
  type Decision,
} from './case-record.js';
import {
  addPatientUse,
  claim,
  fingerprint,
  noteLines,
  patientUsed,
  remaining,
  spread,
  unclaim,
  type CaseLine,
} from './claims.js';
import { account, post, release } from './journal.js';
import { getProgram, getVersion, ruleOf, type ProgramVersion } from './programs.js';
import { orgOf } from './aid-common.js';
import {
  action,
  refuse,
  type ActionContext,
  type Contract,
  type Role,
} from '../../../runtime/contract.js';

import { factValue, SubmitFactsSchema } from '../application.js';
export { SubmitFactsSchema };

export const InvoiceLineSchema = z
  .strictObject({
    invoice: z.string().min(1).max(64),
    line: z.number().int().min(1).max(9999),
    item: z.string().max(200).optional(),
    amount: AmountSchema,
    insurancePaid: AmountSchema,
  })
  .refine((l) => BigInt(l.insurancePaid) <= BigInt(l.amount), 'insurance paid exceeds the amount');

/** What the treating hospital verifies, privately. */
export const VerifyFactsSchema = z.strictObject({
  diagnoses: z.array(Icd10Schema).min(1).max(20),
  age: z.number().int().min(0).max(150).optional(),
  lines: z
    .array(InvoiceLineSchema)
    .min(1)
    .max(200)
    .refine(
      (ls) => new Set(ls.map((l) => `${l.invoice}\n${l.line}`)).size === ls.length,
      'each invoice line is listed once',
    ),
});

/**
 * Protocol 2: the hospital also states the patient's ID number from its admission record (a
 * mainland resident ID, a Taiwan NHI card, an HKID), so a case cannot borrow another person's
 * identity and, with it, their attested facts and yearly cap.
 */
export const VerifyFactsSchemaV2 = VerifyFactsSchema.extend({ patient: ValidNationalIdSchema });
/** A verification source as an assessment reads it: with or without the patient (protocol 1). */
const VerifySourceSchema = VerifyFactsSchema.extend({ patient: ValidNationalIdSchema.optional() });

/** Protocol 2: the hospital's match of a case verified under protocol 1 to its admission record. */
export const IdentifyFactsSchema = z.strictObject({ patient: ValidNationalIdSchema });

export const SourceSchema = z.strictObject({
  tx: TxRefSchema,
  salt: z.string().regex(/^[0-9a-f]{64}$/),
  facts: z.record(z.string(), z.unknown()),
});
/**
 * The private part of an assessment: the private parts of every source, salts and all. Each
 * source comes out with its commitment, worked out where the schema runs: on a signature worker
 * at admission, so the block's execution compares commitments rather than hashing the sources.
 * The transform refuses nothing: what the schema accepts, and so the rules, are unchanged.
 */
export const AssessFactsSchema = z.strictObject({
  sources: z
    .array(SourceSchema.transform((s) => ({ ...s, commitment: privateCommitment(s) })))
    .min(2)
    .max(20),
});

const CaseRef = z.strictObject({ case: TxRefSchema });

/**
 * The rules that differ between protocol versions. Version 1 is kept exactly as it ran, so old
 * blocks replay; version 2 ties a case to the patient the hospital admitted and keeps free text
 * out of the public payloads.
 */
interface Rules {
  v2: boolean;
  /** From protocol 3 a case may also wait for information a reviewer asked for. */
  v3?: boolean;
}
const V1: Rules = { v2: false };
const V2: Rules = { v2: true };
const V3: Rules = { v2: true, v3: true };
const HOSPITAL_STAFF: readonly Role[] = ['clerk', 'social-worker'];
const APPLICANT_SIDE: readonly Role[] = ['applicant', 'social-worker'];

function load(ctx: ActionContext, id: string, from: readonly CaseState[]): CaseRecord {
  const rec = getCase(ctx.state, id);
  checkNotFrozen(ctx.state, {
    case: rec.id,
    program: rec.program,
    orgs: [rec.owner, rec.hospital, ctx.signer.org],
  });
  if (!from.includes(rec.state))
    refuse('INVALID_STATE', `case is ${rec.state}; this needs ${from.join(' or ')}`);
  return rec;
}

function requireOwner(ctx: ActionContext, rec: CaseRecord): void {
  if (ctx.signer.org !== rec.owner)
    refuse('WRONG_ORG', `only ${rec.owner}, which runs the program, does this`);
}

function requireHospital(ctx: ActionContext, rec: CaseRecord): void {
  if (ctx.signer.org !== rec.hospital)
    refuse('WRONG_ORG', `only ${rec.hospital}, the treating hospital, does this`);
}

/** The applicant themself, or a social worker of the treating hospital. */
function requireApplicantSide(ctx: ActionContext, rec: CaseRecord): void {
  const self = rec.applicant.kind === 'account' && rec.applicant.key === ctx.signer.key;
  const worker = ctx.signer.roles.includes('social-worker') && ctx.signer.org === rec.hospital;
  if (!self && !worker)
    refuse('NOT_APPLICANT', 'only the applicant or a social worker of the hospital does this');
}

/** Gives back what an approved case holds: its lines, its share of the year cap, its money. */
function releaseHoldings(ctx: ActionContext, rec: CaseRecord): CaseRecord {
  if (rec.state !== 'waitlisted' && rec.state !== 'funded') return rec;
  unclaim(ctx.state, rec.id, rec.lines);
  if (rec.year !== undefined)
    addPatientUse(ctx.state, rec.patient, rec.program, rec.year, -big(rec.amount ?? '0'));
  if (rec.state === 'funded') release(ctx, rec.program, rec.id, rec.fundedBy);
  return { ...rec, fundedBy: [] };
}

export interface SourcedFact {
  value: FactValue;
  source: 'declared' | 'attested';
  /** The transaction whose private part holds the value. */
  tx: string;
  by?: string;
  byType?: string;
}

function checkedSources(
  rec: CaseRecord,
  att: PatientAttestations,
  bundle: z.infer<typeof AssessFactsSchema>,
): Map<string, Record<string, unknown>> {
  const expected = new Map<string, string>([
    [rec.sources.submit.tx, rec.sources.submit.commitment],
  ]);
  if (rec.sources.verify) expected.set(rec.sources.verify.tx, rec.sources.verify.commitment);
  for (const [tx, c] of Object.entries(att.commitments)) expected.set(tx, c);
  const got = new Map<string, Record<string, unknown>>();
  for (const s of bundle.sources) {
    const c = expected.get(s.tx);
    if (c === undefined) refuse('SOURCES_MISMATCH', `source ${s.tx} is not a source of this case`);
    if (got.has(s.tx)) refuse('SOURCES_MISMATCH', `source ${s.tx} is given twice`);
    if (s.commitment !== c)
      refuse('SOURCES_MISMATCH', `source ${s.tx} does not match its commitment`);
    got.set(s.tx, s.facts);
  }
  for (const tx of expected.keys())
    if (!got.has(tx)) refuse('SOURCES_MISMATCH', `source ${tx} is missing`);
  return got;
}

function personFacts(
  out: Map<FactName, SourcedFact>,
  facts: z.infer<typeof PersonFactsSchema>,
  origin: Omit<SourcedFact, 'value'>,
  only?: ReadonlySet<string>,
): void {
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined || (only && !only.has(k))) continue;
    const name = k as FactName;
    out.set(name, { value: factValue(name, v), ...origin });
  }
}

/**
 * Every fact of the case with where it came from: attested facts win over declared ones. Also
 * what a program manager's preview of a draft reads (domains/aid/preview.ts), so a preview and an
 * assessment see the same facts.
 */
export function gatherFacts(
  ctx: Pick<ActionContext, 'secrets'>,
  rec: CaseRecord,
  sources: Map<string, Record<string, unknown>>,
  att: PatientAttestations,
): {
  facts: Map<FactName, SourcedFact>;
  lines: z.infer<typeof VerifyFactsSchema>['lines'];
  differences: FactName[];
} {
  const submit = SubmitFactsSchema.parse(sources.get(rec.sources.submit.tx));
  if (patientKey(ctx.secrets, submit.patient) !== rec.patient)
    refuse('SOURCES_MISMATCH', 'the application names another patient');
  const out = new Map<FactName, SourcedFact>();
  personFacts(out, submit.declared, { source: 'declared', tx: rec.sources.submit.tx });
  for (const [tx, facts] of sources) {
    if (tx === rec.sources.submit.tx || tx === rec.sources.verify?.tx) continue;
    const names = new Set(
      Object.entries(att.facts)
        .filter(([, a]) => a.tx === tx)
        .map(([n]) => n),
    );
    const a = Object.values(att.facts).find((x) => x.tx === tx)!;
    const parsed = z
      .strictObject({ patient: ValidNationalIdSchema, facts: PersonFactsSchema })
      .parse(facts);
    personFacts(out, parsed.facts, { source: 'attested', tx, by: a.org, byType: a.orgType }, names);
  }
  const verify = VerifySourceSchema.parse(sources.get(rec.sources.verify!.tx));
  const hospital = {
    source: 'attested' as const,
    tx: rec.sources.verify!.tx,
    by: rec.hospital,
    byType: 'hospital',
  };
  out.set('diagnoses', { value: verify.diagnoses, ...hospital });
  if (verify.age !== undefined && !out.has('age'))
    out.set('age', { value: BigInt(verify.age), ...hospital });
  else if (verify.age !== undefined && out.get('age')?.source === 'declared')
    out.set('age', { value: BigInt(verify.age), ...hospital });
  const total = verify.lines.reduce((a, l) => a + big(l.amount), 0n);
  const insurance = verify.lines.reduce((a, l) => a + big(l.insurancePaid), 0n);
  out.set('invoiceTotal', { value: total, ...hospital });
  out.set('insurancePaid', { value: insurance, ...hospital });
  out.set('ownExpense', { value: total - insurance, ...hospital });
  // Which declared facts an attested value contradicts, in catalogue order.
  const declared = new Map<FactName, SourcedFact>();
  personFacts(declared, submit.declared, { source: 'declared', tx: rec.sources.submit.tx });
  const differences = FACT_NAMES.filter((name) => {
    const d = declared.get(name);
    const f = out.get(name);
    return d !== undefined && f?.source === 'attested' && !sameValue(d.value, f.value);
  });
  return { facts: out, lines: verify.lines, differences };
}

function sameValue(a: FactValue, b: FactValue): boolean {
  if (typeof a === 'object' && typeof b === 'object')
    return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/**
 * Protocol 2: refuses unless the ID number the hospital took from its admission record names the
 * case's patient. Compared as patient keys (keyed hashes), so the number is never stored.
 */
function matchPatient(
  ctx: ActionContext,
  rec: CaseRecord,
  id: z.infer<typeof ValidNationalIdSchema>,
): void {
  if (patientKey(ctx.secrets, id) !== rec.patient)
    refuse(
      'PATIENT_MISMATCH',
      'the patient admitted by the hospital is not the patient named in the application',
    );
}

/** Each condition of `spec` on the facts: the one evaluator of assessments and of previews. */
export function evaluate(
  spec: Pick<ProgramVersion, 'conditions'>,
  facts: ReadonlyMap<FactName, SourcedFact>,
): ConditionResult[] {
  const values: Record<string, FactValue> = {};
  for (const [k, v] of facts) values[k] = v.value;
  const bound: Facts = values;
  return spec.conditions.map((c): ConditionResult => {
    const rule = ruleOf(c.expr);
    const used = rule.reads.map((n) => {
      const f = facts.get(n as FactName);
      return f === undefined
        ? { name: n, source: 'missing' as const }
        : {
            name: n,
            source: f.source,
            tx: f.tx,
            ...(f.by === undefined ? {} : { by: f.by }),
            ...(f.byType === undefined ? {} : { byType: f.byType }),
          };
    });
    const missing = rule.reads.filter((n) => !facts.has(n as FactName));
    if (missing.length > 0)
      return {
        name: c.name,
        passed: false,
        reason: 'missing-fact',
        detail: missing.join(', '),
        facts: used,
      };
    for (const a of c.attested ?? []) {
      const f = facts.get(a.fact);
      if (!f || f.source !== 'attested' || !a.by.some((t) => t === f.byType))
        return { name: c.name, passed: false, reason: 'not-attested', detail: a.fact, facts: used };
    }
    const r = rule.evaluate(bound);
    if (!r.ok)
      return { name: c.name, passed: false, reason: 'error', detail: r.error, facts: used };
    return r.value
      ? { name: c.name, passed: true, facts: used }
      : { name: c.name, passed: false, reason: 'false', facts: used };
  });
}

/**
 * The benefit formula on an expense `base` (net of insurance and of what other cases hold) when
 * the patient has `yearLeft` of the year cap: min(⌊max(0, base − deductible) × rate⌋, per-case
 * cap, year left). Shared by assessments and previews.
 */
export function benefitFormula(
  b: ProgramVersion['benefit'],
  base: bigint,
  yearLeft: bigint,
): { afterDeductible: bigint; rated: bigint; amount: bigint } {
  const afterDeductible = max(0n, base - big(b.deductible));
  const rated = (afterDeductible * BigInt(b.rateBp)) / 10_000n;
  return { afterDeductible, rated, amount: min(min(rated, big(b.perCaseCap)), yearLeft) };
}

/** The benefit formula, step by step, with what the claims guard and the year cap leave. */
function benefit(
  ctx: ActionContext,
  rec: CaseRecord,
  spec: ProgramVersion,
): BenefitSteps & { rem: bigint[] } {
  const rem = remaining(ctx.state, rec.id, rec.lines);
  const expense = rec.lines.reduce((a, l) => a + big(l.net), 0n);
  const open = rem.reduce((a, r) => a + r, 0n);
  const deductible = big(spec.benefit.deductible);
  const year = civilYear(ctx.time, spec.timeZone);
  const used = patientUsed(ctx.state, rec.patient, rec.program, year);
  const yearLeft = max(0n, big(spec.benefit.perPatientYearCap) - used);
  const formula = (base: bigint) => benefitFormula(spec.benefit, base, yearLeft);
  const { afterDeductible, rated, amount } = formula(open);
  return {
    expense: str(expense),
    claimedElsewhere: str(expense - open),
    deductible: str(deductible),
    afterDeductible: str(afterDeductible),
    rateBp: spec.benefit.rateBp,
    rated: str(rated),
    perCaseCap: spec.benefit.perCaseCap,
    perPatientYearCap: spec.benefit.perPatientYearCap,
    usedThisYear: str(used),
    year,
    amount: str(amount),
    unguarded: str(formula(expense).amount),
    rem,
  };
}

/**
 * Approves a case for what its decision grants, less whatever other cases have taken of its
 * lines meanwhile: reserves the lines and the patient's year cap, then funds or waitlists it.
 * @throws DUPLICATE_CLAIM when its lines have nothing left.
 */
function approve(
  ctx: ActionContext,
  rec: CaseRecord,
  computed?: ReturnType<typeof benefit>,
): CaseRecord {
  const granted = big(rec.decision!.benefit.amount);
  // Computed in this very transaction (an automatic approval), or again now.
  const { rem, ...now } =
    computed ?? benefit(ctx, rec, getVersion(ctx.state, rec.program, rec.decision!.version));
  if (big(now.claimedElsewhere) >= big(now.expense) && big(now.expense) > 0n)
    refuse('DUPLICATE_CLAIM', 'every invoice line of this case is already covered by other cases');
  const amount = min(granted, big(now.amount));
  if (amount === 0n) refuse('INVALID_STATE', 'nothing is left to pay for this case');
  claim(ctx.state, rec.id, rec.lines, spread(amount, rem));
  addPatientUse(ctx.state, rec.patient, rec.program, now.year, amount);
  const next: CaseRecord = { ...rec, amount: str(amount), year: now.year, reason: 'approved' };
  // Reduced by the claims guard: what the formula gives had no other case claimed these lines.
  const unguarded = big(rec.decision!.benefit.unguarded);
  if (amount < unguarded) next.reducedFrom = str(unguarded);
  if (amount < granted) next.approvedWith = now;
  return fundOrWait(ctx, next);
}

function isFrozenCase(ctx: ActionContext) {
  return (id: string) => ctx.state.get(FREEZE_KEY.case(id)) !== undefined;
}

/** The treating hospital verifies diagnoses and invoice lines (and, from protocol 2, the patient). */
function verifyAction(rules: Rules) {
  // With the patient from protocol 2 on.
  const facts: z.ZodType<z.output<typeof VerifySourceSchema>> = rules.v2
    ? VerifyFactsSchemaV2
    : VerifyFactsSchema;
  return action({
    schema: CaseRef,
    roles: HOSPITAL_STAFF,
    private: 'required',
    facts,
    apply(ctx, p) {
      const rec = load(ctx, p.case, ['submitted']);
      requireHospital(ctx, rec);
      // The action's own schema, which admission ran on a worker: its output, not a second parse.
      const f = ctx.parseFacts(facts);
      if (rules.v2) matchPatient(ctx, rec, f.patient!);
      const lines: CaseLine[] = f.lines.map((l) => ({
        fp: fingerprint(ctx.secrets, rec.hospital, l.invoice, l.line),
        net: str(big(l.amount) - big(l.insurancePaid)),
      }));
      const rem = remaining(ctx.state, rec.id, lines);
      const net = lines.reduce((a, l) => a + big(l.net), 0n);
      if (net > 0n && rem.every((r) => r === 0n))
        refuse('DUPLICATE_CLAIM', 'every invoice line is already covered by other cases');
      noteLines(ctx.state, lines);
      putCase(ctx.state, {
        ...transition(ctx, rec, 'verified'),
        sources: {
          ...rec.sources,
          verify: { tx: ctx.txId, commitment: ctx.commitment!, member: ctx.signer.member },
        },
        lines,
        ...(rules.v2 ? { identified: ctx.txId } : {}),
      });
    },
  });
}

/** The hospital cannot confirm the diagnosis or the invoices: the case ends here. */
function declineAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      case: TxRefSchema,
      reason: rules.v2 ? DeclineReasonSchema : NoteSchema,
    }),
    roles: HOSPITAL_STAFF,
    ...privateNote(rules),
    apply(ctx, p) {
      const rec = load(ctx, p.case, ['submitted']);
      requireHospital(ctx, rec);
      putCase(ctx.state, { ...transition(ctx, rec, 'rejected'), reason: p.reason });
    },
  });
}

/** From protocol 2: a person's own words beside a coded reason, in the private part. */
function privateNote(rules: Rules): { private?: 'optional'; facts?: z.ZodType } {
  return rules.v2 ? { private: 'optional', facts: PrivateNoteSchema } : {};
}

function assessAction(rules: Rules) {
  return action({
    schema: CaseRef,
    roles: ['reviewer', 'program-manager', 'operator'],
    private: 'required',
    facts: AssessFactsSchema,
    apply(ctx, p) {
      const rec = load(ctx, p.case, ['verified']);
      requireOwner(ctx, rec);
      if (rules.v2 && rec.identified === undefined)
        refuse(
          'PATIENT_UNCONFIRMED',
          'the treating hospital has not matched the patient to its admission record',
        );
      const prog = getProgram(ctx.state, rec.program);
      const spec = getVersion(ctx.state, rec.program, prog.version);
      const att = attestationsOf(ctx.state, rec.patient);
      const sources = checkedSources(rec, att, ctx.parseFacts(AssessFactsSchema));
      const { facts, differences } = gatherFacts(ctx, rec, sources, att);
      // A declared fact an attested one contradicts: a person looks, whatever the amount.
      const differ = rules.v2 && differences.length > 0;
      const conditions = evaluate(spec, facts);
      const computed = benefit(ctx, rec, spec);
      const { rem: _rem, ...steps } = computed;
      const amount = big(steps.amount);
      if (big(steps.expense) > 0n && big(steps.claimedElsewhere) >= big(steps.expense))
        refuse(
          'DUPLICATE_CLAIM',
          'every invoice line of this case is already covered by other cases',
        );
      const eligible = conditions.every((c) => c.passed);
      const review =
        amount <= big(spec.review.autoApproveUpTo) && !differ
          ? 'auto'
          : amount > big(spec.review.twoReviewersAbove)
            ? 'two'
            : 'one';
      const decision: Decision = {
        version: spec.version,
        tx: ctx.txId,
        time: ctx.time,
        eligible,
        conditions,
        benefit: steps,
        review,
        ...(rules.v2 ? { differences } : {}),
      };
      let next: CaseRecord = { ...rec, decision, round: 1 };
      if (!eligible) next = { ...transition(ctx, next, 'rejected'), reason: 'conditions-not-met' };
      else if (amount === 0n)
        next = { ...transition(ctx, next, 'rejected'), reason: 'nothing-to-pay' };
      else if (review === 'auto') next = approve(ctx, next, computed);
      else next = { ...transition(ctx, next, 'assessed'), reviewsNeeded: review === 'two' ? 2 : 1 };
      putCase(ctx.state, next);
    },
  });
}

function reviewAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      case: TxRefSchema,
      approve: z.boolean(),
      reason: rules.v2 ? ReviewReasonSchema : NoteSchema,
    }),
    roles: ['reviewer'],
    ...privateNote(rules),
    apply(ctx, p) {
      const rec = load(ctx, p.case, ['assessed', 'appealed']);
      requireOwner(ctx, rec);
      if (ctx.signer.org === rec.hospital)
        refuse(
          'CONFLICT_OF_INTEREST',
          'nobody reviews a case from a hospital of their own organisation',
        );
      const earlier = rec.reviews.filter((r) => r.member === ctx.signer.member);
      if (earlier.some((r) => r.round === rec.round))
        refuse('ALREADY_REVIEWED', 'a second approval comes from a different reviewer');
      if (rec.state === 'appealed' && earlier.length > 0)
        refuse('ALREADY_REVIEWED', 'an appeal is re-reviewed by someone else');
      const reviews = [
        ...rec.reviews,
        {
          member: ctx.signer.member,
          org: ctx.signer.org,
          approve: p.approve,
          reason: p.reason,
          time: ctx.time,
          tx: ctx.txId,
          round: rec.round,
        },
      ];
      let next: CaseRecord = { ...rec, reviews };
      if (!p.approve) {
        next = { ...transition(ctx, next, 'rejected'), reason: 'reviewer-rejected' };
      } else {
        const approvals = reviews.filter((r) => r.round === rec.round && r.approve).length;
        if (approvals >= rec.reviewsNeeded) {
          // A case assessed under protocol 1 is matched by the hospital before it takes money.
          if (rules.v2 && rec.identified === undefined)
            refuse(
              'PATIENT_UNCONFIRMED',
              'the treating hospital has not matched the patient to its admission record',
            );
          next = approve(ctx, next);
        }
      }
      putCase(ctx.state, next);
    },
  });
}

function cancelAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      case: TxRefSchema,
      reason: rules.v2 ? CancelReasonSchema : NoteSchema,
    }),
    roles: ['program-manager'],
    ...privateNote(rules),
    apply(ctx, p) {
      const rec = load(ctx, p.case, [
        'submitted',
        'verified',
        'assessed',
        'appealed',
        ...(rules.v3 ? (['info-requested'] as const) : []),
        'waitlisted',
        'funded',
      ]);
      requireOwner(ctx, rec);
      putCase(ctx.state, {
        ...transition(ctx, releaseHoldings(ctx, rec), 'cancelled'),
        reason: p.reason,
      });
    },
  });
}

function disburseAction(rules: Rules) {
  return action({
    // From protocol 2 the payment reference is in the private part (see PaymentReferenceSchema).
    schema: rules.v2
      ? z.strictObject({ case: TxRefSchema })
      : z.strictObject({ case: TxRefSchema, reference: NoteSchema }),
    roles: ['finance'],
    ...(rules.v2 ? { private: 'optional' as const, facts: PaymentFactsSchema } : {}),
    apply(ctx, p) {
      const rec = load(ctx, p.case, ['funded']);
      requireOwner(ctx, rec);
      // A case approved under protocol 1 is paid only once its hospital has matched the patient.
      if (rules.v2 && rec.identified === undefined)
        refuse('PATIENT_UNCONFIRMED', 'the hospital has not matched this case’s patient');
      const amount = big(rec.amount!);
      post(
        ctx,
        account.payable(rec.program),
        account.reserved(rec.program),
        amount,
        `disburse case ${rec.id}`,
      );
      putCase(ctx.state, {
        ...transition(ctx, rec, 'disbursed'),
        payments: [
          ...rec.payments,
          {
            ...('reference' in p && typeof p.reference === 'string'
              ? { reference: p.reference }
              : {}),
            time: ctx.time,
            tx: ctx.txId,
          },
        ],
      });
    },
  });
}

/** Protocol 1, as it ran. */
export const cases: Contract = {
  name: 'cases',
  writes: ['funds/', 'claims/'],
  actions: {
    submit: action({
      schema: z.strictObject({
        program: SlugSchema,
        hospital: OrgRefSchema,
        /** Salted hashes of the documents the program asks for, by document name. */
        documents: z.record(SlugSchema, z.string().regex(/^[0-9a-f]{64}$/)).optional(),
      }),
      roles: APPLICANT_SIDE,
      private: 'required',
      facts: SubmitFactsSchema,
      apply(ctx, p) {
        const prog = getProgram(ctx.state, p.program);
        checkNotFrozen(ctx.state, {
          program: prog.id,
          orgs: [prog.owner, p.hospital, ctx.signer.org],
        });
        if (!prog.open) refuse('INVALID_STATE', `program ${prog.id} takes no applications now`);
        if (orgOf(ctx.state, p.hospital).type !== 'hospital')
          refuse('WRONG_ORG', `${p.hospital} is not a hospital`);
        if (ctx.signer.org !== '' && ctx.signer.org !== p.hospital)
          refuse('WRONG_ORG', 'a social worker applies for patients of their own hospital');
        const f = ctx.parseFacts(SubmitFactsSchema);
        parseNationalId(f.patient.kind, f.patient.id);
        const rec: CaseRecord = {
          id: ctx.txId,
          program: prog.id,
          owner: prog.owner,
          hospital: p.hospital,
          applicant:
            ctx.signer.org === ''
              ? { kind: 'account', key: ctx.signer.key }
              : { kind: 'member', member: ctx.signer.member },
          patient: patientKey(ctx.secrets, f.patient),
          state: 'submitted',
          submitted: ctx.time,
          updated: ctx.time,
          sources: { submit: { tx: ctx.txId, commitment: ctx.commitment! } },
          lines: [],
          reviews: [],
          round: 0,
          reviewsNeeded: 0,
          fundedBy: [],
          payments: [],
          appealed: false,
          history: [
            {
              state: 'submitted',
              time: ctx.time,
              tx: ctx.txId,
              by: ctx.signer.member || 'applicant',
            },
          ],
        };
        putCase(ctx.state, rec);
      },
    }),

    verify: verifyAction(V1),

    decline: declineAction(V1),

    assess: assessAction(V1),

    review: reviewAction(V1),

    appeal: action({
      schema: CaseRef,
      roles: APPLICANT_SIDE,
      private: 'optional',
      facts: z.strictObject({ statement: z.string().min(1).max(4000) }),
      apply(ctx, p) {
        const rec = load(ctx, p.case, ['rejected']);
        requireApplicantSide(ctx, rec);
        if (rec.appealed) refuse('INVALID_STATE', 'this case was appealed already, or cannot be');
        if (!rec.decision) refuse('INVALID_STATE', 'only a reviewed or assessed case is appealed');
        const amount = big(rec.decision.benefit.amount);
        const spec = getVersion(ctx.state, rec.program, rec.decision.version);
        putCase(ctx.state, {
          ...transition(ctx, rec, 'appealed'),
          appealed: true,
          round: rec.round + 1,
          reviewsNeeded: amount > big(spec.review.twoReviewersAbove) ? 2 : 1,
        });
      },
    }),

    withdraw: action({
      schema: CaseRef,
      roles: APPLICANT_SIDE,
      apply(ctx, p) {
        const rec = load(ctx, p.case, WITHDRAWABLE_STATES);
        requireApplicantSide(ctx, rec);
        putCase(ctx.state, {
          ...transition(ctx, releaseHoldings(ctx, rec), 'withdrawn'),
          reason: 'withdrawn',
        });
      },
    }),

    cancel: cancelAction(V1),

    disburse: disburseAction(V1),

    confirm: action({
      schema: CaseRef,
      roles: ['finance', 'clerk'],
      apply(ctx, p) {
        const rec = load(ctx, p.case, ['disbursed']);
        requireHospital(ctx, rec);
        post(
          ctx,
          account.paid(rec.program),
          account.payable(rec.program),
          big(rec.amount!),
          `paid case ${rec.id}`,
        );
        putCase(ctx.state, {
          ...transition(ctx, rec, 'confirmed'),
          payments: rec.payments.map((x) => ({ ...x, confirmed: ctx.time })),
        });
      },
    }),

    close: action({
      schema: z.strictObject({ case: TxRefSchema, outcome: z.enum(OUTCOMES) }),
      roles: HOSPITAL_STAFF,
      apply(ctx, p) {
        const rec = load(ctx, p.case, ['confirmed']);
        requireHospital(ctx, rec);
        putCase(ctx.state, { ...transition(ctx, rec, 'closed'), outcome: p.outcome });
      },
    }),

    feedback: action({
      schema: z.strictObject({ case: TxRefSchema, rating: z.number().int().min(1).max(5) }),
      roles: APPLICANT_SIDE,
      private: 'optional',
      facts: z.strictObject({ comment: z.string().min(1).max(4000) }),
      apply(ctx, p) {
        const rec = load(ctx, p.case, ['closed']);
        requireApplicantSide(ctx, rec);
        if (rec.feedback) refuse('ALREADY_EXISTS', 'feedback was given already');
        putCase(ctx.state, {
          ...rec,
          feedback: { rating: p.rating, time: ctx.time, tx: ctx.txId },
        });
      },
    }),
  },
};

/**
 * Protocol 2: the hospital matches the patient to its admission record, declared facts that
 * differ from attested ones go to a reviewer, and reasons are published codes with any words in
 * the private part.
 */
export const casesV2: Contract = {
  ...cases,
  actions: {
    ...cases.actions,
    verify: verifyAction(V2),
    /**
     * A case verified under protocol 1 has not had its patient matched: the hospital matches it
     * now, from its admission record, before the case is assessed, approved or paid.
     */
    identify: action({
      schema: CaseRef,
      roles: HOSPITAL_STAFF,
      private: 'required',
      facts: IdentifyFactsSchema,
      apply(ctx, p) {
        const rec = load(ctx, p.case, ['verified', 'assessed', 'appealed', 'waitlisted', 'funded']);
        requireHospital(ctx, rec);
        if (rec.identified !== undefined)
          refuse('INVALID_STATE', 'the hospital has matched this case’s patient already');
        matchPatient(ctx, rec, ctx.parseFacts(IdentifyFactsSchema).patient);
        putCase(ctx.state, { ...rec, identified: ctx.txId });
      },
    }),
    decline: declineAction(V2),
    assess: assessAction(V2),
    review: reviewAction(V2),
    cancel: cancelAction(V2),
    disburse: disburseAction(V2),
  },
};

/** Protocol 3's cancellation: also of a case that waits for information. */
export const cancelV3 = cancelAction(V3);

export { caseKeys, isFrozenCase, load, requireApplicantSide, requireHospital, requireOwner };
