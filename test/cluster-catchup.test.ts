/**
 * A node away longer than etcd keeps batches: the others delete what it has not applied (past
 * the retention), and when it returns it catches up from a peer's blocks, checking every
 * transaction and then its root against the quorum's checkpoint.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { toHex } from '../src/core/bytes.js';
import { readConsortiumKey } from '../src/node/config.js';
import { startConsortium, until, type Consortium } from './consortium.js';
import { etcdClient } from '../tools/etcd.js';
import { body, enrolPayload, post, txBy, type TestNode } from './helpers.js';
import { registry } from '../src/domains/protocols.js';

describe('a node that was away longer than etcd keeps batches', () => {
  let c: Consortium;
  let nodes: TestNode[] = [];
  let k = 0;
  const load = async (n: TestNode, org: string, requests: number) => {
    for (let r = 0; r < requests; r++) {
      const subs = Array.from({ length: 5 }, () => ({
        tx: txBy(
          n.chain,
          `${org}/admin`,
          'membership.enrol',
          enrolPayload(n.chain, org, `c${++k}`),
        ),
      }));
      const res = await post(n.url, '/v1/txs', body(subs));
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
  };

  before(async () => {
    c = await startConsortium({ cluster: { retainRevisions: 30 } });
    nodes = c.nodes;
  });
  after(async () => c.close());

  it('catches up from a peer after its batches were deleted, and verifies', async () => {
    const [a, b, third] = nodes as [TestNode, TestNode, TestNode];
    await load(a, 'city-bureau', 3);
    await until('all to apply', () => third.node.ledger.size === a.node.ledger.size);
    const away = third.node.ledger.position;
    const dir = third.dir;
    await third.close();
    // The others go on well past the retention.
    await load(a, 'city-bureau', 30);
    await load(b, 'hope-foundation', 30);
    const client = etcdClient(c.etcd.endpoints);
    try {
      await until(
        'the batches the absent node needs to be deleted',
        async () => Number((await client.get(`aidledger/${a.chain}/floor`).string()) ?? 0) > away,
      );
    } finally {
      client.close();
    }
    // Back: it cannot read what it missed from etcd, so it takes it from a peer.
    const c2 = await c.restart(2);
    await until('the returning node to catch up', () => c2.node.ledger.size === a.node.ledger.size);
    assert.equal(
      toHex(c2.node.ledger.log.rootAt(c2.node.ledger.size)),
      toHex(a.node.ledger.log.rootAt(a.node.ledger.size)),
    );
    assert.equal(c2.node.ledger.stateDigestHex, a.node.ledger.stateDigestHex);
    // And it follows etcd again: a new transaction through it reaches everyone.
    await load(c2, 'general-hospital', 1);
    await until('everyone to apply it', () =>
      nodes.every((n) => n.node.ledger.size === c2.node.ledger.size),
    );
    const health = (await (await fetch(`${c2.url}/v1/health`)).json()) as { ok: boolean };
    assert.equal(health.ok, true);
    // A node whose ledger is lost altogether starts empty and comes back the same way.
    await c2.close();
    for (const f of ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm'])
      rmSync(join(dir, f), { force: true });
    const c3 = await c.restart(2);
    await until('the emptied node to catch up', () => c3.node.ledger.size === a.node.ledger.size);
    assert.equal(c3.node.ledger.stateDigestHex, a.node.ledger.stateDigestHex);
    await verifyLedgerFile(join(dir, 'ledger.sqlite'), {
      registry,
      secrets: consortiumSecrets(readConsortiumKey(dir)!),
    });
  });
});
