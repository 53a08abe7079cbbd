/**
 * A consortium that adopted a protocol version its nodes' build does not have: a batch that a
 * peer with a newer build put into etcd is one no node here can execute. Each node stops
 * committing and says CONFIG in its health, as an embedded node does, instead of reading the
 * batch again and again; and it tells the consortium it applied nothing past its ledger, so the
 * batch is kept for it until it is upgraded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { newBatchId } from '../src/ordering/orderer.js';
import { startConsortium, until, type Consortium } from './consortium.js';
import { etcdClient } from '../tools/etcd.js';
import { body, enrolTx, post, txBy, type TestNode } from './helpers.js';

/** Submits a transaction through `n` and expects it committed and executed without refusal. */
async function send(n: TestNode, tx: SignedTx): Promise<void> {
  const r = await post(n.url, '/v1/tx', body({ tx }));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal((r.json as { result: { ok: boolean } }).result.ok, true, JSON.stringify(r.json));
}

interface Health {
  ok: boolean;
  code?: string;
  protocol: { next: number; known: number };
}

const health = async (n: TestNode) => {
  const res = await fetch(`${n.url}/v1/health`);
  return { status: res.status, json: (await res.json()) as Health };
};

describe('a consortium that adopted a protocol its build does not have', () => {
  let c: Consortium;

  before(async () => {
    c = await startConsortium();
  });
  after(async () => c.close());

  it('stops every node with CONFIG at a batch it cannot execute, and keeps the batch for it', async () => {
    const [a] = c.nodes as [TestNode];
    const known = (await health(a)).json.protocol.known;
    const from = a.node.ledger.height + 8;
    const change = { kind: 'scheduleProtocol', version: known + 1, fromHeight: from };
    await send(a, txBy(a.chain, 'city-bureau/admin', 'membership.propose', { id: 'next', change }));
    const vote = { proposal: 'next', approve: true };
    for (const org of ['hope-foundation', 'general-hospital', 'children-hospital'])
      await send(a, txBy(a.chain, `${org}/admin`, 'membership.vote', vote));
    while (a.node.ledger.height + 1 < from) await send(a, enrolTx(a.chain, 'city-bureau'));
    await until('every node to reach the height before the new version', () =>
      c.nodes.every((n) => n.node.ledger.height + 1 === from),
    );
    for (const n of c.nodes) {
      const h = await health(n);
      assert.deepEqual([h.status, h.json.ok, h.json.protocol.next], [200, true, known + 1]);
    }
    const sizes = c.nodes.map((n) => n.node.ledger.size);

    // A peer whose build has the new version orders a batch under it.
    const id = newBatchId();
    const head = canonicalJson({ id, proposer: 'city-bureau', time: Date.now() });
    const item = canonicalJson({ tx: enrolTx(a.chain, 'city-bureau') });
    const client = etcdClient(c.etcd.endpoints);
    try {
      const put = await client
        .put(`aidledger/${a.chain}/b/${id}`)
        .value(`${head.slice(0, -1)},"items":[${item}]}`)
        .exec();
      const revision = Number(put.header.revision);

      for (const n of c.nodes) {
        await until(`${n.node.org} to stop committing`, async () => !(await health(n)).json.ok);
        const h = await health(n);
        assert.deepEqual([h.status, h.json.code, h.json.protocol.next], [503, 'CONFIG', known + 1]);
      }
      assert.deepEqual(
        c.nodes.map((n) => n.node.ledger.size),
        sizes,
      );
      // What each node tells the consortium it applied stays below the batch it could not, so
      // cleanup keeps the batch for it (after its progress was last written, a moment later).
      await new Promise((r) => setTimeout(r, 1000));
      for (const n of c.nodes) {
        const text = await client.get(`aidledger/${a.chain}/n/${n.node.org}`).string();
        const { position } = JSON.parse(text ?? '{}') as { position?: number };
        assert.equal(position, n.node.ledger.position);
        assert.ok(n.node.ledger.position < revision, `${n.node.org}: ${position} ≥ ${revision}`);
      }
    } finally {
      client.close();
    }
    // A submission is turned away as by an embedded node that stopped.
    const r = await post(a.url, '/v1/tx', body({ tx: enrolTx(a.chain, 'city-bureau') }));
    assert.deepEqual([r.status, r.json.error?.code], [503, 'UNAVAILABLE']);
  });
});
