/**
 * The shapes of medical-aid records as the contracts keep them and the API serves them, as zod
 * schemas: shared by the contracts, the node, the API's document and the SDK (which runs in
 * browsers), so a reader and a writer never disagree on a field.
 */
import { z } from 'zod';
import { LANGS } from './text.js';

export const CASE_STATES = [
  'submitted',
  'verified',
  'assessed',
  'rejected',
  'appealed',
  'info-requested',
  'waitlisted',
  'funded',
  'disbursed',
  'confirmed',
  'closed',
  'withdrawn',
  'cancelled',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/**
 * The states in which a case is over: from protocol 3 a patient may have one case in a program
 * that is in none of these (a rejected case counts as over until it is appealed).
 */
export const ENDED_STATES = [
  'rejected',
  'closed',
  'withdrawn',
  'cancelled',
] as const satisfies readonly CaseState[];

/** The states from which the applicant's side may withdraw a case (`cases.withdraw`). */
export const WITHDRAWABLE_STATES = [
  'submitted',
  'verified',
  'assessed',
  'appealed',
  // From protocol 3 (no case of an older version is ever in it).
  'info-requested',
  'rejected',
  'waitlisted',
  'funded',
] as const satisfies readonly CaseState[];

export const OUTCOMES = [
  'treatment-completed',
  'improved',
  'transferred',
  'discharged-against-advice',
  'deceased',
  'other',
] as const;

/** An amount on the wire: a decimal string of minor units. */
export const AmountTextSchema = z.string().describe('decimal string of minor units');
/** A time on the wire: milliseconds since the epoch. */
export const TimeSchema = z.number().int().describe('ms since the epoch');
const amount = AmountTextSchema;
const time = TimeSchema;

export const ApplicantSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), key: z.string() }),
  z.object({ kind: z.literal('member'), member: z.string() }),
]);
export type Applicant = z.infer<typeof ApplicantSchema>;

export const ConditionResultSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  reason: z
    .enum(['false', 'missing-fact', 'not-attested', 'error'])
    .exactOptional()
    .describe('why it did not pass: the rule was false, a fact was missing or not attested'),
  detail: z.string().exactOptional(),
  facts: z
    .array(
      z.object({
        name: z.string(),
        source: z.enum(['declared', 'attested', 'missing']),
        tx: z.string().exactOptional(),
        by: z.string().exactOptional(),
        byType: z.string().exactOptional(),
      }),
    )
    .describe('the facts the rule read, where each came from; values stay in the private parts'),
});
export type ConditionResult = z.infer<typeof ConditionResultSchema>;

export const BenefitStepsSchema = z.object({
  expense: amount.describe('the sum of the lines net of insurance'),
  claimedElsewhere: amount.describe('the part of that other cases already hold'),
  deductible: amount,
  afterDeductible: amount,
  rateBp: z.number().int(),
  rated: amount,
  perCaseCap: amount,
  perPatientYearCap: amount,
  usedThisYear: amount.describe('what this patient already has from the program in the year'),
  year: z.number().int(),
  amount,
  unguarded: amount.describe('what the formula gives if no other case had claimed these lines'),
});
export type BenefitSteps = z.infer<typeof BenefitStepsSchema>;

