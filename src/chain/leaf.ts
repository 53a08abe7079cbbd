/**
 * Log leaves (DESIGN §3). Every executed transaction is a leaf
 * `{"kind":"tx","result":…,"tx":…}` and every block closes with
 * `{"kind":"block","height","prev","time","protocol","txs","state"}`; both are RFC 8785 text.
 */
import { z } from 'zod';
import { canonicalJson, parseCanonical } from '../core/canonical.js';
import { AidError, EXECUTION_CODES } from '../core/errors.js';
import { hex32 } from './schemas.js';
import { SignedTxSchema, type SignedTx } from './tx.js';

/**
 * What executing a transaction came to: done, or refused with an execution code. The list of
 * codes only grows (src/core/errors.ts), so every leaf ever written still parses.
 */
export const TxResultSchema = z
  .union([
    z.strictObject({ ok: z.literal(true) }),
    z.strictObject({ ok: z.literal(false), code: z.enum(EXECUTION_CODES) }),
  ])
  .meta({ id: 'TxResult' });
export type TxResult = z.infer<typeof TxResultSchema>;

export const BlockLeafSchema = z
  .strictObject({
    kind: z.literal('block'),
    height: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    prev: hex32,
    time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    protocol: z.number().int().min(1).max(1_000_000),
    txs: z.number().int().min(0).max(1_000_000),
    state: hex32,
  })
  .meta({ id: 'BlockLeaf' });
export type BlockLeaf = z.infer<typeof BlockLeafSchema>;

export const TxLeafSchema = z.strictObject({
  kind: z.literal('tx'),
  tx: SignedTxSchema,
  result: TxResultSchema,
});
export type TxLeaf = z.infer<typeof TxLeafSchema>;

export type Leaf = TxLeaf | BlockLeaf;

export function resultJson(r: TxResult): string {
  return r.ok ? '{"ok":true}' : `{"code":${JSON.stringify(r.code)},"ok":false}`;
}

/** The tx leaf text, built around the transaction's canonical text without re-serialising it. */
export function txLeafText(canonicalTx: string, result: TxResult): string {
  return `{"kind":"tx","result":${resultJson(result)},"tx":${canonicalTx}}`;
}

export function blockLeafText(b: Omit<BlockLeaf, 'kind'>): string {
  return canonicalJson({ ...b, kind: 'block' });
}

/** Parses leaf text that must be canonical; @throws AidError MALFORMED / NON_CANONICAL. */
export function parseLeaf(text: string): Leaf {
  const value = parseCanonical(text);
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema = kind === 'tx' ? TxLeafSchema : kind === 'block' ? BlockLeafSchema : null;
  if (!schema) throw new AidError('MALFORMED', 'leaf kind is neither tx nor block');
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AidError('MALFORMED', `malformed ${kind} leaf`);
  return parsed.data as Leaf;
}

/** Where the log stands at a block leaf: what the next block leaf must follow. */
export interface BlockLink {
  /** The height the next block leaf must have. */
  height: number;
  /** The leaf hash (hex) of the previous block leaf, or the genesis hash before block 0. */
  prev: string;
  /** The previous block's time, or -1 before block 0. */
  time: number;
}

/**
 * What is wrong with a block leaf that closes `txs` transaction leaves after `link` (DESIGN §3:
 * heights follow each other, each block leaf names the previous one's hash, times increase, and
 * it counts the transactions before it), or undefined when it follows. Verify and the outside
 * audit both hold a log to this.
 */
export function blockLinkProblem(
  link: BlockLink,
  leaf: BlockLeaf,
  txs: number,
): string | undefined {
  if (leaf.height !== link.height) return `block leaf says height ${leaf.height}`;
  if (leaf.prev !== link.prev) return 'does not chain to the previous block';
  if (leaf.time <= link.time) return 'block time does not increase';
  if (leaf.txs !== txs) return `block counts ${leaf.txs} transactions, the log has ${txs}`;
  return undefined;
}

export type { SignedTx };
