/**
 * Issue 14, finding 1: the signature pool of a real node survives any worker failure. A worker
 * that runs out of memory or is terminated fails only the task it was running, with a coded
 * error; it is replaced; other callers' checks in flight, and tasks queued behind it, succeed;
 * and the node keeps serving over HTTP.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { isAidError } from '../src/core/errors.js';
import { signingTextOf } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { DEFAULT_LIMITS, type CheckContext } from '../src/runtime/admission.js';
import { body, enrolTx, get, post, startNode, type TestNode } from './helpers.js';

let t: TestNode;

before(async () => {
  t = await startNode({ sigWorkers: 2 });
});
after(async () => {
  await t.close();
});

const enrol = () => enrolTx(t.chain, 'hope-foundation');

const ctx = (): CheckContext => ({
  chain: t.chain,
  version: t.node.ledger.protocolFor(t.node.ledger.height + 1).version,
  now: Date.now(),
  limits: DEFAULT_LIMITS,
});

/** A batch of `n` fresh enrolments over HTTP; resolves with its status and results. */
async function submitBatch(n: number) {
  const r = await post(t.url, '/v1/txs', body(Array.from({ length: n }, () => ({ tx: enrol() }))));
  return { status: r.status, results: r.json.results as { result: { ok: boolean } }[] };
}

describe('signature pool', () => {
  it('runs its workers below the main thread, which executes every block', async () => {
    const first = await submitBatch(4);
    assert.equal(first.status, 200);
    // Field 19 of a thread's stat (after the name in parentheses) is its nice value.
    const nice = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    // The main thread keeps the priority the process was started with (0 unless run under nice).
    const main = nice(String(process.pid));
    assert.ok(main < 10, `the test runs at nice ${main}: below 10, or the workers cannot yield`);
    const niced = () =>
      readdirSync('/proc/self/task').filter((tid) => nice(tid) === Math.max(main, 10));
    // A worker lowers its priority once its module has loaded; on a loaded machine one may still
    // be loading when the first batch is answered (the other checked it alone), so give it time.
    const deadline = Date.now() + 15_000;
    while (niced().length < t.node.pool.size && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(niced().length, t.node.pool.size, 'each worker thread, and nothing else, yields');
  });

  it('fails only the task whose worker ran out of memory, while other checks go on', async () => {
    // Straight to the pool, past the door's shape check: what a worker failure must not spread.
    const hostile = [Array.from({ length: 1_500_000 }, () => ({})), 0, 0, 0, 0, 0, 0, 0];
    const doomed = t.node.pool.check(hostile, ctx());
    const others = [submitBatch(40), submitBatch(40), submitBatch(40)];
    await assert.rejects(doomed, (e) => isAidError(e, 'TOO_LARGE'));
    for (const r of await Promise.all(others)) {
      assert.equal(r.status, 200);
      assert.equal(r.results.length, 40);
      assert.ok(r.results.every((x) => x.result.ok));
    }
    assert.equal(t.node.pool.size, 2);
    assert.equal((await get(t.url, '/v1/health')).status, 200);
    assert.equal((await submitBatch(20)).status, 200);
  });

  it('replaces a terminated worker and runs the tasks queued behind it', async () => {
    // One task that takes a worker a while (400,000 objects to copy in), on the first worker.
    const slow = Array.from({ length: 8 }, () => Array.from({ length: 50_000 }, () => ({})));
    // Three tasks, spread over both workers: one waits behind the slow task on the first.
    const ordinary = Array.from({ length: 96 }, () => ({ tx: enrol() }));
    const victim = t.node.pool.threads[0]!;
    // Issued without a pause, so the first worker is still busy with the slow task when it ends.
    const first = assert.rejects(t.node.pool.check(slow, ctx()), (e) =>
      isAidError(e, 'UNAVAILABLE'),
    );
    const queued = t.node.pool.check(ordinary, ctx());
    void victim.terminate();
    await first;
    const checks = await queued;
    assert.equal(checks.length, 96);
    assert.ok(checks.every((c) => c.ok));
    assert.notEqual(t.node.pool.threads[0], victim);
    assert.equal(t.node.pool.size, 2);
    const r = await submitBatch(64);
    assert.equal(r.status, 200);
    assert.ok(r.results.every((x) => x.result.ok));
  });

  it('hands a block of signature checks to the workers at once, evenly', async () => {
    // A block's worth: the workers must hold all of it before this thread goes on to execute a
    // block, since they are handed more only when its event loop turns.
    const tx = enrol();
    const job = { key: tx.signer, message: signingTextOf(canonicalJson(tx)), sig: tx.sig };
    const jobs = Array.from({ length: 4000 }, (_, i) =>
      i === 2999 ? { ...job, sig: tx.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : job,
    );
    const checked = t.node.pool.verify(jobs);
    const { held, queued } = t.node.pool.backlog;
    assert.equal(queued, 0);
    // Tasks of 32 items: 125 of them, 63 on one worker and 62 on the other.
    assert.deepEqual(
      [...held].sort((a, b) => a - b),
      [1984, 2016],
    );
    const ok = await checked;
    assert.equal(ok.length, 4000);
    assert.deepEqual(
      ok.flatMap((x, i) => (x ? [] : [i])),
      [2999],
    );
    assert.deepEqual(t.node.pool.backlog, { held: [0, 0], heldBytes: [0, 0], queued: 0 });
  });

  it('hands a worker no more than 8 MiB of submissions ahead, however many wait', async () => {
    // 256 texts of 120 KiB (near the largest a submission may be): 8 tasks of 3.75 MiB. Each
    // worker may hold two (7.5 MiB); the rest wait here, not in the workers' 64 MB heaps.
    const big = `{"tx":"${'x'.repeat(120 * 1024 - 9)}"}`;
    const texts = Array.from({ length: 256 }, () => big);
    const checked = t.node.pool.checkTexts(texts, ctx());
    const { heldBytes, queued } = t.node.pool.backlog;
    assert.deepEqual(heldBytes, [2 * 32 * big.length, 2 * 32 * big.length]);
    assert.equal(queued, 4);
    // Each is refused for what it is (not a transaction), and none is lost.
    const results = await checked;
    assert.equal(results.length, 256);
    assert.ok(results.every((r) => !r.ok));
    assert.deepEqual(t.node.pool.backlog, { held: [0, 0], heldBytes: [0, 0], queued: 0 });
  });

  it('fails what is still queued once closed, and refuses new work', async () => {
    const spare = await startNode({ sigWorkers: 1 });
    const values = Array.from({ length: 64 }, () => ({ tx: enrol() }));
    const pending = assert.rejects(spare.node.pool.check(values, ctx()), (e) =>
      isAidError(e, 'UNAVAILABLE'),
    );
    await spare.close();
    await pending;
    await assert.rejects(spare.node.pool.check(values, ctx()), (e) => isAidError(e, 'UNAVAILABLE'));
  });
});