export const DecisionSchema = z.object({
  version: z.number().int(),
  tx: z.string(),
  time,
  eligible: z.boolean(),
  conditions: z.array(ConditionResultSchema),
  benefit: BenefitStepsSchema,
  review: z
    .enum(['auto', 'one', 'two'])
    .describe('how the case is reviewed: automatically, or by one or two reviewers'),
  /**
   * From protocol 2: the facts the applicant declared with a value other than the attested one
   * (names only, never values). Any of them sends the case to a reviewer.
   */
  differences: z.array(z.string()).exactOptional(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const ReviewSchema = z.object({
  member: z.string(),
  org: z.string(),
  approve: z.boolean(),
  reason: z.string(),
  time,
  tx: z.string(),
  round: z.number().int(),
});
export type Review = z.infer<typeof ReviewSchema>;

export const SourceSchema = z.object({ tx: z.string(), commitment: z.string() });
export type Source = z.infer<typeof SourceSchema>;

export const LotSourceSchema = z.object({
  kind: z.enum(['donation', 'allocation']),
  id: z.string(),
});
export type LotSource = z.infer<typeof LotSourceSchema>;

export const FundedBySchema = z.object({
  lot: z.number().int(),
  /** The number of the lot's use record for this case (`funds/use/<program>/<lot>/<use>`). */
  use: z.number().int(),
  source: LotSourceSchema,
  amount,
});
export type FundedBy = z.infer<typeof FundedBySchema>;

/** A line of a case: its fingerprint and its amount net of insurance. */
export const CaseLineSchema = z.object({ fp: z.string(), net: amount });
export type CaseLine = z.infer<typeof CaseLineSchema>;

const HistoryStepSchema = z.object({
  state: z.enum(CASE_STATES),
  time,
  tx: z.string(),
  by: z.string(),
});

export const CaseRecordSchema = z
  .object({
    id: z.string(),
    program: z.string(),
    owner: z.string(),
    hospital: z.string(),
    applicant: ApplicantSchema,
    patient: z
      .string()
      .describe('a keyed hash of the patient pseudonym: recognises the patient across programs'),
    state: z.enum(CASE_STATES),
    submitted: time,
    updated: time,
    sources: z.object({
      submit: SourceSchema,
      verify: SourceSchema.extend({ member: z.string() }).exactOptional(),
    }),
    /**
     * From protocol 2: the transaction in which the treating hospital matched the patient's ID
     * number from its admission record to the application's (`cases.verify` or `cases.identify`).
     * Until then the case uses no attested fact, charges no yearly cap and is not assessed.
     */
    identified: z.string().exactOptional(),
    lines: z.array(CaseLineSchema),
    decision: DecisionSchema.exactOptional(),
    reviews: z.array(ReviewSchema),
    round: z.number().int(),
    reviewsNeeded: z.number().int(),
    amount: amount.exactOptional().describe('approved amount, once approved'),
    reducedFrom: amount.exactOptional().describe('the amount before the claims guard reduced it'),
    /** The formula again at approval, when other cases had taken lines since the assessment. */
    approvedWith: BenefitStepsSchema.exactOptional(),
    year: z.number().int().exactOptional(),
    waitSeq: z.number().int().exactOptional(),
    fundedBy: z.array(FundedBySchema),
    /** `reference` only under protocol 1; from protocol 2 it is in the disbursement's private part. */
    payments: z.array(
      z.object({
        reference: z.string().exactOptional(),
        time,
        tx: z.string(),
        confirmed: time.exactOptional(),
      }),
    ),
    reason: z.string().exactOptional(),
    outcome: z.enum(OUTCOMES).exactOptional(),
    feedback: z.object({ rating: z.number().int(), time, tx: z.string() }).exactOptional(),
    appealed: z.boolean(),
    history: z.array(HistoryStepSchema),
    /**
     * From protocol 3: each time the case was bound to another applicant account (the family's
     * new phone), who did it (a member of the treating hospital, or `applicant`) and when.
     */
    recovered: z.array(z.object({ time, tx: z.string(), by: z.string() })).exactOptional(),
    /**
     * From protocol 3: each time a reviewer asked for more information (a published reason code,
     * and whether the applicant's side or the hospital answers), and the answer when given. The
     * case waits in `info-requested` and returns to `returnTo` when answered.
     */
    infoRequests: z
      .array(
        z.object({
          reason: z.string(),
          from: z.enum(['applicant', 'hospital']),
          returnTo: z.enum(CASE_STATES),
          asked: z.object({ time, tx: z.string(), by: z.string() }),
          answered: z.object({ time, tx: z.string(), by: z.string() }).exactOptional(),
        }),
      )
      .exactOptional(),
  })
  .meta({ id: 'CaseRecord' });
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

export const ExplanationSchema = z
  .object({
    case: z.string(),
    program: z.string(),
    programName: z.string(),
    version: z.number().int(),
    lang: z.enum(LANGS),
    state: z.string(),
    stateLabel: z.string(),
    eligible: z.boolean(),
    reason: z.string().exactOptional(),
    reasonLabel: z.string().exactOptional(),
    review: z.enum(['auto', 'one', 'two']),
    conditions: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        expr: z.string(),
        passed: z.boolean(),
        reason: z.string().exactOptional(),
        reasonLabel: z.string().exactOptional(),
        detail: z.string().exactOptional(),
        facts: z.array(
          z.object({
            name: z.string(),
            label: z.string(),
            source: z.string(),
            sourceLabel: z.string(),
            by: z.string().exactOptional(),
            value: z
              .unknown()
              .exactOptional()
              .describe("the value the rule read: for the program's staff and regulators only"),
            declared: z
              .unknown()
              .exactOptional()
              .describe(
                'for the applicant: the value they declared for this fact, when an attested ' +
                  'value was used instead (applicants never see attested values)',
              ),
          }),
        ),
      }),
    ),
    differences: z
      .array(z.object({ name: z.string(), label: z.string() }))
      .exactOptional()
      .describe('from protocol 2: declared facts an attested value contradicted (names only)'),
    amount: z.object({
      currency: z.string(),
      steps: z.array(z.object({ step: z.string(), label: z.string(), value: z.string() })),
      granted: amount,
      atApproval: amount
        .exactOptional()
        .describe('what was left to grant at approval, when less than at assessment'),
      approved: amount.exactOptional(),
      reducedFrom: amount.exactOptional(),
    }),
    reviews: z.array(
      z.object({
        member: z.string(),
        org: z.string(),
        approve: z.boolean(),
        reason: z
          .string()
          .describe('a published code of REVIEW_REASONS from protocol 2; free text under 1'),
        reasonLabel: z.string().exactOptional(),
        time,
      }),
    ),
    shown: z
      .enum(['all', 'declared', 'none'])
      .describe(
        "which fact values were shown: all to the program's staff and regulators, declared to " +
          'the applicant, none to the treating hospital or when the private parts were erased',
      ),
    values: z.boolean().describe('true when any values were shown'),
  })
  .meta({ id: 'Explanation' });
