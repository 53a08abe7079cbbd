/**
 * The work an auditor's browser does over the whole public log, off the page's thread: `verify`
 * (the SDK's `auditLog`: every leaf well-formed and signed, blocks chained to each other and to
 * the genesis, and the root of every leaf equal to the signed checkpoint's) and `trail` (every
 * transaction whose payload names a case, accepted or refused, with its block time). Both read
 * the node's public log page by page; the page shows the progress and may stop the worker.
 */
import type { Policy } from '@sdk';

/** What the page asks the worker to do; `verify` checks against the policy the page shows. */
export type LedgerJob =
  | { kind: 'verify'; base: string; policy: Policy }
  | { kind: 'trail'; base: string; caseId: string };

/** One transaction of a case's trail, as the log holds it. */
export interface TrailEntry {
  index: number;
  id: string;
  type: string;
  signer: string;
  ok: boolean;
  code?: string;
  /** The block's time, ms. */
  time: number;
  height: number;
}

export interface VerifyResult {
  size: number;
  blocks: number;
  txs: number;
  refused: number;
  signers: string[];
}

/** What the worker tells the page. */
export type LedgerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'verified'; report: VerifyResult }
  | { kind: 'trail'; entries: TrailEntry[] }
  | { kind: 'failed'; code: string; message: string; details?: Record<string, unknown> };
