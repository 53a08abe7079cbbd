/**
 * A program manager's preview of a draft over real HTTP against a node holding the whole demo:
 * who may ask (the program's own managers and reviewers, nobody else), what a bad draft or a bad
 * page gets, and that the preview agrees with the contract — the published rules reproduce every
 * decision made under them, and a draft, once published, decides a newly assessed case exactly
 * as the preview said it would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../src/domains/aid/client.js';
import { buildSubmission } from '../src/sdk/build.js';
import { caseReference } from '../src/domains/aid/reference.js';
import { seedOf } from './helpers.js';
import { startDemoWebNode, type DemoWebNode } from './web-fixture.js';

const CITY = 'city-medical-assistance';

interface Change {
  id: string;
  reference: string;
  before: { eligible: boolean; amount: string; version: number };
  after: { eligible: boolean; amount: string; failed: string[] };
}
interface Preview {
  evaluated: number;
  unavailable: number;
  eligibleBefore: number;
  eligibleAfter: number;
  grantedBefore: string;
  grantedAfter: string;
  changes: Change[];
  nextCursor?: string;
}

describe('the preview of a program draft', () => {
  let t: DemoWebNode;
  let manager = '';
  let spec: Record<string, unknown> & { conditions: { name: string; expr: string }[] };
  let version = 0;

  async function preview(token: string | undefined, body: unknown, id = CITY) {
    const res = await fetch(`${t.url}/v1/programs/${id}/preview`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as Preview & { error?: { code: string; message: string } };
    return { status: res.status, json };
  }

  /** Every page of the draft's preview, 37 cases at a time, summed. */
  async function wholePreview(token: string, draft: unknown): Promise<Preview> {
    const all: Preview = {
      evaluated: 0,
      unavailable: 0,
      eligibleBefore: 0,
      eligibleAfter: 0,
      grantedBefore: '0',
      grantedAfter: '0',
      changes: [],
    };
    let cursor: string | undefined;
    do {
      const r = await preview(token, { draft, limit: 37, ...(cursor ? { cursor } : {}) });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      all.evaluated += r.json.evaluated;
      all.unavailable += r.json.unavailable;
      all.eligibleBefore += r.json.eligibleBefore;
      all.eligibleAfter += r.json.eligibleAfter;
      all.grantedBefore = (BigInt(all.grantedBefore) + BigInt(r.json.grantedBefore)).toString();
      all.grantedAfter = (BigInt(all.grantedAfter) + BigInt(r.json.grantedAfter)).toString();
      all.changes.push(...r.json.changes);
      cursor = r.json.nextCursor;
    } while (cursor);
    return all;
  }

  before(async () => {
    t = await startDemoWebNode();
    manager = await signIn(t.client, t.chain, seedOf('city-bureau/manager-1'));
    const prog = (await (await fetch(`${t.url}/v1/programs/${CITY}`)).json()) as {
      definition: Record<string, unknown> & { version: number };
    };
    const { owner: _o, version: v, tx: _tx, time: _time, ...rest } = prog.definition;
    spec = rest as typeof spec;
    version = v;
  });
  after(async () => {
    await t?.close();
    t?.cleanupDir();
  });

  it('is refused to anyone but the program’s own managers and reviewers', async () => {
    const body = { draft: spec };
    assert.equal((await preview(undefined, body)).status, 401);
    for (const who of [
      'general-hospital/clerk-2', // the treating hospital of many of its cases
      'hope-foundation/manager-1', // a manager of another organisation's program
      'city-bureau/finance-1', // the owner's staff, but not one who decides on rules
      'audit-office/auditor-1',
    ]) {
      const r = await preview(await signIn(t.client, t.chain, seedOf(who)), body);
      assert.equal(r.status, 403, who);
      assert.equal(r.json.error?.code, 'FORBIDDEN', who);
    }
    const reviewer = await signIn(t.client, t.chain, seedOf('city-bureau/reviewer-2'));
    assert.equal((await preview(reviewer, { draft: spec, limit: 5 })).status, 200);
  });

  it('refuses a draft that is not a valid program, or a page out of bounds', async () => {
    const bad = (conditions: unknown) => ({ draft: { ...spec, conditions } });
    const notCel = await preview(manager, bad([{ ...spec.conditions[0], expr: 'ownExpense >=' }]));
    assert.equal(notCel.status, 400);
    assert.equal(notCel.json.error?.code, 'BAD_REQUEST');
    assert.match(notCel.json.error!.message, /1:\d+/, 'the error names its position');
    const float = await preview(
      manager,
      bad([{ ...spec.conditions[0], expr: 'ownExpense > 1.5' }]),
    );
    assert.equal(float.status, 400);
    const unknown = await preview(manager, bad([{ ...spec.conditions[0], expr: 'salary > 1' }]));
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error!.message, /unknown facts: salary/);
    const other = await preview(manager, { draft: { ...spec, id: 'children-critical-illness' } });
    assert.equal(other.status, 400);
    const noSuch = await preview(
      manager,
      { draft: { ...spec, id: 'no-such-program' } },
      'no-such-program',
    );
    assert.equal(noSuch.status, 404);
    assert.equal((await preview(manager, { draft: spec, limit: 201 })).status, 400);
    assert.equal((await preview(manager, { draft: spec, cursor: 'nonsense' })).status, 400);
    assert.equal((await preview(manager, { draft: spec, extra: 1 })).status, 400);
    assert.equal((await preview(manager, '{"draft":')).status, 400);
    const huge = JSON.stringify({ draft: { ...spec, padding: 'x'.repeat(300 * 1024) } });
    assert.equal((await preview(manager, huge)).status, 413);
  });

  it('reproduces every decision made under the rules as published', async () => {
    const p = await wholePreview(manager, spec);
    assert.ok(p.evaluated > 30, `evaluated ${p.evaluated}`);
    assert.equal(p.unavailable, 0);
    // A case decided under an earlier version may change; none decided under this one does.
    assert.deepEqual(
      p.changes.filter((c) => c.before.version === version).map((c) => c.id),
      [],
    );
  });

  it('names the cases a stricter income limit would refuse, and agrees with the contract once published', async () => {
    const stricter = {
      ...spec,
      conditions: spec.conditions.map((c) =>
        c.name === 'income-limit' ? { ...c, expr: 'householdIncomePerCapita <= 1200000' } : c,
      ),
      benefit: { ...(spec.benefit as Record<string, unknown>), rateBp: 6000 },
    };
    const p = await wholePreview(manager, stricter);
    assert.ok(p.eligibleAfter < p.eligibleBefore, JSON.stringify(p));
    assert.ok(BigInt(p.grantedAfter) < BigInt(p.grantedBefore));
    const refused = p.changes.filter((c) => c.before.eligible && !c.after.eligible);
    assert.ok(refused.length > 0);
    for (const c of refused) assert.deepEqual(c.after.failed, ['income-limit']);
    for (const c of p.changes) {
      assert.equal(c.reference, caseReference(c.id));
      assert.match(c.reference, /^AL-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    }

    // Published, then a verified case assessed by the contract: the preview says the same.
    const sign = (member: string, type: string, payload: object, facts?: object) =>
      t.client.submit(
        buildSubmission(
          {
            chain: t.chain,
            type,
            payload: payload as Record<string, unknown>,
            ...(facts ? { facts: facts as Record<string, unknown> } : {}),
          },
          seedOf(member),
        ),
      );
    const published = await sign('city-bureau/manager-1', 'programs.publish', stricter);
    assert.equal(published.result.ok, true, JSON.stringify(published.result));
    const list = (await (
      await fetch(`${t.url}/v1/cases?program=${CITY}&state=verified&limit=1`, {
        headers: { authorization: `Bearer ${manager}` },
      })
    ).json()) as { cases: { id: string }[] };
    const target = list.cases[0]!.id;
    const sources = (await (
      await fetch(`${t.url}/v1/cases/${target}/sources`, {
        headers: { authorization: `Bearer ${manager}` },
      })
    ).json()) as object;
    const assessed = await sign('city-bureau/manager-1', 'cases.assess', { case: target }, sources);
    assert.equal(assessed.result.ok, true, JSON.stringify(assessed.result));
    const after = await wholePreview(manager, stricter);
    assert.equal(after.evaluated, p.evaluated + 1);
    assert.ok(!after.changes.some((c) => c.id === target), 'the contract decided as previewed');
    // The same draft with the old rate would have granted this case otherwise.
    const older = await wholePreview(manager, { ...stricter, benefit: spec.benefit });
    const mine = older.changes.find((c) => c.id === target);
    const rec = (await (
      await fetch(`${t.url}/v1/cases/${target}`, {
        headers: { authorization: `Bearer ${manager}` },
      })
    ).json()) as { case: { decision: { eligible: boolean; benefit: { amount: string } } } };
    if (rec.case.decision.eligible) {
      assert.ok(mine, 'another rate changes an eligible case’s amount');
      assert.equal(mine.before.amount, rec.case.decision.benefit.amount);
    }
  });
});
