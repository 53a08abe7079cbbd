/** What the SDK exports of medical aid: client functions, wire types and words (browser-safe). */
export {
  AUTH_CONTEXT,
  authText,
  signIn,
  readSignedIn,
  publicPrograms,
  programs,
  program,
  programVersion,
  donationTrace,
  listCases,
  caseCounts,
  getCase,
  openCaseCheck,
  explainCase,
  caseSources,
  previewProgram,
  type PreviewChange,
  type ProgramPreview,
  type ProgramCondition,
  type ProgramDefinition,
  type ProgramDetail,
  type CaseFilter,
  type CaseRow,
  type CasePage,
  type FundedBy,
  type ConditionResult,
  type BenefitSteps,
  type CaseRecord,
  type CaseView,
  type CaseExplanation,
  type AssessmentSources,
} from './client.js';
export { LANGS, type Lang } from './text.js';
export {
  AmountSchema,
  FACTS,
  FACT_NAMES,
  NationalIdSchema,
  PersonFactsSchema,
  SubmitFactsSchema,
  ValidNationalIdSchema,
  declaredFacts,
  type FactName,
  type PersonFacts,
  type SubmitFacts,
} from './application.js';
export { compileRule, loadRules, type CompiledRule, type Facts } from './rules.js';
export {
  FACT_LABELS,
  STATE_LABELS,
  OUTCOME_LABELS,
  REASON_LABELS,
  SOURCE_LABELS,
  STEP_LABELS,
} from './text.js';
export {
  CANCEL_REASONS,
  INFO_REASONS,
  DECLINE_REASONS,
  FREEZE_REASONS,
  RETURN_REASONS,
  REVIEW_REASONS,
  UNFREEZE_REASONS,
} from './reasons.js';
export {
  CASE_STATES,
  ENDED_STATES,
  WITHDRAWABLE_STATES,
  type CaseState,
  type Explanation,
} from './types.js';
export { publicDonations, recentActivity, fundFlows, governance } from './client.js';
export type {
  PublicProgramSummary,
  ProgramView,
  Donor,
  DonationTrace,
  PublicDonation,
  Disbursement,
  FlowEnd,
  FundFlow,
} from './public-types.js';
export { caseReference, parseCaseReference, type ReferencePrefix } from './reference.js';
export { FhirImportError, linesFromFhir, type ImportedLine } from './fhir-claim.js';
export { attestationsFromCsv, MAX_ATTEST_ROWS, type AttestRow } from './attest-csv.js';
