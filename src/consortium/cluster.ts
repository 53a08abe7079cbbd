/**
 * What a node in a consortium does with its peers' transactions: how items travel in an etcd
 * batch and are checked again on every node (`submissionCodec`), and how a node that was away
 * longer than etcd keeps batches takes them from a peer's blocks instead (`catchUpFromPeers`).
 * The ClusterNode (cluster-node.ts) wires both to the orderer.
 */
import { toHex } from '../core/bytes.js';
import { canonicalJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import {
  admitBatch,
  DEFAULT_LIMITS,
  type CheckContext,
  type Checker,
} from '../runtime/admission.js';
import { submissionShapeRefusal } from '../runtime/submission-shape.js';
import type { AdmittedItem } from '../runtime/execute.js';
import type { Ledger } from '../runtime/ledger.js';
import type { BatchCodec } from './orderer.js';
import { challengeText } from '../chain/auth.js';
import { verifyCheckpoint } from '../chain/policy.js';

/**
 * Items travel as their submission text, as admission received it. Every node checks a batch's
 * items the same way, with the batch's time as the clock, so all nodes keep exactly the same
 * items; the proposer skips only the checks it made at admission.
 */
export function submissionCodec(ledger: Ledger, pool: Checker): BatchCodec<AdmittedItem> {
  return {
    encode: (item) =>
      item.itemText ??
      canonicalJson(
        item.private === undefined ? { tx: item.tx } : { private: item.private, tx: item.tx },
      ),
    async decode(values, batch, own) {
      const ctx: CheckContext = {
        chain: ledger.chain,
        version: ledger.protocolFor(ledger.height + 1).version,
        now: batch.time,
        limits: DEFAULT_LIMITS,
      };
      if (own) return own.filter((i) => Math.abs(i.tx.time - batch.time) <= ctx.limits.maxSkewMs);
      // An item of a hostile shape is dropped like any item that fails the stateless checks,
      // before it reaches a worker: judged on its RFC 8785 text, so every node drops the same.
      const fit = values.filter((v) => submissionShapeRefusal(v, ctx.limits) === undefined);
      return admitBatch(ledger, fit, ctx, pool);
    },
  };
}

export interface CatchUpDeps {
  ledger: Ledger;
  org: string;
  /** Signs with this node's key (the checkpoint key): how it signs in to its peers. */
  sign: (message: Uint8Array) => Uint8Array;
  publicKey: string;
  pool: Checker;
  peers: () => Promise<Map<string, { position: number; url?: string }>>;
  apply: (batch: {
    id: string;
    proposer: string;
    time: number;
    position: number;
    items: AdmittedItem[];
  }) => void;
  log: (level: 'info' | 'error', msg: string, f?: Record<string, unknown>) => void;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new AidError('UNAVAILABLE', `${url}: ${body.error?.message ?? res.status}`);
  return body;
}

/**
 * Brings a node that was away longer than etcd keeps batches up to `floor`, from a peer's
 * blocks: it signs in with its node key, takes the batches after its position, checks every
 * transaction as if it came from etcd (signatures included), executes them itself, and finally
 * holds its root against the peer's checkpoint, which must be signed by the policy's quorum.
 * A peer that cannot serve (down, or erased a private part) is passed over for the next one.
 */
export async function catchUpFromPeers(d: CatchUpDeps, floor: number): Promise<number> {
  // Peers that say they are furthest along first; any peer may hold more than it last said.
  const peers = [...(await d.peers())]
    .filter(([org, p]) => org !== d.org && p.url)
    .sort((x, y) => y[1].position - x[1].position);
  for (const [org, peer] of peers) {
    try {
      const base = peer.url!;
      const { challenge } = await json<{ challenge: string }>(`${base}/v1/auth/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: d.publicKey }),
      });
      const sig = toHex(d.sign(new TextEncoder().encode(challengeText(d.ledger.chain, challenge))));
      const { token } = await json<{ token: string }>(`${base}/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: d.publicKey, challenge, sig }),
      });
      const auth = { headers: { authorization: `Bearer ${token}` } };
      while (d.ledger.position < floor) {
        const { batches } = await json<{
          batches: {
            position: number;
            id: string;
            proposer: string;
            time: number;
            items: unknown[];
          }[];
        }>(`${base}/v1/cluster/batches?after=${d.ledger.position}&limit=20`, auth);
        if (batches.length === 0) break;
        for (const b of batches) {
          const ctx: CheckContext = {
            chain: d.ledger.chain,
            version: d.ledger.protocolFor(d.ledger.height + 1).version,
            now: b.time,
            // These were accepted once by the consortium: only the clock check is moot now.
            limits: { ...DEFAULT_LIMITS, maxSkewMs: Number.MAX_SAFE_INTEGER },
          };
          for (const v of b.items) {
            const refused = submissionShapeRefusal(v, ctx.limits);
            if (refused)
              throw new AidError(
                'VERIFY_FAILED',
                `peer ${org} served a bad transaction: ${refused.message}`,
              );
          }
          const items = await admitBatch(d.ledger, b.items, ctx, d.pool, true).catch(
            (e: unknown) => {
              throw new AidError(
                'VERIFY_FAILED',
                `peer ${org} served a bad transaction: ${(e as Error).message}`,
              );
            },
          );
          d.apply({ id: b.id, proposer: b.proposer, time: b.time, position: b.position, items });
        }
      }
      const note = await (
        await fetch(`${base}/v1/log/checkpoint`, { signal: AbortSignal.timeout(15_000) })
      ).text();
      const cp = verifyCheckpoint(note, d.ledger.policy());
      if (cp.size <= d.ledger.size && toHex(d.ledger.log.rootAt(cp.size)) !== toHex(cp.root))
        throw new AidError(
          'DIVERGED',
          `after catching up from ${org}, the root at ${cp.size} is not the quorum's`,
        );
      d.log('info', 'caught up from a peer', { peer: org, position: d.ledger.position });
      if (d.ledger.position >= floor) return d.ledger.position;
    } catch (e) {
      if (e instanceof AidError && e.code === 'DIVERGED') throw e;
      d.log('error', 'catching up from a peer failed; trying another', {
        peer: org,
        message: (e as Error).message,
      });
    }
  }
  return d.ledger.position;
}
