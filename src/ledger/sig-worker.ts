/**
 * Worker thread of the pool (see sig-pool.ts): strict Ed25519 verification of signature jobs, and
 * the stateless admission checks of submissions.
 */
import { parentPort } from 'node:worker_threads';
import { builtinCheck, type CheckContext } from './admission.js';
import { verifyHex } from './node-ed25519.js';

export interface SigJob {
  key: string;
  message: string;
  sig: string;
}

export type PoolTask =
  { kind: 'sig'; jobs: SigJob[] } | { kind: 'admit'; values: unknown[]; ctx: CheckContext };
export type PoolRequest = PoolTask & { id: number };

parentPort?.on('message', (msg: PoolRequest) => {
  if (msg.kind === 'admit') {
    parentPort!.postMessage({ id: msg.id, result: builtinCheck(msg.values, msg.ctx) });
    return;
  }
  const ok = new Uint8Array(msg.jobs.length);
  for (let i = 0; i < msg.jobs.length; i++) {
    const j = msg.jobs[i]!;
    ok[i] = verifyHex(j.key, j.message, j.sig) ? 1 : 0;
  }
  parentPort!.postMessage({ id: msg.id, result: ok }, [ok.buffer]);
});
