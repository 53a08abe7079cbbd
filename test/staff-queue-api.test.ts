/**
 * What the staff work queue reads, over real HTTP against a node holding the whole demo: the
 * cases in any of several states (a role's queue), a search by the first digits of a case number,
 * counts per state within what the viewer may see, and paging that visits every case once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../src/domains/aid/client.js';
import { FREEZE_REASONS } from '../src/domains/aid/reasons.js';
import { seedOf } from './helpers.js';
import { startDemoWebNode, type DemoWebNode } from './web-fixture.js';

interface Row {
  id: string;
  state: string;
  hospital: string;
  owner: string;
}

describe('the work queue’s reads', () => {
  let t: DemoWebNode;
  let bureau = '';
  let hospital = '';

  async function read(path: string, token: string) {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  before(async () => {
    t = await startDemoWebNode();
    bureau = await signIn(t.client, t.chain, seedOf('city-bureau/reviewer-2'));
    hospital = await signIn(t.client, t.chain, seedOf('general-hospital/social-worker-1'));
  });
  after(async () => {
    await t?.close();
    t?.cleanupDir();
  });

  it('lists the cases in any of several states, and counts them per state', async () => {
    const counts = await read('/v1/cases/counts', bureau);
    assert.equal(counts.status, 200, JSON.stringify(counts.json));
    const c = counts.json.counts as Record<string, number>;
    const total = counts.json.total as number;
    assert.equal(
      Object.values(c).reduce((a, b) => a + b, 0),
      total,
    );
    const waiting = (c.assessed ?? 0) + (c.appealed ?? 0);
    assert.ok(waiting > 0, 'the demo has cases awaiting review');

    // Every page of the two states, 7 at a time: each case once, only those states, all of them.
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await read(
        `/v1/cases?state=assessed,appealed&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        bureau,
      );
      assert.equal(page.status, 200, JSON.stringify(page.json));
      for (const r of page.json.cases as Row[]) {
        assert.ok(['assessed', 'appealed'].includes(r.state));
        assert.equal(r.owner, 'city-bureau');
        assert.ok(!seen.has(r.id));
        seen.add(r.id);
      }
      cursor = page.json.nextCursor as string | undefined;
    } while (cursor);
    assert.equal(seen.size, waiting);

    const bad = await read('/v1/cases?state=assessed,flying', bureau);
    assert.equal(bad.status, 400);
    assert.equal((bad.json.error as { code: string }).code, 'BAD_REQUEST');
    const twice = await read('/v1/cases?state=assessed,assessed', bureau);
    assert.equal(twice.status, 400);
  });

  it('finds a case by the first digits of its number, within what the viewer may see', async () => {
    const all = await read('/v1/cases?limit=200', hospital);
    const rows = all.json.cases as Row[];
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.hospital === 'general-hospital'));
    const target = rows[rows.length - 1]!;
    const found = await read(`/v1/cases?id=${target.id.slice(0, 10)}`, hospital);
    assert.deepEqual(
      (found.json.cases as Row[]).map((r) => r.id),
      [target.id],
    );
    const counted = await read(`/v1/cases/counts?id=${target.id}`, hospital);
    assert.equal(counted.json.total, 1);

    // Another hospital's case is not found by the general hospital's clerk.
    const everything = await read('/v1/cases?limit=200', bureau);
    const other = (everything.json.cases as Row[]).find((r) => r.hospital !== 'general-hospital');
    assert.ok(other);
    const hidden = await read(`/v1/cases?id=${other.id}`, hospital);
    assert.deepEqual(hidden.json.cases, []);
    const forbidden = await read('/v1/cases/counts?hospital=children-hospital', hospital);
    assert.equal(forbidden.status, 403);

    const notHex = await read('/v1/cases?id=XYZ', hospital);
    assert.equal(notHex.status, 400);
  });

  it('names a case’s freeze while it holds, to those who may see the case', async () => {
    const funded = await read('/v1/cases?state=funded&limit=200', bureau);
    const views = await Promise.all(
      (funded.json.cases as Row[]).map(async (r) => (await read(`/v1/cases/${r.id}`, bureau)).json),
    );
    const frozen = views.filter((v) => v.frozen !== undefined);
    // The demo's regulator froze one funded case of the city program.
    assert.equal(frozen.length, 1);
    const f = frozen[0]!.frozen as Record<string, unknown>;
    assert.equal(f.org, 'audit-office');
    assert.equal(f.by, 'audit-office/auditor-1');
    assert.ok(Object.keys(FREEZE_REASONS).includes(f.reason as string));
    assert.match(f.tx as string, /^[0-9a-f]{64}$/);
    const tx = await fetch(`${t.url}/v1/tx/${f.tx as string}`);
    assert.equal(((await tx.json()) as { tx: { type: string } }).tx.type, 'audit.freeze');
    // A case nobody froze says nothing of a freeze.
    assert.ok(views.some((v) => !('frozen' in v)));
  });
});
