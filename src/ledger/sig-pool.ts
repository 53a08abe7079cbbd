/**
 * Verifies signatures in parallel on worker threads: one core verifies only about 9,000 Ed25519
 * signatures a second, so admission and `verify` spread the work over every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { verifyHex } from './node-ed25519.js';
import type { SigJob } from './sig-worker.js';

export type { SigJob };

const INLINE_BELOW = 8;

export class SigPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (ok: Uint8Array) => void>();
  private nextId = 1;
  private next = 0;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(new URL('./sig-worker.js', import.meta.url));
      w.on('message', (m: { id: number; ok: Uint8Array }) => {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.ok);
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private run(jobs: SigJob[]): Promise<Uint8Array> {
    const id = this.nextId++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      w.postMessage({ id, jobs });
    });
  }

  /** One boolean per job, in order. */
  async verify(jobs: SigJob[]): Promise<boolean[]> {
    if (jobs.length < INLINE_BELOW) return jobs.map((j) => verifyHex(j.key, j.message, j.sig));
    const n = Math.min(this.workers.length, Math.ceil(jobs.length / INLINE_BELOW));
    const per = Math.ceil(jobs.length / n);
    const parts: Promise<Uint8Array>[] = [];
    for (let i = 0; i < jobs.length; i += per) parts.push(this.run(jobs.slice(i, i + per)));
    const results = await Promise.all(parts);
    const out: boolean[] = [];
    for (const r of results) for (const b of r) out.push(b === 1);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
