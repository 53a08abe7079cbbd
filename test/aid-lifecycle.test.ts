/**
 * Cases from submission to closed, through the HTTP API with real signatures and a real SQLite
 * file: in a government program and in a charity program, with money traced both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { isAidError } from '../src/core/errors.js';
import { consortiumSecrets } from '../src/ledger/secrets.js';
import { verifyLedgerFile } from '../src/ledger/verify.js';
import { readConsortiumKey } from '../src/node/config.js';
import { cnId, programSpec, startAidNode, type AidNode } from './aid-fixtures.js';

describe('a case from submission to closed', () => {
  let n: AidNode;
  let caseId = '';
  before(async () => {
    n = await startAidNode();
  });
  after(async () => n.close());

  it('runs the whole lifecycle in a bureau program', async () => {
    const pub = await n.send('city-bureau/manager-1', 'programs.publish', programSpec('assist'));
    assert.equal(pub.ok, true, JSON.stringify(pub));
    const alloc = await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'assist',
      amount: '50000000',
      reference: 'budget 2026/17',
    });
    assert.equal(alloc.ok, true, JSON.stringify(alloc));
    const reg = await n.send('applicant/alice', 'accounts.register', { lang: 'zh-Hans' });
    assert.equal(reg.ok, true, JSON.stringify(reg));
    const sub = await n.send(
      'applicant/alice',
      'cases.submit',
      { program: 'assist', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(1) },
        name: 'Canary Person',
        declared: { householdIncomePerCapita: '1800000', householdSize: 3 },
      },
    );
    assert.equal(sub.ok, true, JSON.stringify(sub));
    const ver = await n.send(
      'general-hospital/clerk-1',
      'cases.verify',
      { case: sub.id },
      {
        diagnoses: ['C91.0'],
        lines: [
          { invoice: 'INV-001', line: 1, amount: '3000000', insurancePaid: '1000000' },
          { invoice: 'INV-001', line: 2, amount: '500000', insurancePaid: '0' },
        ],
      },
    );
    assert.equal(ver.ok, true, JSON.stringify(ver));
    const as = await n.assess('city-bureau/reviewer-1', sub.id);
    assert.equal(as.ok, true, JSON.stringify(as));
    const c = await n.read(`/v1/cases/${sub.id}`, 'city-bureau/reviewer-1');
    assert.equal(c.status, 200, JSON.stringify(c.json));
    assert.equal(c.json.case.state, 'funded', JSON.stringify(c.json.case));
    assert.equal(c.json.case.amount, '2500000');
    const dis = await n.send('city-bureau/finance-1', 'cases.disburse', {
      case: sub.id,
      reference: 'PAY-1',
    });
    assert.equal(dis.ok, true, JSON.stringify(dis));
    const conf = await n.send('general-hospital/clerk-1', 'cases.confirm', { case: sub.id });
    assert.equal(conf.ok, true, JSON.stringify(conf));
    const close = await n.send('general-hospital/clerk-1', 'cases.close', {
      case: sub.id,
      outcome: 'treatment-completed',
    });
    assert.equal(close.ok, true, JSON.stringify(close));
    const fb = await n.send(
      'applicant/alice',
      'cases.feedback',
      { case: sub.id, rating: 5 },
      { comment: 'thank you' },
    );
    assert.equal(fb.ok, true, JSON.stringify(fb));
    const ex = await n.read(`/v1/cases/${sub.id}/explain?lang=zh-Hans`, 'applicant/alice');
    assert.equal(ex.status, 200, JSON.stringify(ex.json));
    const progs = await n.read('/v1/public/programs');
    assert.deepEqual(progs.json.programs[0], {
      id: 'assist',
      name: 'Program assist',
      currency: 'CNY',
      budget: '100000000',
      received: '50000000',
      committed: '0',
      paid: '2500000',
      available: '47500000',
    });
    const trace = await n.read(`/v1/public/donations/${alloc.id}/trace`);
    assert.equal(trace.status, 200, JSON.stringify(trace.json));
    assert.equal(trace.json.lots[0].cases[0].case, sub.id);
    caseId = sub.id;
  });

  it('replays every aid transaction in verify, and still after the patient’s facts are erased', async () => {
    const path = join(n.dir, 'ledger.sqlite');
    const secrets = consortiumSecrets(readConsortiumKey(n.dir)!);
    const sound = await verifyLedgerFile(path, { secrets });
    assert.equal(sound.erased, 0);
    // Without the consortium key, transactions with private parts cannot be re-run.
    await assert.rejects(verifyLedgerFile(path), (e) => isAidError(e, 'CONFIG'));

    const rec = (await n.read(`/v1/cases/${caseId}`, 'audit-office/auditor-1')).json.case;
    const facts = [rec.sources.submit.tx, rec.sources.verify.tx, rec.decision.tx];
    for (const tx of facts) assert.equal(n.node.ledger.erasePrivate(tx), true);
    const after = await verifyLedgerFile(path, { secrets });
    assert.ok(after.erased >= 3);
    assert.equal(after.state, sound.state);
    // The decision still explains itself, without the values it read.
    const ex = await n.read(`/v1/cases/${caseId}/explain?lang=en`, 'city-bureau/reviewer-1');
    assert.equal(ex.status, 200);
    assert.equal(ex.json.values, false);
    assert.equal(ex.json.conditions[0].passed, true);
    assert.equal(ex.json.conditions[0].facts[0].value, undefined);
    assert.equal(ex.json.amount.granted, '2500000');
  });
});