export type Explanation = z.infer<typeof ExplanationSchema>;

/** One row of a case list: where a case stands, without its record. */
export const CaseRowSchema = CaseRecordSchema.pick({
  id: true,
  program: true,
  owner: true,
  hospital: true,
  state: true,
  submitted: true,
  updated: true,
});
export type CaseRow = z.infer<typeof CaseRowSchema>;

/** A page of cases, newest first; `nextCursor` is there when more may follow. */
export const CasePageSchema = z.object({
  cases: z.array(CaseRowSchema),
  nextCursor: z.string().exactOptional().describe('where the next page starts'),
});
export type CasePage = z.infer<typeof CasePageSchema>;

/** A case as the contracts keep it, the lots that paid it, and its place on the waitlist. */
export const CaseViewSchema = z.object({
  case: CaseRecordSchema,
  funding: z.array(FundedBySchema).describe('the lots that paid the case'),
  waitlist: z
    .object({ position: z.number().int(), ahead: z.number().int() })
    .exactOptional()
    .describe("for a waitlisted case: its place in the program's queue (1 = funded next)"),
  frozen: z
    .object({
      reason: z.string().describe('a code of FREEZE_REASONS from protocol 2; free text under 1'),
      by: z.string().describe('the regulator who froze it'),
      org: z.string(),
      time,
      tx: z.string(),
    })
    .exactOptional()
    .describe(
      'while a regulator holds the case frozen: who froze it, when and why (public on the ledger already)',
    ),
});
export type CaseView = z.infer<typeof CaseViewSchema>;

/**
 * The private parts an assessment carries, salts and all: submitted as the private facts of
 * `cases.assess` exactly as they come.
 */
export const AssessmentSourcesSchema = z.object({
  sources: z.array(
    z.object({ tx: z.string(), salt: z.string(), facts: z.record(z.string(), z.unknown()) }),
  ),
});
export type AssessmentSources = z.infer<typeof AssessmentSourcesSchema>;
