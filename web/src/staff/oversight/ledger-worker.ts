/**
 * The worker that runs a ledger job (ledger-jobs.ts) away from the page, so that checking every
 * signature of a long log never freezes the screen. It reads only the node's public API.
 */
import {
  AidClient,
  AidError,
  auditLog,
  canonicalJson,
  fromUtf8,
  parseLeaf,
  txIdOf,
  type SignedTx,
} from '@sdk';
import type { LedgerJob, LedgerMessage, TrailEntry } from './ledger-jobs';

const port = self as unknown as {
  postMessage(m: LedgerMessage): void;
  onmessage: ((e: MessageEvent<LedgerJob>) => void) | null;
};

const PAGE = 1000;

/** Whether a payload names one of `ids` anywhere in its values (a few levels down). */
function names(value: unknown, ids: ReadonlySet<string>, depth = 0): boolean {
  if (typeof value === 'string') return ids.has(value);
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => names(v, ids, depth + 1));
}

async function trail(client: AidClient, caseId: string): Promise<TrailEntry[]> {
  const { size } = await client.health();
  const found: TrailEntry[] = [];
  let pending: Omit<TrailEntry, 'time' | 'height'>[] = [];
  let start = 0;
  // The case and its documents: a read or an erasure names the document (the attaching
  // transaction), not the case.
  const related = new Set([caseId]);
  while (start < size) {
    const entries = await client.entries(start, Math.min(size, start + PAGE));
    if (entries.length === 0) throw new AidError('UNAVAILABLE', 'the node served no entries');
    for (const bytes of entries) {
      const index = start++;
      const leaf = parseLeaf(fromUtf8(bytes));
      if (leaf.kind === 'block') {
        for (const p of pending) found.push({ ...p, time: leaf.time, height: leaf.height });
        pending = [];
        continue;
      }
      const tx: SignedTx = leaf.tx;
      const id = txIdOf(canonicalJson(tx));
      if (id !== caseId && !names(tx.payload, related)) continue;
      if (tx.type === 'documents.attach' && leaf.result.ok) related.add(id);
      pending.push({
        index,
        id,
        type: tx.type,
        signer: tx.signer,
        ok: leaf.result.ok,
        ...(leaf.result.ok ? {} : { code: leaf.result.code }),
      });
    }
    port.postMessage({ kind: 'progress', done: start, total: size });
  }
  return found;
}

port.onmessage = (e) => {
  const job = e.data;
  const client = new AidClient(job.base, { timeoutMs: 60_000 });
  const run = async (): Promise<LedgerMessage> => {
    if (job.kind === 'trail') return { kind: 'trail', entries: await trail(client, job.caseId) };
    const report = await auditLog(client, job.policy, {
      pageSize: PAGE,
      onProgress: (done, total) => port.postMessage({ kind: 'progress', done, total }),
    });
    return { kind: 'verified', report };
  };
  run().then(
    (m) => port.postMessage(m),
    (err: unknown) =>
      port.postMessage(
        err instanceof AidError
          ? {
              kind: 'failed',
              code: err.code,
              message: err.message,
              ...(err.details ? { details: err.details } : {}),
            }
          : { kind: 'failed', code: 'UNAVAILABLE', message: String(err) },
      ),
  );
};
