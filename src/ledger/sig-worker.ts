/** Worker thread: strict Ed25519 verification of a chunk of signatures (see sig-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { verifyHex } from './node-ed25519.js';

export interface SigJob {
  key: string;
  message: string;
  sig: string;
}

parentPort?.on('message', (msg: { id: number; jobs: SigJob[] }) => {
  const ok = new Uint8Array(msg.jobs.length);
  for (let i = 0; i < msg.jobs.length; i++) {
    const j = msg.jobs[i]!;
    ok[i] = verifyHex(j.key, j.message, j.sig) ? 1 : 0;
  }
  parentPort!.postMessage({ id: msg.id, ok }, [ok.buffer]);
});
