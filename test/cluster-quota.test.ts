/**
 * A sustained run through a consortium whose etcd has a small quota: more batch data than the
 * quota would hold goes through, because every node deletes what all have applied, compacts and
 * defragments. Without the cleanup, etcd would refuse writes ("database space exceeded").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../src/core/bytes.js';
import { CONSORTIUM_ORGS, startConsortium, until, type Consortium } from './consortium.js';
import { etcdClient } from '../tools/etcd.js';
import { body, post, privateEnrol, type TestNode } from './helpers.js';

const ORGS = CONSORTIUM_ORGS;
const QUOTA = 12 * 1024 * 1024;

describe('a sustained run past the etcd quota', () => {
  let c: Consortium;
  let nodes: TestNode[] = [];

  before(async () => {
    c = await startConsortium({
      etcd: { quotaBackendBytes: QUOTA },
      cluster: { defragAboveMiB: 2 },
    });
    nodes = c.nodes;
  });
  after(async () => c.close());

  it('keeps going with more data than the quota holds, and nothing acknowledged is lost', async () => {
    const filler = 'x'.repeat(180);
    let written = 0;
    let ok = 0;
    // Each submission carries a private part of about 600 bytes: 36 rounds × 3 nodes × 200.
    for (let round = 0; round < 36; round++) {
      await Promise.all(
        nodes.map(async (n, i) => {
          const subs = Array.from({ length: 200 }, () =>
            privateEnrol(n.chain, `${ORGS[i]}/admin`, `q${round}-${++written}`, {
              fullName: `Staff ${filler}`,
              email: `${filler}@example.org`,
            }),
          );
          const text = body(subs);
          written += text.length;
          const r = await post(n.url, '/v1/txs', text);
          assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
          for (const x of r.json.results as { result: { ok: boolean } }[]) if (x.result.ok) ok++;
        }),
      );
    }
    assert.ok(written > QUOTA * 1.5, `${written} bytes written through a ${QUOTA}-byte quota`);
    assert.equal(ok, 36 * 3 * 200);
    // Every node applied everything, and etcd holds only what is not yet applied by all.
    await until('every node to apply everything', () =>
      nodes.every((n) => n.node.ledger.size === nodes[0]!.node.ledger.size),
    );
    const root = toHex(nodes[0]!.node.ledger.log.rootAt(nodes[0]!.node.ledger.size));
    for (const n of nodes) assert.equal(toHex(n.node.ledger.log.rootAt(n.node.ledger.size)), root);
    const client = etcdClient(c.etcd.endpoints);
    try {
      const status = await client.maintenance.status();
      assert.ok(Number(status.dbSize) < QUOTA, `etcd database ${status.dbSize} bytes`);
      const alarms = await client.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' });
      assert.deepEqual(alarms.alarms ?? [], []);
    } finally {
      client.close();
    }
  });
});
