/**
 * Worker thread of the pool (see sig-pool.ts): strict Ed25519 verification of signature jobs, and
 * the stateless admission checks of submissions. It answers each task with one message, in order.
 */
import { parentPort } from 'node:worker_threads';
import { builtinCheck, type CheckContext, type ItemCheck } from './admission.js';
import { verifyHex } from './node-ed25519.js';

export interface SigJob {
  key: string;
  message: string;
  sig: string;
}

export type PoolTask =
  { kind: 'sig'; jobs: SigJob[] } | { kind: 'admit'; values: unknown[]; ctx: CheckContext };

/**
 * A submission whose check throws (a schema that overflows the stack on some hostile value) is
 * refused like any malformed one: the same way on every node, and the worker lives on.
 */
function checkEach(values: unknown[], ctx: CheckContext): ItemCheck[] {
  return values.map((v): ItemCheck => {
    try {
      return builtinCheck([v], ctx)[0]!;
    } catch {
      return { ok: false, code: 'MALFORMED', message: 'the submission cannot be checked' };
    }
  });
}

parentPort?.on('message', (msg: PoolTask) => {
  if (msg.kind === 'admit') {
    parentPort!.postMessage({ result: checkEach(msg.values, msg.ctx) });
    return;
  }
  const ok = new Uint8Array(msg.jobs.length);
  for (let i = 0; i < msg.jobs.length; i++) {
    const j = msg.jobs[i]!;
    ok[i] = verifyHex(j.key, j.message, j.sig) ? 1 : 0;
  }
  parentPort!.postMessage({ result: ok }, [ok.buffer]);
});
