/**
 * A pool of worker threads for the work that needs no ledger state: one core verifies only about
 * 9,000 Ed25519 signatures a second, so admission and `verify` spread signatures (and admission's
 * other stateless checks) over every core.
 *
 * Work is cut into small tasks that wait in one queue; each worker runs one task at a time. A
 * worker that fails (out of memory, a crash, terminated) is replaced: only the task it was running
 * fails, with a coded error, and the tasks still queued go to the other workers and its successor.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AidError } from '../core/errors.js';
import {
  registryCheck,
  registryCheckTexts,
  type CheckContext,
  type ItemCheck,
  type TextCheck,
} from './admission.js';
import type { ProtocolRegistry } from './registry.js';
import { verifyJob, type SigJob } from './node-ed25519.js';
import type { PoolTask } from './sig-worker.js';

export type { SigJob };

/** Fewer items than this are checked on the calling thread. */
const INLINE_BELOW = 8;
/**
 * Most items in one task: bounds what a worker holds at once (a submission that passed the
 * shape check is at most a few hundred kilobytes once parsed) and lets the tasks of several
 * requests interleave.
 */
const TASK_ITEMS = 32;
/**
 * Items handed to one worker ahead of its answers: a few hundred milliseconds of signature checks.
 * The main thread hands out the next task only when its event loop turns, and it does not turn
 * while a block executes and commits (a quarter of a second for 2,000 transactions): with only a
 * few tasks in hand, the workers sat idle that long, every block. A worker runs its tasks in
 * order, so when it dies the oldest is the one it was running; the others go back to the queue.
 */
const PIPELINE_ITEMS = 2048;
/**
 * Bytes of text handed to one worker ahead of its answers. A worker takes in every message it
 * was sent as soon as it finishes a task, so what it was handed sits in its heap (64 MB) at once:
 * submissions near the size limit (a transaction and its private part, 128 KiB) could otherwise
 * take 2,048 × 128 KiB. A worker holding nothing is always handed the next task.
 */
const PIPELINE_BYTES = 8 * 1024 * 1024;

interface Task {
  req: PoolTask;
  /** How many items (signatures, submissions) the task holds. */
  items: number;
  /** The bytes of text it carries, or at most could. */
  bytes: number;
  resolve: (result: unknown) => void;
  reject: (e: AidError) => void;
}

/**
 * The nice value of a worker thread (see `yieldToMainThread` in sig-worker.ts): a core the main
 * thread wants goes to it about nine times in ten; an idle core still goes to the workers.
 */
const WORKER_NICE = 10;

interface Slot {
  worker: Worker;
  /** The tasks handed to the worker, oldest (the one it runs) first. */
  tasks: Task[];
  /** The items of `tasks`. */
  held: number;
  /** The bytes of `tasks`. */
  heldBytes: number;
  dead: boolean;
}

