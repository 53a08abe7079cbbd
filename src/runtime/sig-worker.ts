/**
 * Worker thread of the pool (see sig-pool.ts): strict Ed25519 verification of signature jobs, and
 * the stateless admission checks of submissions. It answers each task with one message, in order.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import {
  registryCheck,
  registryCheckTexts,
  type CheckContext,
  type ItemCheck,
  type TextCheck,
} from './admission.js';
import type { ProtocolRegistry } from './registry.js';
import { verifyJob, type SigJob } from './node-ed25519.js';

export type { SigJob };

export type PoolTask =
  | { kind: 'sig'; jobs: SigJob[] }
  | { kind: 'admit'; values: unknown[]; ctx: CheckContext }
  | { kind: 'admitTexts'; texts: string[]; ctx: CheckContext };

const data = workerData as { registryModule?: string; nice?: number } | null;

/**
 * Signature checks are work in bulk; the node's main thread, which executes and commits every
 * block one after another, is the path every acknowledgement waits on. With as many workers as
 * cores, the workers and the main thread contend for the cores, and the main thread waited for
 * one for 15-25% of the time it was runnable (its schedstat, case lifecycles). So a worker yields
 * to it: its own thread's nice value is raised to `nice`, or kept where the node already runs
 * nicer (Linux sets it per thread; /proc/thread-self names this thread). Where that cannot be
 * done, the worker runs at the node's priority.
 */
function yieldToMainThread(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(tid), nice));
  } catch {
    // Not Linux, or not allowed: the default priority.
  }
}
if (data?.nice !== undefined) yieldToMainThread(data.nice);

/** The protocol registry, loaded from the module the pool names (the runtime imports no domain). */
const source = data?.registryModule;
const loaded: Promise<ProtocolRegistry | undefined> = source
  ? import(source).then((m: { registry: ProtocolRegistry }) => m.registry)
  : Promise.resolve(undefined);

/**
 * A submission whose check throws (a schema that overflows the stack on some hostile value) is
 * refused like any malformed one: the same way on every node, and the worker lives on.
 */
function checkEach<I, R>(items: I[], check: (item: I) => R): (R | ItemCheck)[] {
  return items.map((v) => {
    try {
      return check(v);
    } catch {
      return { ok: false, code: 'MALFORMED', message: 'the submission cannot be checked' };
    }
  });
}

// Tasks are answered one message each, in the order they came: each runs after the one before.
let last: Promise<unknown> = loaded;
parentPort?.on('message', (msg: PoolTask) => {
  last = last
    .then(() => run(msg))
    // A task that cannot run ends the worker, as an uncaught error: the pool fails that task
    // alone and starts another worker.
    .catch((e: unknown) =>
      setImmediate(() => {
        throw e;
      }),
    );
});

async function run(msg: PoolTask): Promise<void> {
  if (msg.kind === 'admit' || msg.kind === 'admitTexts') {
    const registry = await loaded;
    if (!registry) throw new Error('the pool named no protocol registry');
    const { ctx } = msg;
    const result: (ItemCheck | TextCheck)[] =
      msg.kind === 'admit'
        ? checkEach(msg.values, (v) => registryCheck(registry, [v], ctx)[0]!)
        : checkEach(msg.texts, (t) => registryCheckTexts(registry, [t], ctx)[0]!);
    parentPort!.postMessage({ result });
    return;
  }
  const ok = new Uint8Array(msg.jobs.length);
  for (let i = 0; i < msg.jobs.length; i++) {
    ok[i] = verifyJob(msg.jobs[i]!) ? 1 : 0;
  }
  parentPort!.postMessage({ result: ok }, [ok.buffer]);
}
