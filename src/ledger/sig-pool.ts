/**
 * A pool of worker threads for the work that needs no ledger state: one core verifies only about
 * 9,000 Ed25519 signatures a second, so admission and `verify` spread signatures (and admission's
 * other stateless checks) over every core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtinCheck, type CheckContext, type ItemCheck } from './admission.js';
import { verifyHex } from './node-ed25519.js';
import type { PoolTask, SigJob } from './sig-worker.js';

export type { SigJob };

const INLINE_BELOW = 8;

type Pending = (result: unknown) => void;

export class SigPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private next = 0;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      // Small heaps: a worker holds one chunk of submissions at a time.
      const w = new Worker(new URL('./sig-worker.js', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      });
      w.on('message', (m: { id: number; result: unknown }) => {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.result);
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private run<T>(req: PoolTask): Promise<T> {
    const id = this.nextId++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending);
      w.postMessage({ ...req, id });
    });
  }

  /** Splits `n` items into one contiguous range per worker (none when few). */
  private ranges(n: number): [number, number][] {
    const parts = Math.min(this.workers.length, Math.ceil(n / INLINE_BELOW));
    const per = Math.ceil(n / parts);
    const out: [number, number][] = [];
    for (let i = 0; i < n; i += per) out.push([i, Math.min(n, i + per)]);
    return out;
  }

  /** One boolean per job, in order. */
  async verify(jobs: SigJob[]): Promise<boolean[]> {
    if (jobs.length < INLINE_BELOW) return jobs.map((j) => verifyHex(j.key, j.message, j.sig));
    const results = await Promise.all(
      this.ranges(jobs.length).map(([a, b]) =>
        this.run<Uint8Array>({ kind: 'sig', jobs: jobs.slice(a, b) }),
      ),
    );
    const out: boolean[] = [];
    for (const r of results) for (const b of r) out.push(b === 1);
    return out;
  }

  /** The stateless admission checks of each submission, in order (built-in protocols). */
  async check(values: unknown[], ctx: CheckContext): Promise<ItemCheck[]> {
    if (values.length < INLINE_BELOW) return builtinCheck(values, ctx);
    const results = await Promise.all(
      this.ranges(values.length).map(([a, b]) =>
        this.run<ItemCheck[]>({ kind: 'admit', values: values.slice(a, b), ctx }),
      ),
    );
    return results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
