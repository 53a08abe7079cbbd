/**
 * The shapes of medical-aid records as the contracts keep them and the API serves them: shared
 * by the contracts, the node and the SDK (which runs in browsers and may import only core and
 * chain), so a reader and a writer never disagree on a field.
 */
import type { Lang } from './text.js';

export const CASE_STATES = [
  'submitted',
  'verified',
  'assessed',
  'rejected',
  'appealed',
  'waitlisted',
  'funded',
  'disbursed',
  'confirmed',
  'closed',
  'withdrawn',
  'cancelled',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** The states from which the applicant's side may withdraw a case (`cases.withdraw`). */
export const WITHDRAWABLE_STATES = [
  'submitted',
  'verified',
  'assessed',
  'appealed',
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

export type Applicant = { kind: 'account'; key: string } | { kind: 'member'; member: string };

export interface ConditionResult {
  name: string;
  passed: boolean;
  /** Why it did not pass: the rule was false, a fact was missing, a fact was not attested. */
  reason?: 'false' | 'missing-fact' | 'not-attested' | 'error';
  detail?: string;
  /** The facts the rule read, where each came from; values stay in the private parts. */
  facts: {
    name: string;
    source: 'declared' | 'attested' | 'missing';
    tx?: string;
    by?: string;
    byType?: string;
  }[];
}

export interface BenefitSteps {
  /** Σ of the lines net of insurance. */
  expense: string;
  /** The part of that other cases already hold. */
  claimedElsewhere: string;
  deductible: string;
  afterDeductible: string;
  rateBp: number;
  rated: string;
  perCaseCap: string;
  perPatientYearCap: string;
  /** What this patient already has from the program in the year. */
  usedThisYear: string;
  year: number;
  amount: string;
  /** What the formula gives if no other case had claimed these lines. */
  unguarded: string;
}

export interface Decision {
  version: number;
  tx: string;
  time: number;
  eligible: boolean;
  conditions: ConditionResult[];
  benefit: BenefitSteps;
  /** How the case is reviewed: automatically, or by one or two reviewers. */
  review: 'auto' | 'one' | 'two';
  /**
   * From protocol 2: the facts the applicant declared with a value other than the attested one
   * (names only, never values). Any of them sends the case to a reviewer.
   */
  differences?: string[];
}

export interface Review {
  member: string;
  org: string;
  approve: boolean;
  reason: string;
  time: number;
  tx: string;
  round: number;
}

export interface Source {
  tx: string;
  commitment: string;
}

export interface CaseRecord {
  id: string;
  program: string;
  owner: string;
  hospital: string;
  applicant: Applicant;
  /** A keyed hash of the patient pseudonym: recognises the patient across programs. */
  patient: string;
  state: CaseState;
  submitted: number;
  updated: number;
  sources: { submit: Source; verify?: Source & { member: string } };
  /**
   * From protocol 2: the transaction in which the treating hospital matched the patient's ID
   * number from its admission record to the application's (`cases.verify` or `cases.identify`).
   * Until then the case uses no attested fact, charges no yearly cap and is not assessed.
   */
  identified?: string;
  lines: CaseLine[];
  decision?: Decision;
  reviews: Review[];
  round: number;
  reviewsNeeded: number;
  /** Approved amount, once approved. */
  amount?: string;
  /** The amount before the claims guard reduced it. */
  reducedFrom?: string;
  /** The formula again at approval, when other cases had taken lines since the assessment. */
  approvedWith?: BenefitSteps;
  year?: number;
  waitSeq?: number;
  fundedBy: FundedBy[];
  /** `reference` only under protocol 1; from protocol 2 it is in the disbursement's private part. */
  payments: { reference?: string; time: number; tx: string; confirmed?: number }[];
  reason?: string;
  outcome?: (typeof OUTCOMES)[number];
  feedback?: { rating: number; time: number; tx: string };
  appealed: boolean;
  history: { state: CaseState; time: number; tx: string; by: string }[];
}

export interface LotSource {
  kind: 'donation' | 'allocation';
  id: string;
}

export interface FundedBy {
  lot: number;
  /** The number of the lot's use record for this case (`funds/use/<program>/<lot>/<use>`). */
  use: number;
  source: LotSource;
  amount: string;
}

/** A line of a case: its fingerprint and its amount net of insurance. */
export interface CaseLine {
  fp: string;
  net: string;
}

export interface Explanation {
  case: string;
  program: string;
  programName: string;
  version: number;
  lang: Lang;
  state: string;
  stateLabel: string;
  eligible: boolean;
  reason?: string;
  reasonLabel?: string;
  review: 'auto' | 'one' | 'two';
  conditions: {
    name: string;
    label: string;
    expr: string;
    passed: boolean;
    reason?: string;
    reasonLabel?: string;
    detail?: string;
    facts: {
      name: string;
      label: string;
      source: string;
      sourceLabel: string;
      by?: string;
      /** The value the rule read: for the program's staff and regulators only. */
      value?: unknown;
      /**
       * For the applicant: the value they declared for this fact, when an attested value was
       * used instead. Applicants never see attested values.
       */
      declared?: unknown;
    }[];
  }[];
  /** From protocol 2: declared facts an attested value contradicted (names, never values). */
  differences?: { name: string; label: string }[];
  amount: {
    currency: string;
    steps: { step: string; label: string; value: string }[];
    granted: string;
    /** What was left to grant at approval, when less than at assessment. */
    atApproval?: string;
    approved?: string;
    reducedFrom?: string;
  };
  reviews: {
    member: string;
    org: string;
    approve: boolean;
    /** A published code of REVIEW_REASONS from protocol 2; free text under protocol 1. */
    reason: string;
    reasonLabel?: string;
    time: number;
  }[];
  /**
   * Which fact values were shown: `all` to the program's staff and regulators, `declared` (only
   * what the applicant declared) to the applicant, `none` to the treating hospital or when the
   * private parts were erased. `values` is true when any were shown.
   */
  shown: 'all' | 'declared' | 'none';
  values: boolean;
}

/** One row of a case list: where a case stands, without its record. */
export interface CaseRow {
  id: string;
  program: string;
  owner: string;
  hospital: string;
  state: CaseState;
  submitted: number;
  updated: number;
}
