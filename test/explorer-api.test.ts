/**
 * The reads the explorer needs, over real HTTP and a real SQLite file: what sits at a log index,
 * the checkpoints a node signed with their signers, and who holds a signing key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePolicy, verifyCheckpoint } from '../src/chain/policy.js';
import { signTx } from '../src/chain/tx.js';
import { toHex } from '../src/core/bytes.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import {
  body,
  enrolPayload,
  get,
  post,
  pubOf,
  rotatePayload,
  startNode,
  txBy,
  type TestNode,
} from './helpers.js';

interface BlockView {
  height: number;
  first: number;
  leaf: number;
  transactions: { id: string; index: number }[];
}

let t: TestNode;

describe('explorer reads', () => {
  before(async () => {
    t = await startNode();
    // Two blocks of activity: an enrolment and a refused one (same nonce), then an applicant.
    const enrol = txBy(
      t.chain,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(t.chain, 'city-bureau', 'clerk-one'),
    );
    const again = txBy(
      t.chain,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(t.chain, 'city-bureau', 'clerk-two'),
      { nonce: enrol.nonce },
    );
    assert.equal((await post(t.url, '/v1/txs', body([{ tx: enrol }, { tx: again }]))).status, 200);
  });
  after(async () => {
    await t?.close();
  });

  it('names the transaction or block at every log index, and nothing beyond the log', async () => {
    const health = (await get(t.url, '/v1/health')).json as { height: number; size: number };
    let seen = 0;
    for (let h = 0; h <= health.height; h++) {
      const b = (await get(t.url, `/v1/blocks/${h}`)).json as unknown as BlockView;
      for (const tx of b.transactions) {
        const e = await get(t.url, `/v1/log/entries/${tx.index}`);
        assert.equal(e.status, 200);
        assert.deepEqual(e.json, { index: tx.index, kind: 'tx', id: tx.id, height: h });
        seen++;
      }
      const closing = await get(t.url, `/v1/log/entries/${b.leaf}`);
      assert.deepEqual(closing.json, { index: b.leaf, kind: 'block', height: h });
      seen++;
    }
    assert.equal(seen, health.size);
    const beyond = await get(t.url, `/v1/log/entries/${health.size}`);
    assert.equal(beyond.status, 404);
    assert.equal(beyond.json!.error!.code, 'NOT_FOUND');
    for (const bad of ['-1', 'x', '1e3', '99999999999999999999']) {
      const r = await get(t.url, `/v1/log/entries/${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.json!.error!.code, 'BAD_REQUEST');
    }
  });

  it('lists signed checkpoints newest first, each verifying under the policy', async () => {
    const policy = parsePolicy((await get(t.url, '/v1/policy')).json);
    const r = await get(t.url, '/v1/checkpoints?limit=100');
    assert.equal(r.status, 200);
    const list = (r.json as { checkpoints: { size: number; root: string; note: string }[] })
      .checkpoints;
    const health = (await get(t.url, '/v1/health')).json as { height: number; size: number };
    // One per block, the newest for the whole log.
    assert.equal(list.length, health.height + 1);
    assert.equal(list[0]!.size, health.size);
    for (let i = 1; i < list.length; i++) assert.ok(list[i]!.size < list[i - 1]!.size);
    for (const c of list) {
      const v = verifyCheckpoint(c.note, policy);
      assert.equal(v.size, c.size);
      assert.equal(toHex(v.root), c.root);
      assert.deepEqual((c as unknown as { signers: string[] }).signers, v.orgs);
    }
    const page = await get(t.url, `/v1/checkpoints?before=${list[0]!.size}&limit=1`);
    assert.deepEqual(
      (page.json as { checkpoints: { size: number }[] }).checkpoints.map((c) => c.size),
      [list[1]!.size],
    );
    for (const bad of ['limit=0', 'limit=101', 'before=x', 'limit=-1']) {
      const b = await get(t.url, `/v1/checkpoints?${bad}`);
      assert.equal(b.status, 400, bad);
      assert.equal(b.json!.error!.code, 'BAD_REQUEST');
    }
  });

  it('says who holds a key: a member with organisation and roles, an applicant, a node', async () => {
    const admin = await get(t.url, `/v1/keys/${pubOf('city-bureau/admin')}`);
    assert.deepEqual(admin.json, {
      key: pubOf('city-bureau/admin'),
      kind: 'member',
      member: 'city-bureau/admin',
      org: 'city-bureau',
      roles: ['admin'],
      status: 'active',
    });

    const seed = randomSeed();
    const reg = signTx(
      {
        chain: t.chain,
        type: 'accounts.register',
        payload: { lang: 'en' },
        nonce: 'r1',
        time: Date.now(),
      },
      seed,
    );
    const out = await post(t.url, '/v1/tx', body({ tx: reg }));
    assert.deepEqual(out.json!.result, { ok: true });
    const applicant = await get(t.url, `/v1/keys/${toHex(publicKeyFromSeed(seed))}`);
    assert.equal(applicant.json!.kind, 'applicant');
    assert.equal(applicant.json!.status, 'active');
    assert.equal(applicant.json!.org, undefined);

    const node = await get(t.url, `/v1/keys/${pubOf('city-bureau/node')}`);
    assert.equal(node.json!.kind, 'node');
    assert.equal(node.json!.org, 'city-bureau');

    const unknown = await get(t.url, `/v1/keys/${toHex(randomSeed())}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json!.error!.code, 'NOT_FOUND');
    for (const bad of ['abc', 'A'.repeat(64), '0'.repeat(65)]) {
      const b = await get(t.url, `/v1/keys/${bad}`);
      assert.equal(b.status, 400, bad);
      assert.equal(b.json!.error!.code, 'BAD_REQUEST');
    }
  });

  it('marks a rotated key as one that signs nothing more', async () => {
    const fresh = randomSeed();
    const rot = txBy(
      t.chain,
      'city-bureau/admin',
      'membership.rotateKey',
      rotatePayload(t.chain, 'city-bureau/admin', fresh),
    );
    const out = await post(t.url, '/v1/tx', body({ tx: rot }));
    assert.deepEqual(out.json!.result, { ok: true });
    const old = await get(t.url, `/v1/keys/${pubOf('city-bureau/admin')}`);
    assert.equal(old.json!.status, 'revoked');
    assert.equal(old.json!.member, 'city-bureau/admin');
    const now = await get(t.url, `/v1/keys/${toHex(publicKeyFromSeed(fresh))}`);
    assert.equal(now.json!.status, 'active');
  });
});
