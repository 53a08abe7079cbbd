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
  type PublicProgramSummary,
  type ProgramView,
  type ProgramCondition,
  type ProgramDefinition,
  type ProgramDetail,
  type Donor,
  type DonationTrace,
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
} from './aid.js';
export { LANGS, type Lang } from '../chain/aid-text.js';
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
