/**
 * The AidLedger SDK: build and sign transactions, submit, fetch and verify receipts, witness, and
 * sign in to read medical-aid programs, donation traces and cases.
 */
export { AidClient, type Outcome, type ClientOptions } from './client.js';
export { followEvents, type Change, type EventHandlers } from './events.js';
// Every domain's part: its client functions, wire types and words (src/domains/sdk.ts).
export * from '../domains/sdk.js';
export { buildSubmission, type TxSpec } from './build.js';
export { witnessStep, type WitnessState, type WitnessStep } from './witness.js';
export { auditLog, type AuditReport, type AuditOptions } from './audit.js';
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
export { AidError, EXECUTION_CODES, type ErrorCode, type ExecutionCode } from '../core/errors.js';
export { toHex, fromHex } from '../core/bytes.js';
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
