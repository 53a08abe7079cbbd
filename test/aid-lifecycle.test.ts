/**
 * Cases from submission to closed, through the HTTP API with real signatures and a real SQLite
 * file: in a government program and in a charity program, with money traced both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { erasePrivateParts } from '../src/runtime/erase.js';
import { join } from 'node:path';
import { isAidError } from '../src/core/errors.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { readConsortiumKey } from '../src/node/config.js';
import {
  cnId,
  line,
  programSpec,
  startAidNode,
  verifiedCase,
  type AidNode,
} from './aid-fixtures.js';
import { registry } from '../src/domains/protocols.js';

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
        patient: { kind: 'cn', id: cnId(1) },
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
    const again = await n.send('applicant/alice', 'cases.feedback', { case: sub.id, rating: 1 });
    assert.equal(again.code, 'ALREADY_EXISTS');
    const ex = await n.read(`/v1/cases/${sub.id}/explain?lang=zh-Hans`, 'applicant/alice');
    assert.equal(ex.status, 200, JSON.stringify(ex.json));
    assert.equal(ex.json.programName, '项目assist');
    assert.equal(
      ex.json.conditions[0].facts[0].value,
      '1800000',
      'the applicant sees their own facts',
    );
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

  it('runs the whole lifecycle in a charity program financed by donations', async () => {
    const kids = programSpec('kids', {
      names: {
        'zh-Hant': '兒童重症基金',
        'zh-Hans': '儿童重症基金',
        en: 'Children’s critical illness fund',
      },
      conditions: [
        {
          name: 'child',
          labels: { 'zh-Hant': '未滿18歲', 'zh-Hans': '未满18岁', en: 'under 18' },
          expr: 'age < 18',
          attested: [{ fact: 'age', by: ['hospital'] }],
        },
        {
          name: 'critical-illness',
          labels: {
            'zh-Hant': '白血病或淋巴瘤',
            'zh-Hans': '白血病或淋巴瘤',
            en: 'leukaemia or lymphoma',
          },
          expr: 'diagnoses.exists(d, d.startsWith("C91") || d.startsWith("C92") || d.startsWith("C83"))',
        },
      ],
      benefit: {
        deductible: '100000',
        rateBp: 9000,
        perCaseCap: '30000000',
        perPatientYearCap: '50000000',
      },
      review: { autoApproveUpTo: '1000000', twoReviewersAbove: '20000000' },
    });
    assert.equal((await n.send('hope-foundation/admin', 'programs.publish', kids)).ok, true);
    const gift = await n.send(
      'hope-foundation/finance-1',
      'donations.receive',
      {
        donor: { kind: 'person', alias: 'Auntie Lam' },
        amount: '5000000',
        currency: 'CNY',
        program: 'kids',
        rail: { kind: 'alipay' },
      },
      { name: 'Lam Siu Ying' },
    );
    assert.equal(gift.ok, true);
    const sub = await n.send(
      'children-hospital/social-worker-1',
      'cases.submit',
      { program: 'kids', hospital: 'children-hospital' },
      { patient: { kind: 'cn', id: cnId(31) }, declared: { age: 7 } },
    );
    assert.equal(sub.ok, true);
    const ver = await n.send(
      'children-hospital/clerk-1',
      'cases.verify',
      { case: sub.id },
      {
        patient: { kind: 'cn', id: cnId(31) },
        diagnoses: ['C91.0', 'D61.9'],
        age: 7,
        lines: [
          { invoice: 'CH-2026-0042', line: 1, amount: '2800000', insurancePaid: '900000' },
          { invoice: 'CH-2026-0042', line: 2, amount: '300000', insurancePaid: '0' },
        ],
      },
    );
    assert.equal(ver.ok, true);
    assert.equal((await n.assess('hope-foundation/reviewer-1', sub.id)).ok, true);
    const assessed = (await n.read(`/v1/cases/${sub.id}`, 'hope-foundation/reviewer-1')).json.case;
    // (2,200,000 − 100,000) × 90% = 1,890,000: above auto-approval, one reviewer decides.
    assert.equal(assessed.state, 'assessed');
    assert.equal(assessed.decision.benefit.amount, '1890000');
    assert.equal(assessed.reviewsNeeded, 1);
    assert.equal(
      (
        await n.send('hope-foundation/reviewer-1', 'cases.review', {
          case: sub.id,
          approve: true,
          reason: 'criteria-met',
        })
      ).ok,
      true,
    );
    for (const [signer, type, payload] of [
      ['hope-foundation/finance-1', 'cases.disburse', { case: sub.id }],
      ['children-hospital/clerk-1', 'cases.confirm', { case: sub.id }],
      ['children-hospital/social-worker-1', 'cases.close', { case: sub.id, outcome: 'improved' }],
      ['children-hospital/social-worker-1', 'cases.feedback', { case: sub.id, rating: 5 }],
    ] as const) {
      const r = await n.send(signer, type, payload);
      assert.equal(r.ok, true, `${type}: ${JSON.stringify(r)}`);
    }
    const done = (await n.read(`/v1/public/cases/${sub.id}?lang=zh-Hant`)).json;
    assert.equal(done.state, 'closed');
    assert.equal(done.stateLabel, '已結案');
    assert.equal(done.outcomeLabel, '好轉');
    assert.deepEqual(
      done.history.map((h: { state: string }) => h.state),
      ['submitted', 'verified', 'assessed', 'funded', 'disbursed', 'confirmed', 'closed'],
    );
    assert.deepEqual(
      done.funding.map((f: { source: { id: string } }) => f.source.id),
      [gift.id],
    );
    const trace = (await n.read(`/v1/public/donations/${gift.id}/trace`)).json;
    assert.deepEqual(trace.donor, { kind: 'person', alias: 'Auntie Lam' });
    assert.equal(trace.spent, '1890000');
    assert.equal(trace.lots[0].cases[0].paid, true);
    const ex = (await n.read(`/v1/cases/${sub.id}/explain?lang=en`, 'hope-foundation/reviewer-1'))
      .json;
    assert.deepEqual(
      ex.conditions.map((c: { passed: boolean }) => c.passed),
      [true, true],
    );
    assert.equal(ex.conditions[0].facts[0].source, 'attested');
    assert.equal(ex.conditions[0].facts[0].by, 'children-hospital');
    assert.equal(ex.reviews[0].member, 'hope-foundation/reviewer-1');
  });

  it('re-reviews an appeal by someone else, and a withdrawal gives the money back', async () => {
    await n.send(
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('appeals', {
        review: { autoApproveUpTo: '0', twoReviewersAbove: '100000000' },
      }),
    );
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'appeals',
      amount: '1000000',
    });
    const c = await verifiedCase(n, {
      program: 'appeals',
      patient: cnId(41),
      lines: [line('AP-1', 1, '600000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', c.id)).ok, true);
    const no = await n.send('city-bureau/reviewer-1', 'cases.review', {
      case: c.id,
      approve: false,
      reason: 'criteria-not-met',
    });
    assert.equal(no.ok, true);
    const caseOf = async () =>
      (await n.read(`/v1/cases/${c.id}`, 'city-bureau/reviewer-1')).json.case;
    assert.equal((await caseOf()).state, 'rejected');
    assert.equal(
      (
        await n.send(
          'general-hospital/social-worker-1',
          'cases.appeal',
          { case: c.id },
          { statement: 'the invoice is attached again' },
        )
      ).ok,
      true,
    );
    assert.equal((await caseOf()).state, 'appealed');
    const same = await n.send('city-bureau/reviewer-1', 'cases.review', {
      case: c.id,
      approve: true,
      reason: 'criteria-met',
    });
    assert.equal(same.code, 'ALREADY_REVIEWED');
    assert.equal(
      (
        await n.send('city-bureau/reviewer-2', 'cases.review', {
          case: c.id,
          approve: true,
          reason: 'criteria-met',
        })
      ).ok,
      true,
    );
    assert.equal((await caseOf()).state, 'funded');
    const second = await n.send('general-hospital/social-worker-1', 'cases.appeal', { case: c.id });
    assert.equal(second.code, 'INVALID_STATE');
    const before = (await n.read('/v1/programs/appeals')).json;
    assert.equal(before.available, '400000');
    assert.equal(
      (await n.send('general-hospital/social-worker-1', 'cases.withdraw', { case: c.id })).ok,
      true,
    );
    const after = (await n.read('/v1/programs/appeals')).json;
    assert.equal(after.available, '1000000');
    assert.equal(after.committed, '0');
    // The lines are free again for another claim.
    const d = await verifiedCase(n, {
      program: 'appeals',
      patient: cnId(41),
      lines: [line('AP-1', 1, '600000')],
    });
    assert.equal(d.verify.ok, true);
  });

  it('replays every aid transaction in verify, and still after the patient’s facts are erased', async () => {
    const path = join(n.dir, 'ledger.sqlite');
    const secrets = consortiumSecrets(readConsortiumKey(n.dir)!);
    const sound = await verifyLedgerFile(path, { registry, secrets });
    assert.equal(sound.erased, 0);
    // Without the consortium key, transactions with private parts cannot be re-run.
    await assert.rejects(verifyLedgerFile(path, { registry }), (e) => isAidError(e, 'CONFIG'));

    const rec = (await n.read(`/v1/cases/${caseId}`, 'audit-office/auditor-1')).json.case;
    const facts = [rec.sources.submit.tx, rec.sources.verify.tx, rec.decision.tx];
    assert.deepEqual((await erasePrivateParts(n.node.ledger, facts)).sort(), [...facts].sort());
    const after = await verifyLedgerFile(path, { registry, secrets });
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
