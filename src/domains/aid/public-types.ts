/**
 * The shapes of the public medical-aid reads (`/v1/public/…`, `/v1/programs`): programs and their
 * money, donations, payments to hospitals, fund flows and traces. The node's queries build them,
 * the API documents them and the SDK returns them, all from these schemas, so both sides name the
 * same fields once. None carries personal data. Amounts are minor units as decimal strings.
 */
import { z } from 'zod';
import { NamesSchema } from '../../chain/schemas.js';
import { ProgramVersionSchema } from './contracts/programs.js';
import {
  AmountTextSchema,
  CaseRecordSchema,
  CaseRowSchema,
  FundedBySchema,
  TimeSchema,
} from './types.js';

const amount = AmountTextSchema;
const time = TimeSchema;

/**
 * A program as the public portal lists it (`GET /v1/public/programs`): its money, no personal
 * data. There `received` is net of money returned, so that received = available + committed + paid.
 */
export const PublicProgramSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  budget: amount,
  received: amount,
  committed: amount.describe('reserved for cases or sent, not yet confirmed'),
  paid: amount,
  available: amount,
});
export type PublicProgramSummary = z.infer<typeof PublicProgramSummarySchema>;

/** A program with its owner, version, status and money (`GET /v1/programs`); `received` is gross. */
export const ProgramViewSchema = PublicProgramSummarySchema.extend({
  owner: z.string(),
  names: NamesSchema,
  version: z.number().int(),
  open: z.boolean(),
  frozen: z.boolean(),
  returned: amount,
  cases: z.record(z.string(), z.number().int()).describe('cases by state'),
}).meta({ id: 'ProgramView' });
export type ProgramView = z.infer<typeof ProgramViewSchema>;

/** Who gave: an organisation, a person under the alias they chose, or nobody named. */
export const DonorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('org'), org: z.string() }),
  z.object({ kind: z.literal('person'), alias: z.string() }),
  z.object({ kind: z.literal('anonymous') }),
]);
export type Donor = z.infer<typeof DonorSchema>;

/** A donation as anyone may see it: the donor by kind, organisation or chosen alias. */
export const PublicDonationSchema = z
  .object({
    id: z.string().describe('the donations.receive transaction'),
    org: z.string().describe('the organisation that received it'),
    donor: DonorSchema,
    amount,
    currency: z.string(),
    program: z
      .string()
      .nullable()
      .describe('null for a general donation, which the organisation assigns later'),
    time,
  })
  .meta({ id: 'PublicDonation' });
export type PublicDonation = z.infer<typeof PublicDonationSchema>;

/** Money sent to a hospital for a case: the `cases.disburse` transaction. */
export const DisbursementSchema = z.object({
  tx: z.string().describe('the cases.disburse transaction'),
  time,
  case: z.string(),
  program: z.string(),
  hospital: z.string(),
  amount,
  currency: z.string(),
  confirmed: time.exactOptional().describe('when the hospital confirmed it received the money'),
});
export type Disbursement = z.infer<typeof DisbursementSchema>;

/** One end of a stream of money on the public fund-flow diagram. */
export const FlowEndSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('donors'), donor: z.enum(['org', 'person', 'anonymous']) }),
    z.object({ kind: z.literal('allocation'), org: z.string() }),
    z.object({ kind: z.literal('unassigned'), org: z.string() }),
    z.object({ kind: z.literal('program'), program: z.string() }),
    z.object({ kind: z.literal('hospital'), org: z.string() }),
    z.object({ kind: z.literal('available') }),
    z.object({ kind: z.literal('returned') }),
  ])
  .describe(
    'donors of one kind together (no donor is named), budget an organisation allocated to its ' +
      'own program, general donations an organisation has not assigned, a program, a hospital, ' +
      "a program's pool not yet committed (available), or money given back (returned)",
  );
export type FlowEnd = z.infer<typeof FlowEndSchema>;

/**
 * A stream of money between two ends, in one currency. Into a program: what its lots received
 * from that source; out of it: what its cases at a hospital hold (`committed` = set aside or sent
 * and not yet confirmed, `paid` = confirmed by the hospital), what is still available, what was
 * returned. So for every program, what flows in equals what flows out.
 */
export const FundFlowSchema = z.object({
  from: FlowEndSchema,
  to: FlowEndSchema,
  currency: z.string(),
  amount,
  committed: amount.exactOptional().describe('to a hospital: set aside or sent'),
  paid: amount.exactOptional().describe('to a hospital: confirmed received'),
});
export type FundFlow = z.infer<typeof FundFlowSchema>;

/** Where a donation's or an allocation's money went, lot by lot and case by case. */
export const DonationTraceSchema = z.object({
  kind: z.enum(['donation', 'allocation']),
  id: z.string(),
  org: z.string(),
  amount,
  program: z.string().nullable(),
  time,
  donor: DonorSchema.exactOptional().describe('of a donation'),
  currency: z.string().exactOptional(),
  unassigned: amount.exactOptional(),
  rail: z.string().exactOptional(),
  reference: z.string().exactOptional().describe('of an allocation'),
  spent: amount.describe('what cases hold of it'),
  lots: z.array(
    z.object({
      program: z.string(),
      lot: z.number().int(),
      amount,
      remaining: amount,
      returned: amount,
      cases: z.array(
        z.object({
          case: z.string(),
          amount,
          state: z.string(),
          stateLabel: z.string(),
          hospital: z.string(),
          paid: z.boolean().describe('the hospital confirmed it received the money'),
          steps: z
            .array(z.object({ state: z.string(), stateLabel: z.string(), time, tx: z.string() }))
            .describe("the transactions that moved the case's money"),
        }),
      ),
    }),
  ),
});
export type DonationTrace = z.infer<typeof DonationTraceSchema>;

/** A program with its current rules, the facts each condition reads, and its versions. */
export const ProgramDetailSchema = ProgramViewSchema.extend({
  definition: ProgramVersionSchema,
  conditionFacts: z
    .record(z.string(), z.array(z.string()))
    .describe('the facts each condition of the definition reads, by condition name'),
  versions: z.array(z.object({ version: z.number().int(), tx: z.string(), time })),
});
export type ProgramDetail = z.infer<typeof ProgramDetailSchema>;

/** The latest donations received and payments sent to hospitals, newest first. */
export const RecentActivitySchema = z.object({
  donations: z.array(PublicDonationSchema),
  disbursements: z.array(DisbursementSchema),
});
export type RecentActivity = z.infer<typeof RecentActivitySchema>;

/** What the public may see of a case: no patient, no facts, only its path and its money. */
export const PublicCaseSchema = CaseRowSchema.extend({
  stateLabel: z.string(),
  amount: CaseRecordSchema.shape.amount,
  reducedFrom: CaseRecordSchema.shape.reducedFrom,
  outcome: CaseRecordSchema.shape.outcome,
  outcomeLabel: z.string().optional(),
  history: CaseRecordSchema.shape.history,
}).meta({ id: 'PublicCase' });
export type PublicCase = z.infer<typeof PublicCaseSchema>;

/** A page of public cases, newest first; `nextCursor` is there when more may follow. */
export const PublicCasePageSchema = z.object({
  cases: z.array(PublicCaseSchema),
  nextCursor: z.string().exactOptional(),
});

/** One public case and the donations and allocations that paid it. */
export const PublicCaseDetailSchema = PublicCaseSchema.extend({
  funding: z.array(FundedBySchema),
});
