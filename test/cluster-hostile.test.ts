/**
 * Issue 14, finding 1, in a consortium: a batch written straight into etcd (by a faulty node, or
 * anyone with write access to etcd) that holds hostile items beside a valid one. Every node drops
 * the same hostile items, as it drops any item that fails the stateless checks, applies the
 * valid one, keeps the same root as its peers, and keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { txIdOf } from '../src/chain/tx.js';
import { toHex } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { newBatchId } from '../src/ordering/orderer.js';
import { startConsortium, until, type Consortium } from './consortium.js';
import { etcdClient } from '../tools/etcd.js';
import { txBy, enrolPayload } from './helpers.js';

describe('a consortium reading hostile batch items from etcd', () => {
  let c: Consortium;

  before(async () => {
    c = await startConsortium();
  });
  after(async () => c.close());

  it('drops the same hostile items on every node and applies the rest alike', async () => {
    const [first] = c.nodes;
    const chain = first!.chain;
    const tx = txBy(
      chain,
      'hope-foundation/admin',
      'membership.enrol',
      enrolPayload(chain, 'hope-foundation', 'after-hostile'),
    );
    const id = txIdOf(canonicalJson(tx));
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const wide = `[${Array(300_000).fill('{}').join(',')}]`;
    // Nine items, so the checks go to the worker pool as a batch of a busy node's would.
    const items = [canonicalJson({ tx }), deep, `{"tx":${wide}}`, ...Array(6).fill('0')];
    const head = canonicalJson({ id: newBatchId(), proposer: 'city-bureau', time: Date.now() });
    const value = `${head.slice(0, -1)},"items":[${items.join(',')}]}`;
    const client = etcdClient(c.etcd.endpoints);
    try {
      await client.put(`aidledger/${chain}/b/${newBatchId()}`).value(value).exec();
    } finally {
      client.close();
    }
    for (const n of c.nodes) {
      await until(
        `${n.node.org} to apply the valid item`,
        () => n.node.ledger.findTx(id) !== undefined,
      );
    }
    await until('every node to reach the same size', () =>
      c.nodes.every((n) => n.node.ledger.size === c.nodes[0]!.node.ledger.size),
    );
    const size = c.nodes[0]!.node.ledger.size;
    const roots = c.nodes.map((n) => toHex(n.node.ledger.log.rootAt(size)));
    assert.ok(roots.every((r) => r === roots[0]));
    for (const n of c.nodes) {
      const h = (await (await fetch(`${n.url}/v1/health`)).json()) as { ok: boolean };
      assert.equal(h.ok, true);
      assert.equal(n.node.ledger.tx(id)?.result.ok, true);
    }
  });

  it('skips alike, and does not stall on, values in etcd that are not batches', async () => {
    const [first] = c.nodes;
    const chain = first!.chain;
    const head = (o: Record<string, unknown>) => canonicalJson(o);
    const garbage = [
      'not json at all',
      '[1,2,3]',
      head({ id: newBatchId(), proposer: 'city-bureau', time: 'soon', items: [] }),
      head({ id: newBatchId(), proposer: 'city-bureau', time: Date.now(), items: 'none' }),
      head({ id: 7, proposer: 'city-bureau', time: Date.now(), items: [] }),
      `{"id":"x","proposer":"y","time":1,"items":${'['.repeat(200_000)}`,
    ];
    const client = etcdClient(c.etcd.endpoints);
    try {
      for (const g of garbage)
        await client.put(`aidledger/${chain}/b/${newBatchId()}`).value(g).exec();
    } finally {
      client.close();
    }
    // A valid transaction after them is applied on every node: nothing waits behind them.
    const tx = txBy(
      chain,
      'hope-foundation/admin',
      'membership.enrol',
      enrolPayload(chain, 'hope-foundation', 'after-garbage'),
    );
    const res = await fetch(`${first!.url}/v1/tx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: canonicalJson({ tx }),
    });
    assert.equal(res.status, 200, await res.text());
    const id = txIdOf(canonicalJson(tx));
    for (const n of c.nodes)
      await until(
        `${n.node.org} to apply the transaction after the garbage`,
        () => n.node.ledger.findTx(id) !== undefined,
      );
    await until('every node to reach the same size', () =>
      c.nodes.every((n) => n.node.ledger.size === c.nodes[0]!.node.ledger.size),
    );
    const size = c.nodes[0]!.node.ledger.size;
    const roots = c.nodes.map((n) => toHex(n.node.ledger.log.rootAt(size)));
    assert.ok(roots.every((r) => r === roots[0]));
    for (const n of c.nodes) {
      const h = (await (await fetch(`${n.url}/v1/health`)).json()) as { ok: boolean };
      assert.equal(h.ok, true);
    }
  });
});
