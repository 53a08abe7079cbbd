/**
 * The block executor: one ordered block's transactions run over the committed state into an
 * overlay, with the block's chained state digest (DESIGN §3). The ledger commits what it
 * returns; `verify` replays every block through it and compares with the log, so the two never
 * disagree on what a block does.
 */
import type { Genesis } from '../chain/genesis.js';
import type { TxResult } from '../chain/leaf.js';
import type { Protocol, Secrets } from './contract.js';
import { sortKeysUtf8, stateDigest } from './digest.js';
import { executeTx, upgradeIfNew, type AdmittedItem } from './execute.js';
import type { Overlay } from './overlay.js';

/**
 * A transaction of the block: executed, or (`recorded`) one whose private part was erased, which
 * cannot run again: the writes it recorded are applied instead, and the state digest still has to
 * match them.
 */
export type BlockEntry = AdmittedItem | { recorded: TxWrites['writes'] };

/** The state writes one transaction made, and its place in the log: what an erasure keeps. */
export interface TxWrites {
  leaf: number;
  writes: { key: string; value: string | null }[];
}

export interface BlockRun {
  /** Each entry's result; undefined for a recorded one. */
  results: (TxResult | undefined)[];
  /** The writes each executed entry made (empty for a recorded one). */
  writes: Map<string, string | null>[];
  /** The block's written keys in UTF-8 order. */
  keys: string[];
  /** The chained state digest after this block. */
  state: Uint8Array;
}

export interface BlockContext {
  protocol: Protocol;
  /** The protocol version of the block before; undefined for block 0 (which writes the genesis). */
  previous: number | undefined;
  height: number;
  time: number;
  genesis: Genesis;
  secrets: Secrets;
  /** Committed rows under a prefix, for a protocol's upgrade. */
  scan: (prefix: string) => { key: string; value: string }[];
  /** The state digest after the block before. */
  prevState: Uint8Array;
}

/** Runs one block over `overlay` (reading the committed state) and digests its writes. */
export function executeBlock(
  b: BlockContext,
  overlay: Overlay,
  entries: readonly BlockEntry[],
): BlockRun {
  if (b.previous === undefined) b.protocol.genesis(b.genesis, overlay.view(['']));
  else upgradeIfNew(b.protocol, b.previous, overlay, b.scan, b.genesis);
  const results: (TxResult | undefined)[] = [];
  const writes: Map<string, string | null>[] = [];
  for (const e of entries) {
    if ('recorded' in e) {
      for (const w of e.recorded) overlay.set(w.key, w.value);
      results.push(undefined);
      writes.push(new Map());
      continue;
    }
    const r = executeTx(b.protocol, overlay, e, b.height, b.time, b.secrets);
    results.push(r.result);
    writes.push(r.writes);
  }
  const keys = sortKeysUtf8([...overlay.writes.keys()]);
  return { results, writes, keys, state: stateDigest(b.prevState, overlay.writes, keys) };
}
