/**
 * A consortium of three nodes ordered by a real three-member etcd cluster on loopback: identical
 * blocks, roots and state digests under concurrent load from clients on every node, checkpoints
 * cosigned by the quorum, medical-aid steps taken on different nodes, and a node whose database
 * was altered detected by the others and stopped.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { verifyCheckpoint } from '../src/chain/policy.js';
import { toHex } from '../src/core/bytes.js';
import type { AidError } from '../src/core/errors.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { readConsortiumKey } from '../src/node/config.js';
import { cnId, line, programSpec } from './aid-fixtures.js';
import { CONSORTIUM_ORGS, startConsortium, until, type Consortium } from './consortium.js';
import { etcdClient, type EtcdCluster } from '../tools/etcd.js';
import { body, enrolPayload, post, txBy, type TestNode } from './helpers.js';
import { buildSubmission } from '../src/sdk/build.js';
import { canonicalJson } from '../src/core/canonical.js';
import { seedOf } from './helpers.js';
import { registry } from '../src/domains/protocols.js';

const ORGS = CONSORTIUM_ORGS;

describe('a consortium of three nodes on a three-member etcd cluster', () => {
  let c: Consortium;
  let nodes: TestNode[] = [];
  let etcd: EtcdCluster;

  before(async () => {
    c = await startConsortium();
    nodes = c.nodes;
    etcd = c.etcd;
  });
  after(async () => c.close());

  const sameEverywhere = async () => {
    await until('every node to reach the same size', () => {
      const sizes = nodes.map((n) => n.node.ledger.size);
      return sizes.every((s) => s === sizes[0]);
    });
    const l = nodes.map((n) => n.node.ledger);
    const size = l[0]!.size;
    for (const x of l.slice(1)) {
      assert.equal(x.height, l[0]!.height);
      assert.equal(toHex(x.log.rootAt(size)), toHex(l[0]!.log.rootAt(size)));
      assert.equal(x.stateDigestHex, l[0]!.stateDigestHex);
      assert.deepEqual(x.block(x.height), l[0]!.block(l[0]!.height));
    }
    return size;
  };

  it('builds identical blocks, roots and state digests under concurrent load on every node', async () => {
    let k = 0;
    const load = nodes.map(async (n, i) => {
      for (let round = 0; round < 10; round++) {
        const subs = Array.from({ length: 20 }, () => ({
          tx: txBy(
            n.chain,
            `${ORGS[i]}/admin`,
            'membership.enrol',
            enrolPayload(n.chain, ORGS[i]!, `m${++k}`),
          ),
        }));
        const r = await post(n.url, '/v1/txs', body(subs));
        assert.equal(r.status, 200, JSON.stringify(r.json));
        for (const x of r.json.results as { result: { ok: boolean } }[])
          assert.equal(x.result.ok, true);
      }
    });
    await Promise.all(load);
    const size = await sameEverywhere();
    assert.ok(size > 600, `${size} log entries`);
    // Every node proposed batches, and every node applied all of them.
    const l = nodes[0]!.node.ledger;
    const proposers = new Set(l.blocks(1, 1000).map((b) => b.proposer));
    assert.deepEqual([...proposers].sort(), [...ORGS].sort());
    // Each member is in the log once: nothing acknowledged was lost or applied twice.
    const members = nodes[0]!.node.ledger.stateScan('membership/member/', 10_000);
    assert.equal(
      members.filter((m) => /\/m\d+"/.test(m.value) || /\/m\d+$/.test(m.key)).length,
      600,
    );
  });

  it('serves a checkpoint cosigned by the policy’s quorum on every node', async () => {
    await sameEverywhere();
    for (const n of nodes) {
      await until('a checkpoint signed by all three', async () => {
        const note = await (await fetch(`${n.url}/v1/log/checkpoint`)).text();
        const policy = (await (await fetch(`${n.url}/v1/policy`)).json()) as Parameters<
          typeof verifyCheckpoint
        >[1];
        const v = verifyCheckpoint(note, policy);
        return v.orgs.length === 3;
      });
    }
  });

  it('takes the steps of a case on different nodes', async () => {
    const [a, b, cc] = nodes as [TestNode, TestNode, TestNode];
    const send = async (
      n: TestNode,
      signer: string,
      type: string,
      payload: Record<string, unknown>,
      facts?: Record<string, unknown>,
    ) => {
      const sub = buildSubmission(
        { chain: n.chain, type, payload, ...(facts ? { facts } : {}) },
        seedOf(signer),
      );
      const r = await post(n.url, '/v1/tx', canonicalJson(sub));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return r.json as { id: string; result: { ok: boolean } };
    };
    // The members the demo would enrol; then the program, money and a case, node by node.
    await send(
      a,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(
        a.chain,
        'city-bureau',
        'manager-1',
        ['program-manager'],
        seedOf('city-bureau/manager-1'),
      ),
    );
    await send(
      a,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(
        a.chain,
        'city-bureau',
        'finance-1',
        ['finance'],
        seedOf('city-bureau/finance-1'),
      ),
    );
    await send(
      a,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(
        a.chain,
        'city-bureau',
        'reviewer-1',
        ['reviewer'],
        seedOf('city-bureau/reviewer-1'),
      ),
    );
    await send(
      cc,
      'general-hospital/admin',
      'membership.enrol',
      enrolPayload(
        cc.chain,
        'general-hospital',
        'social-worker-1',
        ['social-worker'],
        seedOf('general-hospital/social-worker-1'),
      ),
    );
    assert.equal(
      (await send(b, 'city-bureau/manager-1', 'programs.publish', programSpec('gov'))).result.ok,
      true,
    );
    assert.equal(
      (
        await send(a, 'city-bureau/finance-1', 'funds.allocate', {
          program: 'gov',
          amount: '1000000',
        })
      ).result.ok,
      true,
    );
    const sub = await send(
      cc,
      'general-hospital/social-worker-1',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(1) },
        declared: { householdIncomePerCapita: '1000000' },
      },
    );
    assert.equal(sub.result.ok, true);
    const ver = await send(
      b,
      'general-hospital/social-worker-1',
      'cases.verify',
      { case: sub.id },
      {
        patient: { kind: 'cn', id: cnId(1) },
        diagnoses: ['C91.0'],
        lines: [line('CL-1', 1, '300000')],
      },
    );
    assert.equal(ver.result.ok, true);
    // The private parts reached every node: any of them can give the assessor its sources.
    await sameEverywhere();
    const sources = a.node.ledger.privatePart(ver.id);
    assert.ok(sources && cc.node.ledger.privatePart(ver.id));
    const { AidQueries } = await import('../src/domains/aid/model.js');
    const bundle = new AidQueries(cc.node.ledger).assessmentSources(sub.id);
    assert.equal(
      (await send(a, 'city-bureau/reviewer-1', 'cases.assess', { case: sub.id }, bundle)).result.ok,
      true,
    );
    await sameEverywhere();
    for (const n of nodes) {
      const pub = (await (await fetch(`${n.url}/v1/public/cases/${sub.id}`)).json()) as {
        state: string;
        amount: string;
      };
      assert.equal(pub.state, 'funded');
      assert.equal(pub.amount, '300000');
    }
  });

  it('ignores checkpoint signature records nobody signed', async () => {
    const size = await sameEverywhere();
    const client = etcdClient(etcd.endpoints);
    try {
      for (const org of ['city-bureau', 'hope-foundation']) {
        const rec = { size, height: 1, root: '00'.repeat(32), org, line: `\u2014 ${org} AAAA\n` };
        await client
          .put(`aidledger/${nodes[0]!.chain}/s/${String(size).padStart(16, '0')}/${org}`)
          .value(JSON.stringify(rec))
          .exec();
      }
    } finally {
      client.close();
    }
    // One more block, so every node has read past the forged records.
    const r = await post(
      nodes[2]!.url,
      '/v1/tx',
      body({
        tx: txBy(
          nodes[2]!.chain,
          'general-hospital/admin',
          'membership.enrol',
          enrolPayload(
            nodes[2]!.chain,
            'general-hospital',
            'later',
            ['clerk'],
            seedOf('general-hospital/later'),
          ),
        ),
      }),
    );
    assert.equal(r.status, 200);
    await sameEverywhere();
    await new Promise((res) => setTimeout(res, 500));
    for (const n of nodes) {
      const h = (await (await fetch(`${n.url}/v1/health`)).json()) as {
        ok: boolean;
        diverged?: unknown[];
      };
      assert.equal(h.ok, true, JSON.stringify(h));
      assert.equal(h.diverged, undefined, JSON.stringify(h));
    }
  });

  it('stops a node whose database was altered; the others report it and go on', async () => {
    await sameEverywhere();
    const [a, b, third] = nodes as [TestNode, TestNode, TestNode];
    // Alter one organisation's record in the third node's state behind its back.
    const db = new Database(join(third.dir, 'ledger.sqlite'));
    const altered = db
      .prepare(
        `UPDATE state SET value = replace(value, '"admins":1', '"admins":5') WHERE key = 'membership/org/hope-foundation'`,
      )
      .run();
    assert.equal(altered.changes, 1);
    db.close();
    // A restart reads the altered state (the node's caches are not the file).
    const dir = third.dir;
    await third.close();
    const c2 = await c.restart(2);
    // A new admin makes every node write the foundation's admin count: the altered one differs.
    const r = await post(
      a.url,
      '/v1/tx',
      body({
        tx: txBy(
          a.chain,
          'hope-foundation/admin',
          'membership.enrol',
          enrolPayload(
            a.chain,
            'hope-foundation',
            'after',
            ['admin'],
            seedOf('hope-foundation/after'),
          ),
        ),
      }),
    );
    assert.equal(r.status, 200);
    await until('the altered node to stop committing', async () => {
      const h = (await (await fetch(`${c2.url}/v1/health`)).json()) as {
        ok: boolean;
        code?: string;
      };
      return !h.ok && h.code === 'DIVERGED';
    });
    await until('the others to report the peer', async () => {
      const h = (await (await fetch(`${b.url}/v1/health`)).json()) as {
        ok: boolean;
        diverged?: { org: string }[];
      };
      return h.ok && (h.diverged ?? []).some((d) => d.org === 'general-hospital');
    });
    // verify --dir names the block where its state went wrong; the honest nodes verify.
    const height = c2.node.ledger.height;
    const secrets = consortiumSecrets(readConsortiumKey(dir)!);
    const failure = await verifyLedgerFile(join(dir, 'ledger.sqlite'), { registry, secrets }).then(
      () => undefined,
      (e: unknown) => e as AidError,
    );
    assert.equal(failure?.code, 'VERIFY_FAILED');
    assert.equal(failure.details?.height, height);
    await verifyLedgerFile(join(a.dir, 'ledger.sqlite'), { registry, secrets });
  });
});
