/**
 * The AidLedger SDK: build and sign transactions, submit, fetch and verify receipts, witness, and
 * sign in to read medical-aid programs, donation traces and cases.
 */
export { AidClient, type Outcome, type ClientOptions } from './client.js';
export { buildSubmission, type TxSpec } from './build.js';
export { witnessStep, type WitnessState, type WitnessStep } from './witness.js';
export { auditLog, type AuditReport, type AuditOptions } from './audit.js';
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
  getCase,
  explainCase,
  caseSources,
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
} from '../domains/aid/client.js';
export { LANGS, type Lang } from '../domains/aid/text.js';
export {
  verifyReceipt,
  ReceiptSchema,
  type Receipt,
  type ReceiptVerdict,
  type StepResult,
} from '../chain/receipt.js';
export { verifyCheckpoint, parsePolicy, type Policy } from '../chain/policy.js';
export {
  privateCommitment,
  signTx,
  txIdOf,
  type SignedTx,
  type Submission,
  type PrivatePart,
} from '../chain/tx.js';
export { canonicalJson } from '../core/canonical.js';
export { randomSeed, publicKeyFromSeed } from '../core/ed25519.js';
export { AidError, type ErrorCode } from '../core/errors.js';
export { toHex, fromHex } from '../core/bytes.js';
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
} from '../domains/aid/application.js';
export { compileRule, loadRules, type CompiledRule, type Facts } from '../domains/aid/rules.js';
export {
  FACT_LABELS,
  STATE_LABELS,
  OUTCOME_LABELS,
  REASON_LABELS,
  SOURCE_LABELS,
  STEP_LABELS,
} from '../domains/aid/text.js';
export {
  CANCEL_REASONS,
  DECLINE_REASONS,
  FREEZE_REASONS,
  RETURN_REASONS,
  REVIEW_REASONS,
  UNFREEZE_REASONS,
} from '../domains/aid/reasons.js';
export {
  CASE_STATES,
  WITHDRAWABLE_STATES,
  type CaseState,
  type Explanation,
} from '../domains/aid/types.js';
export { parseLeaf, type Leaf, type TxLeaf, type BlockLeaf, type TxResult } from '../chain/leaf.js';
export type {
  BlockSummary,
  BlocksPage,
  BlockTx,
  BlockDetail,
  TxView,
  LogEntry,
  KeyHolder,
  CheckpointRow,
  CheckpointsPage,
} from '../chain/explorer-types.js';
export { parseNote, parseCheckpoint, type Note, type CheckpointBody } from '../core/note.js';
export { MINOR_DIGITS } from '../core/money.js';
export { toBase64, fromBase64, utf8, fromUtf8 } from '../core/bytes.js';
export { sha256 } from '../core/hash.js';
export type { Names } from '../chain/schemas.js';
export { ORG_TYPES, type OrgType } from '../chain/genesis.js';
export { publicDonations, recentActivity, fundFlows, governance } from '../domains/aid/client.js';
export type {
  PublicProgramSummary,
  ProgramView,
  Donor,
  DonationTrace,
  PublicDonation,
  Disbursement,
  FlowEnd,
  FundFlow,
} from '../domains/aid/public-types.js';
export type { OrgView, Governance } from '../domains/membership/types.js';