export class SigPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;
  /** Workers that died in a row without finishing a task: a pool whose workers cannot start stops. */
  private failuresInRow = 0;

  /**
   * @param registry the protocols admission checks against; worker threads load the same one
   *   from `registry.module` (a module exporting it as `registry`).
   */
  constructor(
    size = availableParallelism(),
    private readonly registry?: ProtocolRegistry,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** The worker threads now running, for tests that make one fail. */
  get threads(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Items and bytes each worker has been handed and not answered, and tasks not yet handed out. */
  get backlog(): { held: number[]; heldBytes: number[]; queued: number } {
    return {
      held: this.slots.map((s) => s.held),
      heldBytes: this.slots.map((s) => s.heldBytes),
      queued: this.queue.length,
    };
  }

  private spawn(): Slot {
    // Small heaps: a worker holds one task of submissions at a time.
    const worker = new Worker(new URL('./sig-worker.js', import.meta.url), {
      workerData: { registryModule: this.registry?.module, nice: WORKER_NICE },
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    const slot: Slot = { worker, tasks: [], held: 0, heldBytes: 0, dead: false };
    worker.on('message', (m: { result: unknown }) => {
      const t = slot.tasks.shift();
      if (t) {
        slot.held -= t.items;
        slot.heldBytes -= t.bytes;
      }
      this.failuresInRow = 0;
      t?.resolve(m.result);
      this.dispatch();
    });
    // Either event may come first, or only one of them: both end the worker once.
    worker.on('error', (e: Error & { code?: string }) => this.lost(slot, e));
    worker.on('exit', (code) => this.lost(slot, new Error(`worker exited with code ${code}`)));
    return slot;
  }

  /** A worker failed: its task fails, a new worker takes its place and the queue moves on. */
  private lost(slot: Slot, e: Error & { code?: string }): void {
    if (slot.dead) return;
    slot.dead = true;
    const [t, ...waiting] = slot.tasks.splice(0);
    slot.held = 0;
    slot.heldBytes = 0;
    // The tasks it had not started go first to the others and its successor.
    this.queue.unshift(...waiting);
    t?.reject(
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new AidError('TOO_LARGE', 'the submissions need more memory than a check may use', {
            cause: e,
          })
        : new AidError('UNAVAILABLE', 'a signature worker failed; try again', { cause: e }),
    );
    void slot.worker.terminate().catch(() => undefined);
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (++this.failuresInRow > 3 * this.slots.length) {
      // Workers die before finishing anything: fail what waits rather than spawn forever.
      this.slots.splice(i, 1);
      if (this.slots.every((s) => s.dead)) this.failQueued();
      else this.dispatch();
      return;
    }
    this.slots[i] = this.spawn();
    this.dispatch();
  }

  private failQueued(): void {
    for (const t of this.queue.splice(0))
      t.reject(new AidError('UNAVAILABLE', 'the signature workers are stopped'));
  }

  /**
   * Gives queued tasks, oldest first, each to the live worker holding the fewest items, while that
   * one holds fewer than PIPELINE_ITEMS and the task fits in its PIPELINE_BYTES (or it holds
   * nothing): the work spreads evenly, and no worker is handed more than it can hold.
   */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const t = this.queue[0]!;
      let slot: Slot | undefined;
      for (const s of this.slots) if (!s.dead && (!slot || s.held < slot.held)) slot = s;
      if (!slot) return;
      if (
        slot.tasks.length > 0 &&
        (slot.held >= PIPELINE_ITEMS || slot.heldBytes + t.bytes > PIPELINE_BYTES)
      )
        return;
      this.queue.shift();
      try {
        slot.worker.postMessage(t.req);
        slot.tasks.push(t);
        slot.held += t.items;
        slot.heldBytes += t.bytes;
      } catch (e) {
        // A value the structured clone cannot copy (nested too deep for its stack).
        t.reject(new AidError('MALFORMED', 'the submissions cannot be checked', { cause: e }));
      }
    }
  }

  private run<T>(req: PoolTask, items: number, bytes: number): Promise<T> {
    if (this.closed || this.slots.length === 0)
      return Promise.reject(new AidError('UNAVAILABLE', 'the signature workers are stopped'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ req, items, bytes, resolve: resolve as (r: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Splits `n` items into contiguous ranges: one a worker, at most TASK_ITEMS each. */
  private ranges(n: number): [number, number][] {
    const parts = Math.max(
      Math.min(this.slots.length, Math.ceil(n / INLINE_BELOW)),
      Math.ceil(n / TASK_ITEMS),
    );
    const per = Math.ceil(n / parts);
    const out: [number, number][] = [];
    for (let i = 0; i < n; i += per) out.push([i, Math.min(n, i + per)]);
    return out;
  }

  /**
   * One boolean per job, in order.
   * @throws AidError UNAVAILABLE when a worker failed while running one of these jobs.
   */
  async verify(jobs: SigJob[]): Promise<boolean[]> {
    if (jobs.length < INLINE_BELOW) return jobs.map(verifyJob);
    const results = await Promise.all(
      this.ranges(jobs.length).map(([a, b]) =>
        this.run<Uint8Array>({ kind: 'sig', jobs: jobs.slice(a, b) }, b - a, textBytes(jobs, a, b)),
      ),
    );
    const out: boolean[] = [];
    for (const r of results) for (const b of r) out.push(b === 1);
    return out;
  }

  /**
   * The stateless admission checks of each submission, in order, under the pool's registry.
   * @throws AidError TOO_LARGE when checking them exhausted a worker's memory, UNAVAILABLE when a
   *   worker failed otherwise: other callers' checks go on.
   */
  check(values: unknown[], ctx: CheckContext): Promise<ItemCheck[]> {
    return this.admit(
      values,
      (registry) => registryCheck(registry, values, ctx),
      (part) => ({ kind: 'admit', values: part, ctx }),
      // Parsed values, whose size is not known here: each counted at 64 KiB, so a worker is
      // handed at most 128 of them ahead, as many as before the pool counted bytes.
      (part) => part.length * 64 * 1024,
    );
  }

  /**
   * `check` of submissions sent as their texts, which the workers parse: this thread neither
   * parses them nor copies a parsed value to a worker. Each text must have passed the shape scan.
   */
  checkTexts(texts: string[], ctx: CheckContext): Promise<TextCheck[]> {
    return this.admit(
      texts,
      (registry) => registryCheckTexts(registry, texts, ctx),
      (part) => ({ kind: 'admitTexts', texts: part, ctx }),
      (part) => part.reduce((n, text) => n + text.length, 0),
    );
  }

  /** Spreads `items` over the workers as tasks made by `task`, or checks them here (`inline`). */
  private async admit<I, R>(
    items: I[],
    inline: (registry: ProtocolRegistry) => R[],
    task: (part: I[]) => PoolTask,
    bytes: (part: I[]) => number,
  ): Promise<R[]> {
    const registry = this.registry;
    if (!registry) throw new AidError('CONFIG', 'this pool was given no protocol registry');
    // A registry no module exports (a test's extra protocols) is checked on this thread.
    if (items.length < INLINE_BELOW || !registry.module) return inline(registry);
    const results = await Promise.all(
      this.ranges(items.length).map(([a, b]) => {
        const part = items.slice(a, b);
        return this.run<R[]>(task(part), b - a, bytes(part));
      }),
    );
    return results.flat();
  }

  /** Stops every worker; tasks not yet finished fail with UNAVAILABLE. */
  async close(): Promise<void> {
    this.closed = true;
    this.failQueued();
    await Promise.all(
      this.slots.map(async (s) => {
        await s.worker.terminate();
        this.lost(s, new Error('the pool is closed'));
      }),
    );
  }
}

/** The text that signature jobs `a` to `b` carry. */
function textBytes(jobs: readonly SigJob[], a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++)
    n += jobs[i]!.message.length + jobs[i]!.key.length + jobs[i]!.sig.length;
  return n;
}
