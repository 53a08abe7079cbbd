/**
 * The shapes of the log's and the block explorer's reads: what a submission comes back with,
 * blocks and their transactions, one transaction, what sits at a log index, who holds a signing
 * key, the checkpoints a node signed, and the log's entries and proofs. The ledger and the API
 * build them, the API documents them and the SDK's client returns them, all from these schemas,
 * so the node and the browser name the same fields once. Hashes, keys and ids are lowercase hex.
 */
import { z } from 'zod';
import { TxResultSchema } from './leaf.js';
import { SignedTxSchema } from './tx.js';

const int = z.number().int().min(0);

/** What a committed submission comes back with (`POST /v1/tx`, each of `POST /v1/txs`). */
export const OutcomeSchema = z
  .object({
    id: z.string().describe('transaction id (hex SHA-256 of its RFC 8785 bytes)'),
    height: int,
    index: int.describe('log index of its leaf'),
    result: TxResultSchema,
    duplicate: z
      .boolean()
      .exactOptional()
      .describe('already committed before; this is the original outcome'),
  })
  .meta({ id: 'Outcome' });
export type Outcome = z.infer<typeof OutcomeSchema>;

/** A block as `GET /v1/blocks` lists it. */
export const BlockSummarySchema = z
  .object({
    height: int,
    time: int,
    protocol: int,
    txs: int,
    first: int.describe(
      "log index of the block's first transaction leaf (or of its block leaf when empty)",
    ),
    leaf: int.describe("log index of the block's closing leaf"),
    prev: z.string(),
    state: z.string(),
    hash: z.string(),
    proposer: z
      .string()
      .describe('the organisation whose node proposed the batch ("genesis" for block 0)'),
    batch: z.string(),
  })
  .meta({ id: 'BlockSummary' });
export type BlockSummary = z.infer<typeof BlockSummarySchema>;

/** A page of blocks, oldest first, with the height of the newest block the node has. */
export const BlocksPageSchema = z.object({ height: int, blocks: z.array(BlockSummarySchema) });
export type BlocksPage = z.infer<typeof BlocksPageSchema>;

/** A transaction in a block's list: its id, log index, type, signer and result. */
export const BlockTxSchema = z.object({
  id: z.string(),
  index: int,
  type: z.string(),
  signer: z.string(),
  result: TxResultSchema,
});
export type BlockTx = z.infer<typeof BlockTxSchema>;

/** One block with its transactions (`GET /v1/blocks/{height}`). */
export const BlockDetailSchema = BlockSummarySchema.extend({
  transactions: z.array(BlockTxSchema),
}).meta({ id: 'BlockDetail' });
export type BlockDetail = z.infer<typeof BlockDetailSchema>;

/** One transaction as signed, with its result, block and log index (`GET /v1/tx/{id}`). */
export const TxViewSchema = z.object({
  id: z.string(),
  tx: SignedTxSchema,
  result: TxResultSchema,
  height: int,
  index: int,
});
export type TxView = z.infer<typeof TxViewSchema>;

/** What sits at one log index: a transaction's leaf or a block's closing leaf. */
export const LogEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    index: int,
    kind: z.literal('tx'),
    id: z.string().describe('transaction id'),
    height: int.describe('the block it was executed in'),
  }),
  z.object({
    index: int,
    kind: z.literal('block'),
    height: int.describe('the block this leaf closes'),
  }),
]);
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** Who holds a signing key: a member of an organisation, an applicant, or a node. */
export const KeyHolderSchema = z.discriminatedUnion('kind', [
  z.object({
    key: z.string(),
    kind: z.literal('member'),
    member: z.string().describe('member id <org>/<name>'),
    org: z.string().nullable(),
    roles: z.array(z.string()).describe('the roles the key signs with now'),
    status: z
      .enum(['active', 'revoked'])
      .describe('revoked: the key was rotated or revoked and signs nothing more'),
  }),
  z.object({ key: z.string(), kind: z.literal('applicant'), status: z.enum(['active', 'closed']) }),
  z.object({
    key: z.string(),
    kind: z.literal('node'),
    org: z.string(),
    status: z.literal('active'),
  }),
]);
export type KeyHolder = z.infer<typeof KeyHolderSchema>;

/** A checkpoint a node signed, with the organisations whose signature lines its note carries. */
export const CheckpointRowSchema = z.object({
  size: int,
  root: z.string().describe('hex Merkle root'),
  signers: z
    .array(z.string())
    .describe('names on the signature lines, as claimed: verify the note under the policy'),
  note: z.string().describe('the C2SP signed note'),
});
export type CheckpointRow = z.infer<typeof CheckpointRowSchema>;

/** A page of checkpoints, newest first, with the node's log size. */
export const CheckpointsPageSchema = z.object({
  size: int.describe('the log size now'),
  checkpoints: z.array(CheckpointRowSchema),
});
export type CheckpointsPage = z.infer<typeof CheckpointsPageSchema>;

/** Exact leaf bytes, base64, from a start index on (`GET /v1/log/entries`). */
export const LogEntriesSchema = z.object({ entries: z.array(z.string()) });
export type LogEntries = z.infer<typeof LogEntriesSchema>;

/** RFC 9162 §2.1.3: an inclusion proof, hashes in hex. */
export const InclusionProofSchema = z.object({
  index: int,
  size: int,
  leafHash: z.string(),
  proof: z.array(z.string()),
});
export type InclusionProof = z.infer<typeof InclusionProofSchema>;

/** RFC 9162 §2.1.4: a consistency proof, hashes in hex. */
export const ConsistencyProofSchema = z.object({
  first: int,
  second: int,
  proof: z.array(z.string()),
});
export type ConsistencyProof = z.infer<typeof ConsistencyProofSchema>;
