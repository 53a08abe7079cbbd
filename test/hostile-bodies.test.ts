/**
 * Issue 14, finding 1: request bodies whose parsed form would cost far more memory or stack than
 * their bytes (a million empty objects in 3 MB, nesting thousands deep, a megabyte string) are
 * refused at the door with a coded 4xx before they are parsed, over real HTTP against a real
 * node; the node keeps serving and its log does not move.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../src/runtime/admission.js';
import { body, enrolTx, get, post, startNode, type TestNode } from './helpers.js';

let t: TestNode;

before(async () => {
  t = await startNode({ sigWorkers: 2 });
});
after(async () => {
  await t.close();
});

const enrol = () => enrolTx(t.chain, 'city-bureau');

/** Size and root of the log, as a client sees them. */
const checkpoint = async () => (await get(t.url, '/v1/log/checkpoint')).text;

/** The node answers and still commits a transaction. */
async function stillServing() {
  assert.equal((await get(t.url, '/v1/health')).status, 200);
  const r = await post(t.url, '/v1/txs', body([{ tx: enrol() }]));
  assert.equal(r.status, 200);
}

describe('admission of hostile bodies', () => {
  it('refuses a batch whose first item is a million empty objects, and keeps serving', async () => {
    const before = await checkpoint();
    const hostile = `[[${Array(1_000_000).fill('{}').join(',')}],0,0,0,0,0,0,0]`;
    assert.ok(hostile.length < 32 * 1024 * 1024);
    for (let i = 0; i < 3; i++) {
      const r = await post(t.url, '/v1/txs', hostile);
      assert.equal(r.status, 413);
      assert.equal(r.json.error?.code, 'TOO_LARGE');
      assert.deepEqual((r.json.error as { details?: unknown }).details, { index: 0 });
    }
    assert.equal(await checkpoint(), before);
    await stillServing();
  });

  it('refuses a million empty objects inside a valid-looking submission', async () => {
    const inner = Array(1_000_000).fill('{}').join(',');
    const r = await post(t.url, '/v1/tx', `{"tx":{"payload":[${inner}]}}`);
    assert.equal(r.status, 413);
    assert.equal(r.json.error?.code, 'TOO_LARGE');
    await stillServing();
  });

  it('refuses a batch nested 5,000 deep as MALFORMED, naming the item', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const many = await post(t.url, '/v1/txs', `[${deep},0,0,0,0,0,0,0]`);
    assert.equal(many.status, 400);
    assert.equal(many.json.error?.code, 'MALFORMED');
    assert.deepEqual((many.json.error as { details?: unknown }).details, { index: 0 });
    const one = await post(t.url, '/v1/tx', `{"tx":${deep}}`);
    assert.equal(one.status, 400);
    assert.equal(one.json.error?.code, 'MALFORMED');
    await stillServing();
  });

  it('refuses an item far larger than a transaction and its private part, naming it', async () => {
    // Strings, arrays and depth all within their limits: only the item's length is too much.
    const payload = Array(16).fill('x'.repeat(10_000));
    assert.ok(JSON.stringify(payload).length > 2 * DEFAULT_LIMITS.maxTxBytes);
    const big = JSON.stringify({ tx: { payload } });
    const items = [body({ tx: enrol() }), big, ...Array(8).fill('0')];
    const r = await post(t.url, '/v1/txs', `[${items.join(',')}]`);
    assert.equal(r.status, 413);
    assert.equal(r.json.error?.code, 'TOO_LARGE');
    assert.deepEqual((r.json.error as { details?: unknown }).details, { index: 1 });
  });

  it('refuses more submissions than a batch may hold before parsing them', async () => {
    const r = await post(t.url, '/v1/txs', `[${Array(DEFAULT_LIMITS.maxBatch + 1).fill('{}')}]`);
    assert.equal(r.status, 413);
    assert.equal(r.json.error?.code, 'TOO_MANY');
  });

  it('still admits a full batch of ordinary submissions', async () => {
    const subs = Array.from({ length: 200 }, () => ({ tx: enrol() }));
    const r = await post(t.url, '/v1/txs', body(subs));
    assert.equal(r.status, 200);
    assert.equal((r.json.results as unknown[]).length, 200);
  });
});
