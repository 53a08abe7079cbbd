/**
 * `GET /v1/refusals` over real HTTP against a real node: the refused transactions to
 * investigate, by code and organisation, for regulators and auditors across the consortium, for
 * a member within their own organisation, and for an applicant their own; and the index filled
 * from the log on a ledger file made before it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cnId, programSpec, protocolDir, startAidNode, type AidNode } from './aid-fixtures.js';
import { LATEST_PROTOCOL } from '../src/domains/protocols.js';

interface Row {
  index: number;
  type: string;
  code: string;
  signer: string;
  member?: string;
  org: string;
  time: number;
}

describe('the list of refused transactions', () => {
  let n: AidNode;
  const home = protocolDir(LATEST_PROTOCOL);
  const refused: { id: string; code: string; signer: string }[] = [];
  before(async () => {
    n = await startAidNode({ dir: home.dir });
    const must = async (
      signer: string,
      type: string,
      payload: Record<string, unknown>,
      code: string,
      facts?: Record<string, unknown>,
    ) => {
      const r = await n.send(signer, type, payload, facts);
      assert.equal(r.code, code, JSON.stringify(r));
      refused.push({ id: r.id, code, signer });
    };
    assert.ok((await n.send('city-bureau/manager-1', 'programs.publish', programSpec('rf'))).ok);
    assert.ok((await n.send('applicant/rf-a', 'accounts.register', { lang: 'en' })).ok);
    await must(
      'general-hospital/clerk-1',
      'funds.allocate',
      { program: 'rf', amount: '100' },
      'FORBIDDEN_ROLE',
    );
    await must(
      'children-hospital/clerk-1',
      'funds.allocate',
      { program: 'rf', amount: '100' },
      'FORBIDDEN_ROLE',
    );
    await must(
      'city-bureau/finance-1',
      'funds.allocate',
      { program: 'no-such', amount: '100' },
      'NOT_FOUND',
    );
    const facts = {
      patient: { kind: 'cn', id: cnId(701) },
      declared: { householdIncomePerCapita: '1000000' },
    };
    assert.ok(
      (
        await n.send(
          'applicant/rf-a',
          'cases.submit',
          { program: 'rf', hospital: 'general-hospital' },
          facts,
        )
      ).ok,
    );
    await must(
      'applicant/rf-a',
      'cases.submit',
      { program: 'rf', hospital: 'general-hospital' },
      'CASE_OPEN',
      facts,
    );
  });
  after(async () => {
    await n.close();
    home.cleanup();
  });

  const list = async (signer: string, qs = '') => {
    const r = await n.read(`/v1/refusals${qs}`, signer);
    return { status: r.status, rows: (r.json.refusals ?? []) as Row[], json: r.json };
  };

  it('shows regulators every organisation’s refusals, by code and organisation', async () => {
    const all = await list('audit-office/auditor-1');
    assert.equal(all.status, 200, JSON.stringify(all.json));
    for (const r of refused) {
      const row = all.rows.find(
        (x) =>
          x.code === r.code &&
          x.member === (r.signer.startsWith('applicant/') ? undefined : r.signer),
      );
      assert.ok(row, `${r.code} by ${r.signer}`);
      // The row is the log's own: the leaf at its index is that transaction, with that code.
      const leaf = await n.read(`/v1/log/entries/${row.index}`);
      assert.deepEqual([leaf.json.kind, leaf.json.id], ['tx', r.id]);
    }
    // Newest first, and filtered.
    assert.deepEqual(
      all.rows.map((r) => r.index),
      [...all.rows.map((r) => r.index)].sort((a, b) => b - a),
    );
    const forbidden = await list('audit-office/auditor-1', '?code=FORBIDDEN_ROLE');
    assert.deepEqual(forbidden.rows.map((r) => r.member).sort(), [
      'children-hospital/clerk-1',
      'general-hospital/clerk-1',
    ]);
    const general = await list(
      'audit-office/auditor-1',
      '?org=general-hospital&code=FORBIDDEN_ROLE',
    );
    assert.deepEqual(
      general.rows.map((r) => r.member),
      ['general-hospital/clerk-1'],
    );
    const page = await list('audit-office/auditor-1', '?limit=1');
    assert.equal(page.rows.length, 1);
    const next = await list('audit-office/auditor-1', `?limit=1&before=${page.json.nextBefore}`);
    assert.ok(next.rows[0]!.index < page.rows[0]!.index);
  });

  it('shows a member their own organisation’s only, and an applicant their own', async () => {
    const own = await list('general-hospital/social-worker-1');
    assert.deepEqual([...new Set(own.rows.map((r) => r.org))], ['general-hospital']);
    assert.equal(
      (await list('general-hospital/social-worker-1', '?org=children-hospital')).status,
      403,
    );
    const family = await list('applicant/rf-a');
    assert.deepEqual(
      family.rows.map((r) => r.code),
      ['CASE_OPEN'],
    );
    assert.equal(family.rows[0]!.org, '');
    assert.equal((await n.read('/v1/refusals')).status, 401);
    assert.equal((await list('audit-office/auditor-1', '?code=NOPE')).status, 400);
  });

  it('is filled from the log on a ledger file made before it', async () => {
    const dir = n.dir;
    const before = (await list('audit-office/auditor-1')).rows;
    await n.close();
    // The file as an older release left it: no list.
    const db = new Database(join(dir, 'ledger.sqlite'));
    db.exec('DROP TABLE refused_txs');
    db.close();
    n = await startAidNode({ dir, members: false });
    const after = (await list('audit-office/auditor-1')).rows;
    assert.deepEqual(after, before);
  });
});
