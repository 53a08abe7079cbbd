/**
 * The public reads the portal is built on, over real HTTP against a node holding the whole
 * medical-aid demo: the fund flows add up to every program's money, recent activity comes newest
 * first and names no person, governance matches the genesis and the votes, a donation's trace
 * carries the transactions that moved each case's money, and a program says which facts each
 * condition reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  donationTrace,
  fundFlows,
  governance,
  program,
  programs,
  publicDonations,
  publicPrograms,
  recentActivity,
  type FlowEnd,
  type FundFlow,
} from '../src/sdk/index.js';
import { AidError } from '../src/core/errors.js';
import { get, type TestNode } from './helpers.js';
import { startDemoWebNode } from './web-fixture.js';

const sum = (xs: readonly { amount: string }[]) => xs.reduce((a, x) => a + BigInt(x.amount), 0n);
const isProgram = (e: FlowEnd, id: string) => e.kind === 'program' && e.program === id;

describe('public reads for the portal', () => {
  let t: TestNode & { cleanupDir(): void };
  before(async () => {
    t = await startDemoWebNode();
  });
  after(async () => {
    await t?.close();
    t?.cleanupDir();
  });

  describe('fund flows', () => {
    let flows: FundFlow[];
    before(async () => {
      flows = await fundFlows(t.url);
    });

    it('balances every program: what flows in is what it received, what flows out is where it is', async () => {
      const views = await programs(t.url);
      const money = await publicPrograms(t.url);
      assert.equal(views.length, 3);
      for (const p of views) {
        const into = flows.filter((f) => isProgram(f.to, p.id));
        const out = flows.filter((f) => isProgram(f.from, p.id));
        assert.ok(into.length > 0, `${p.id} receives`);
        assert.equal(sum(into), BigInt(p.received), `${p.id}: in = received`);
        assert.equal(sum(out), sum(into), `${p.id}: out = in`);
        const hospitals = out.filter((f) => f.to.kind === 'hospital');
        const committed = hospitals.reduce((a, f) => a + BigInt(f.committed!), 0n);
        const paid = hospitals.reduce((a, f) => a + BigInt(f.paid!), 0n);
        assert.equal(committed, BigInt(p.committed), `${p.id}: committed`);
        assert.equal(paid, BigInt(p.paid), `${p.id}: paid`);
        for (const h of hospitals)
          assert.equal(BigInt(h.amount), BigInt(h.committed!) + BigInt(h.paid!));
        const avail = out.find((f) => f.to.kind === 'available');
        assert.equal(BigInt(avail?.amount ?? '0'), BigInt(p.available));
        const returned = out.find((f) => f.to.kind === 'returned');
        assert.equal(BigInt(returned?.amount ?? '0'), BigInt(p.returned));
        // The public summary's received is net of returns.
        const m = money.find((x) => x.id === p.id)!;
        assert.equal(BigInt(m.received), BigInt(p.received) - BigInt(p.returned));
        for (const f of [...into, ...out]) assert.equal(f.currency, p.currency);
      }
    });

    it('brings donations in by donor kind, allocations by organisation, and keeps unassigned general donations apart', async () => {
      const donations = await publicDonations(t.url, 500);
      const fromDonors = flows.filter((f) => f.from.kind === 'donors');
      assert.equal(sum(fromDonors), sum(donations), 'every donated amount flows somewhere');
      for (const kind of ['org', 'person', 'anonymous'] as const) {
        const flowsOfKind = fromDonors.filter(
          (f) => f.from.kind === 'donors' && f.from.donor === kind,
        );
        const given = donations.filter((d) => d.donor.kind === kind);
        assert.equal(sum(flowsOfKind), sum(given), kind);
      }
      const unassigned = flows.filter((f) => f.to.kind === 'unassigned');
      const generals = await Promise.all(
        donations.filter((d) => d.program === null).map((d) => donationTrace(t.url, d.id)),
      );
      assert.ok(generals.length > 0, 'the demo has a general donation');
      assert.equal(
        unassigned.reduce((a, f) => a + BigInt(f.amount), 0n),
        generals.reduce((a, g) => a + BigInt(g.unassigned!), 0n),
      );
      const allocations = flows.filter((f) => f.from.kind === 'allocation');
      assert.deepEqual(
        [
          ...new Set(allocations.map((f) => (f.from.kind === 'allocation' ? f.from.org : ''))),
        ].sort(),
        ['children-hospital', 'city-bureau'],
      );
    });

    it('names no donor person and no patient', async () => {
      const text = (await get(t.url, '/v1/public/flows')).text;
      assert.doesNotMatch(text, /alias|patient|applicant/);
      for (const f of flows)
        for (const e of [f.from, f.to])
          assert.deepEqual(
            Object.keys(e).sort(),
            {
              donors: ['donor', 'kind'],
              allocation: ['kind', 'org'],
              unassigned: ['kind', 'org'],
              hospital: ['kind', 'org'],
              program: ['kind', 'program'],
              available: ['kind'],
              returned: ['kind'],
            }[e.kind],
          );
    });
  });

  describe('recent activity', () => {
    it('lists the latest donations and payments to hospitals, newest first', async () => {
      const all = await publicDonations(t.url, 500);
      const a = await recentActivity(t.url, 4);
      assert.equal(a.donations.length, 4);
      assert.equal(a.disbursements.length, 4);
      for (const list of [a.donations, a.disbursements])
        for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.time >= list[i]!.time);
      const newest = Math.max(...all.map((d) => d.time));
      assert.equal(a.donations[0]!.time, newest);
      for (const d of a.donations)
        assert.deepEqual(
          d,
          all.find((x) => x.id === d.id),
        );
    });

    it('ties each payment to its case’s disbursement, and says when the hospital confirmed it', async () => {
      const a = await recentActivity(t.url, 20);
      assert.ok(a.disbursements.some((d) => d.confirmed !== undefined));
      for (const d of a.disbursements) {
        const c = (await get(t.url, `/v1/public/cases/${d.case}`)).json as {
          hospital: string;
          program: string;
          history: { state: string; tx: string; time: number }[];
        };
        assert.equal(c.hospital, d.hospital);
        assert.equal(c.program, d.program);
        assert.ok(
          c.history.some((h) => h.state === 'disbursed' && h.tx === d.tx && h.time === d.time),
        );
        const confirmed = c.history.find((h) => h.state === 'confirmed');
        assert.equal(d.confirmed, confirmed?.time);
      }
    });

    it('refuses a limit outside 1 to 100 with BAD_REQUEST', async () => {
      for (const limit of ['0', '101', 'x', '-1']) {
        const r = await get(t.url, `/v1/public/activity?limit=${limit}`);
        assert.equal(r.status, 400, limit);
        assert.equal(r.json?.error?.code, 'BAD_REQUEST');
      }
      await assert.rejects(
        recentActivity(t.url, 0),
        (e) => e instanceof AidError && e.code === 'BAD_REQUEST',
      );
    });
  });

  it('tells how the consortium governs itself, as the genesis and the votes say', async () => {
    const g = await governance(t.url);
    const genesis = (await get(t.url, '/v1/genesis')).json as {
      governanceQuorum: number;
      checkpointQuorum: number;
    };
    const orgs = (await get(t.url, '/v1/orgs')).json as {
      orgs: { id: string; nodeKey: string | null }[];
    };
    assert.equal(g.governanceQuorum, genesis.governanceQuorum);
    assert.equal(g.checkpointQuorum, genesis.checkpointQuorum);
    assert.equal(g.orgs, orgs.orgs.length);
    assert.equal(g.nodes, orgs.orgs.filter((o) => o.nodeKey !== null).length);
    const admit = g.proposals.find((p) => p.kind === 'admitOrg');
    assert.ok(admit, 'the demo admits an organisation by vote');
    assert.equal(admit.status, 'adopted');
    assert.ok(orgs.orgs.some((o) => o.id === admit.org!.id));
    assert.ok(admit.votes.filter((v) => v.approve).length >= g.governanceQuorum);
  });

  it('traces a donation to each case with the transactions that moved its money', async () => {
    const donations = await publicDonations(t.url, 500);
    let cases = 0;
    for (const d of donations) {
      const tr = await donationTrace(t.url, d.id);
      for (const lot of tr.lots)
        for (const c of lot.cases) {
          cases++;
          assert.ok(c.steps.length > 0, 'a case a lot paid for was funded');
          assert.equal(c.steps[0]!.state, 'funded');
          const pub = (await get(t.url, `/v1/public/cases/${c.case}`)).json as {
            history: { state: string; tx: string }[];
          };
          for (const s of c.steps) {
            assert.ok(pub.history.some((h) => h.state === s.state && h.tx === s.tx));
            assert.equal((await get(t.url, `/v1/tx/${s.tx}`)).status, 200);
          }
          assert.equal(
            c.paid,
            c.steps.some((s) => s.state === 'confirmed'),
          );
        }
    }
    assert.ok(cases > 10, `${cases} cases traced`);
  });

  it('says which facts each condition of a program reads', async () => {
    const p = await program(t.url, 'city-medical-assistance');
    assert.deepEqual(p.conditionFacts, {
      'income-limit': ['householdIncomePerCapita'],
      'own-expense': ['ownExpense'],
    });
    const hope = await program(t.url, 'children-critical-illness');
    assert.deepEqual(hope.conditionFacts, { child: ['age'], 'critical-illness': ['diagnoses'] });
  });

  it('documents the new reads in the OpenAPI document', async () => {
    const doc = (await get(t.url, '/v1/openapi.json')).json as { paths: Record<string, object> };
    for (const path of ['/v1/public/flows', '/v1/public/activity', '/v1/public/governance'])
      assert.ok(doc.paths[path], path);
  });
});
