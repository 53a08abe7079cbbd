/**
 * What the explorer reads from the node: pages of blocks (newest first), one block with its
 * transactions, one transaction, who holds a signing key, what sits at a log index, and the
 * checkpoints the node signed, each checked here against the consortium's policy by the SDK.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  AidError,
  parseCaseReference,
  parseCheckpoint,
  parseNote,
  toHex,
  verifyCheckpoint,
  type Policy,
} from '@sdk';
import { client } from '../lib/api';

/** Blocks on one page of the list. */
export const BLOCKS_PAGE = 20;

/** A page of blocks ending at height `top` (the newest when undefined), newest first. */
export function useBlocksPage(top: number | undefined) {
  return useQuery({
    queryKey: ['explorer', 'blocks', top ?? 'latest'],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const tip = (await client.blocks(0, 1)).height;
      const end = Math.min(top ?? tip, tip);
      const from = Math.max(0, end - BLOCKS_PAGE + 1);
      const r = await client.blocks(from, end - from + 1);
      return {
        tip: r.height,
        top: end,
        blocks: r.blocks.slice().reverse(),
      };
    },
  });
}

export function useBlock(height: number) {
  return useQuery({
    queryKey: ['explorer', 'block', height],
    queryFn: () => client.block(height),
    staleTime: Infinity,
  });
}

export function useTx(id: string) {
  return useQuery({
    queryKey: ['explorer', 'tx', id],
    queryFn: () => client.tx(id),
    staleTime: Infinity,
  });
}

/** Who holds a key; null when no member, applicant or node does. */
export function useKeyHolder(key: string | undefined) {
  return useQuery({
    queryKey: ['explorer', 'key', key],
    enabled: key !== undefined,
    queryFn: async () => {
      try {
        return await client.keyHolder(key!);
      } catch (e) {
        if (e instanceof AidError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
  });
}

export function useLogEntry(index: number) {
  return useQuery({
    queryKey: ['explorer', 'entry', index],
    queryFn: () => client.logEntry(index),
    staleTime: Infinity,
  });
}

/** The newest checkpoint the node serves (signed by the policy's quorum when it has one). */
export function useLatestCheckpoint() {
  return useQuery({
    queryKey: ['explorer', 'checkpoint'],
    queryFn: () => client.checkpoint(),
    refetchInterval: 15_000,
  });
}

/** Checkpoints of sizes below `before` (all when undefined), newest first. */
export function useCheckpoints(before: number | undefined, limit: number) {
  return useQuery({
    queryKey: ['explorer', 'checkpoints', before ?? 'latest', limit],
    placeholderData: keepPreviousData,
    queryFn: () => client.checkpoints(before, limit),
  });
}

export type CheckpointCheck =
  | { kind: 'met'; size: number; root: string; orgs: string[] }
  | { kind: 'quorum'; size: number; root: string; orgs: string[] }
  | { kind: 'bad' };

/**
 * A checkpoint note checked by the SDK under the policy, here in the browser: which organisations'
 * signatures are valid, and whether they reach the quorum.
 */
export function checkCheckpoint(note: string, policy: Policy): CheckpointCheck {
  try {
    const v = verifyCheckpoint(note, policy);
    return { kind: 'met', size: v.size, root: toHex(v.root), orgs: v.orgs };
  } catch (e) {
    if (e instanceof AidError && e.code === 'POLICY_NOT_MET') {
      const body = parseCheckpoint(parseNote(note).text);
      const signed = e.details?.signed;
      return {
        kind: 'quorum',
        size: body.size,
        root: toHex(body.root),
        orgs: Array.isArray(signed) ? signed.map(String) : [],
      };
    }
    return { kind: 'bad' };
  }
}

export type SearchTarget =
  | { kind: 'tx'; id: string }
  | { kind: 'height'; height: number }
  | { kind: 'index'; index: number }
  /** A case reference (`AL-7KQ4-M9XC`), as printed or read aloud. */
  | { kind: 'reference'; reference: string }
  | { kind: 'invalid' };

const INDEX_WORDS =
  /^(?:#|(?:log\s+)?index\s*#?|(?:日誌|日志)?索引\s*#?|第)\s*([0-9]{1,15})\s*(?:條|条|筆|笔)?$/iu;
const HEIGHT_WORDS = /^(?:block|height|區塊|区块|高度)?\s*#?\s*([0-9]{1,15})$/iu;

/**
 * What a search box entry asks for: a transaction id (64 hex), a log index ("#123", "index 123",
 * "索引 123") or a block height ("123", "block 123").
 */
export function parseSearch(input: string): SearchTarget {
  // NFKC: full-width digits and "＃" from a Chinese input method read as their ASCII forms.
  const q = input.normalize('NFKC').trim();
  if (/^[0-9a-fA-F]{64}$/.test(q)) return { kind: 'tx', id: q.toLowerCase() };
  const i = INDEX_WORDS.exec(q);
  if (i) return { kind: 'index', index: Number(i[1]) };
  const h = HEIGHT_WORDS.exec(q);
  if (h) return { kind: 'height', height: Number(h[1]) };
  const r = parseCaseReference(q);
  if (r) return { kind: 'reference', reference: r.reference };
  return { kind: 'invalid' };
}
