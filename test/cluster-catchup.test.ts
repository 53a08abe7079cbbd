/**
 * A node away longer than etcd keeps batches: the others delete what it has not applied (past
 * the retention), and when it returns it catches up from a peer's blocks, checking every
 * transaction and then its root against the quorum's checkpoint.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../src/core/bytes.js';
import { consortiumSecrets } from '../src/ledger/secrets.js';
import { verifyLedgerFile } from '../src/ledger/verify.js';
import { readConsortiumKey } from '../src/node/config.js';
import { writeDemoDir } from '../src/node/demo.js';
import { etcdClient, startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';
import { body, post, SEED, startNode, tempDir, txBy, type TestNode } from './helpers.js';

const ORGS = ['city-bureau', 'hope-foundation', 'general-hospital'] as const;

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a node that was away longer than etcd keeps batches', () => {
  let etcd: EtcdCluster;
  const nodes: TestNode[] = [];
  const base = tempDir('aidledger-catchup-');
  let k = 0;
  const load = async (n: TestNode, org: string, requests: number) => {
    for (let r = 0; r < requests; r++) {
      const subs = Array.from({ length: 5 }, () => ({
        tx: txBy(n.chain, `${org}/admin`, 'membership.enrol', {
          name: `c${++k}`,
          roles: ['clerk'],
          key: toHex(crypto.getRandomValues(new Uint8Array(32))),
        }),
      }));
      const res = await post(n.url, '/v1/txs', body(subs));
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
  };

  before(async () => {
    etcd = await startEtcdCluster();
    const time = Date.now() - 1000;
    for (const org of ORGS) {
      const dir = join(base.dir, org);
      writeDemoDir(dir, SEED, time, {
        org,
        nodes: ORGS,
        checkpointQuorum: 2,
        cluster: { endpoints: etcd.endpoints, retainRevisions: 30 },
      });
      nodes.push(await startNode({ dir, maxWaitMs: 5 }));
    }
  });
  after(async () => {
    for (const n of nodes) await n.close();
    await etcd.stop();
    base.cleanup();
  });

  it('catches up from a peer after its batches were deleted, and verifies', async () => {
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    await load(a, 'city-bureau', 3);
    await until('all to apply', () => c.node.ledger.size === a.node.ledger.size);
    const away = c.node.ledger.position;
    const dir = c.dir;
    await c.close();
    // The others go on well past the retention.
    await load(a, 'city-bureau', 30);
    await load(b, 'hope-foundation', 30);
    const client = etcdClient(etcd.endpoints);
    try {
      await until(
        'the batches the absent node needs to be deleted',
        async () => Number((await client.get(`aidledger/${a.chain}/floor`).string()) ?? 0) > away,
      );
    } finally {
      client.close();
    }
    // Back: it cannot read what it missed from etcd, so it takes it from a peer.
    nodes[2] = await startNode({ dir, maxWaitMs: 5 });
    const c2 = nodes[2]!;
    await until('the returning node to catch up', () => c2.node.ledger.size === a.node.ledger.size);
    assert.equal(
      toHex(c2.node.ledger.rootAt(c2.node.ledger.size)),
      toHex(a.node.ledger.rootAt(a.node.ledger.size)),
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
    nodes[2] = await startNode({ dir, maxWaitMs: 5 });
    const c3 = nodes[2]!;
    await until('the emptied node to catch up', () => c3.node.ledger.size === a.node.ledger.size);
    assert.equal(c3.node.ledger.stateDigestHex, a.node.ledger.stateDigestHex);
    await verifyLedgerFile(join(dir, 'ledger.sqlite'), {
      secrets: consortiumSecrets(readConsortiumKey(dir)!),
    });
  });
});
