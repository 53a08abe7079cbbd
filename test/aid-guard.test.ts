/**
 * The claims guard across programs of different organisations, per-patient caps, rule versions
 * that keep explaining old decisions, and the waitlist's strict order: all through the HTTP API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  cnId,
  line,
  programSpec,
  startAidNode,
  verifiedCase,
  type AidNode,
} from './aid-fixtures.js';

describe('claims guard, caps, versions, waitlist', () => {
  let n: AidNode;
  const caseOf = async (id: string) =>
    (await n.read(`/v1/cases/${id}`, 'audit-office/auditor-1')).json.case;

  before(async () => {
    n = await startAidNode();
    const ok = async (p: Promise<{ ok: boolean }>) => assert.equal((await p).ok, true);
    await ok(
      n.send(
        'city-bureau/manager-1',
        'programs.publish',
        programSpec('gov', {
          benefit: {
            deductible: '0',
            rateBp: 8000,
            perCaseCap: '10000000',
            perPatientYearCap: '20000000',
          },
        }),
      ),
    );
    await ok(n.send('hope-foundation/admin', 'programs.publish', programSpec('kids')));
    await ok(n.send('city-bureau/manager-1', 'programs.publish', programSpec('third')));
    await ok(
      n.send('city-bureau/finance-1', 'funds.allocate', {
        program: 'gov',
        amount: '90000000',
      }),
    );
    await ok(
      n.send('hope-foundation/finance-1', 'donations.receive', {
        donor: { kind: 'person', alias: 'a reader' },
        amount: '90000000',
        currency: 'CNY',
        program: 'kids',
        rail: { kind: 'bank-transfer' },
      }),
    );
  });
  after(async () => n.close());

  it('reduces a second claim on the same lines in another org’s program, then refuses a third', async () => {
    const lines = [line('INV-9', 1, '1000000'), line('INV-9', 2, '200000')];
    const patient = cnId(5);
    const c1 = await verifiedCase(n, { program: 'gov', patient, lines });
    assert.equal(c1.verify.ok, true);
    assert.equal((await n.assess('city-bureau/reviewer-1', c1.id)).ok, true);
    const r1 = await caseOf(c1.id);
    assert.equal(r1.state, 'funded');
    assert.equal(r1.amount, '960000');
    assert.equal(r1.reducedFrom, undefined);

    // The same invoice lines (written differently: NFKC folds the full-width letters) claimed in
    // the foundation's program, at the same hospital.
    const c2 = await verifiedCase(n, {
      program: 'kids',
      patient,
      lines: [line('ＩＮＶ-9', 1, '1000000'), line(' inv-9 ', 2, '200000')],
    });
    assert.equal(c2.verify.ok, true);
    assert.equal((await n.assess('hope-foundation/reviewer-1', c2.id)).ok, true);
    const r2 = await caseOf(c2.id);
    assert.equal(r2.state, 'funded');
    assert.equal(r2.amount, '240000', 'only what the first claim left');
    assert.equal(r2.reducedFrom, '1200000');
    assert.equal(r2.decision.benefit.claimedElsewhere, '960000');

    // Nothing remains: a third claim, in a third program, is refused, and the refusal is in the log.
    const c3 = await verifiedCase(n, { program: 'third', patient, lines });
    assert.equal(c3.verify.ok, false);
    assert.equal(c3.verify.code, 'DUPLICATE_CLAIM');
    const tx = await n.read(`/v1/tx/${c3.verify.id}`);
    assert.deepEqual(tx.json.result, { ok: false, code: 'DUPLICATE_CLAIM' });
    assert.equal((await caseOf(c3.id)).state, 'submitted');

    // The explanation says how much other cases held.
    const ex = await n.read(`/v1/cases/${c2.id}/explain?lang=en`, 'hope-foundation/reviewer-1');
    const step = ex.json.amount.steps.find((s: { step: string }) => s.step === 'claimedElsewhere');
    assert.equal(step.value, '960000');
    assert.equal(ex.json.amount.reducedFrom, '1200000');
  });

  it('refuses an approval whose lines were covered after it was verified', async () => {
    const lines = [line('INV-10', 1, '300000')];
    const a = await verifiedCase(n, {
      program: 'kids',
      patient: cnId(6),
      lines,
      hospital: 'children-hospital',
    });
    const b = await verifiedCase(n, {
      program: 'gov',
      patient: cnId(6),
      lines,
      hospital: 'children-hospital',
    });
    assert.equal(a.verify.ok && b.verify.ok, true);
    assert.equal((await n.assess('hope-foundation/reviewer-1', a.id)).ok, true);
    const late = await n.assess('city-bureau/reviewer-1', b.id);
    assert.equal(late.ok, false);
    assert.equal(late.code, 'DUPLICATE_CLAIM');
    assert.equal((await caseOf(b.id)).state, 'verified');
    assert.equal((await caseOf(b.id)).decision, undefined);
  });

  it('reduces at approval when another case took lines after the assessment, and says so', async () => {
    await n.send(
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('reviewed', {
        review: { autoApproveUpTo: '0', twoReviewersAbove: '100000000' },
      }),
    );
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'reviewed',
      amount: '5000000',
    });
    const lines = [line('INV-12', 1, '400000')];
    const a = await verifiedCase(n, { program: 'reviewed', patient: cnId(12), lines });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    assert.equal((await caseOf(a.id)).state, 'assessed');
    // Meanwhile the foundation pays part of the same line (its own case, other lines too).
    const b = await verifiedCase(n, {
      program: 'kids',
      patient: cnId(12),
      lines: [line('INV-12', 1, '400000')],
    });
    assert.equal((await n.assess('hope-foundation/reviewer-1', b.id)).ok, true);
    assert.equal((await caseOf(b.id)).amount, '400000');
    // Nothing is left: the approval is refused and the case waits for a decision.
    const refusedApproval = await n.send('city-bureau/reviewer-1', 'cases.review', {
      case: a.id,
      approve: true,
      reason: 'criteria-met',
    });
    assert.equal(refusedApproval.code, 'DUPLICATE_CLAIM');
    assert.equal((await caseOf(a.id)).state, 'assessed');
    // Give part of it back: the foundation cancels, then a smaller claim takes half.
    assert.equal(
      (
        await n.send('hope-foundation/manager-1', 'cases.cancel', {
          case: b.id,
          reason: 'duplicate-application',
        })
      ).ok,
      true,
    );
    await n.send(
      'hope-foundation/admin',
      'programs.publish',
      programSpec('kids', {
        benefit: {
          deductible: '0',
          rateBp: 5000,
          perCaseCap: '10000000',
          perPatientYearCap: '20000000',
        },
      }),
    );
    const c = await verifiedCase(n, {
      program: 'kids',
      patient: cnId(12),
      lines: [line('INV-12', 1, '400000')],
    });
    assert.equal((await n.assess('hope-foundation/reviewer-1', c.id)).ok, true);
    assert.equal((await caseOf(c.id)).amount, '200000');
    assert.equal(
      (
        await n.send('city-bureau/reviewer-2', 'cases.review', {
          case: a.id,
          approve: true,
          reason: 'criteria-met',
        })
      ).ok,
      true,
    );
    const ra = await caseOf(a.id);
    assert.equal(ra.state, 'funded');
    assert.equal(ra.amount, '200000');
    assert.equal(ra.reducedFrom, '400000');
    const ex = (await n.read(`/v1/cases/${a.id}/explain?lang=en`, 'city-bureau/reviewer-1')).json;
    assert.equal(ex.amount.granted, '400000');
    assert.equal(ex.amount.atApproval, '200000');
    assert.equal(
      ex.amount.steps.find((s: { step: string }) => s.step === 'claimedElsewhere').value,
      '200000',
    );
    // The kids program is back to full rate for the tests after this one.
    await n.send('hope-foundation/admin', 'programs.publish', programSpec('kids'));
  });

  it('frees the lines of a cancelled case for a new claim', async () => {
    const lines = [line('INV-11', 1, '100000')];
    const a = await verifiedCase(n, { program: 'gov', patient: cnId(7), lines });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    const cancel = await n.send('city-bureau/manager-1', 'cases.cancel', {
      case: a.id,
      reason: 'duplicate-application',
    });
    assert.equal(cancel.ok, true);
    const b = await verifiedCase(n, { program: 'kids', patient: cnId(7), lines });
    assert.equal((await n.assess('hope-foundation/reviewer-1', b.id)).ok, true);
    assert.equal((await caseOf(b.id)).amount, '100000');
  });

  it('holds the per-patient annual cap across cases at different hospitals', async () => {
    assert.equal(
      (
        await n.send(
          'city-bureau/manager-1',
          'programs.publish',
          programSpec('capped', {
            benefit: {
              deductible: '0',
              rateBp: 10000,
              perCaseCap: '900000',
              perPatientYearCap: '1000000',
            },
          }),
        )
      ).ok,
      true,
    );
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'capped',
      amount: '5000000',
    });
    const patient = cnId(8);
    const a = await verifiedCase(n, {
      program: 'capped',
      patient,
      lines: [line('G-1', 1, '800000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    assert.equal((await caseOf(a.id)).amount, '800000');
    // The first case is paid and closed (from protocol 3 a patient has one open case in a
    // program); its share of the year's cap stays taken.
    for (const [signer, type, payload] of [
      ['city-bureau/finance-1', 'cases.disburse', { case: a.id }],
      ['general-hospital/clerk-1', 'cases.confirm', { case: a.id }],
      ['general-hospital/clerk-1', 'cases.close', { case: a.id, outcome: 'improved' }],
    ] as const)
      assert.equal((await n.send(signer, type, payload)).ok, true, type);
    const b = await verifiedCase(n, {
      program: 'capped',
      patient,
      hospital: 'children-hospital',
      lines: [line('K-1', 1, '800000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', b.id)).ok, true);
    const rb = await caseOf(b.id);
    assert.equal(rb.amount, '200000');
    assert.equal(rb.decision.benefit.usedThisYear, '800000');
    assert.equal(rb.reducedFrom, undefined, 'a cap is not a double claim');
    // Another patient is not held by this one's cap.
    const c = await verifiedCase(n, {
      program: 'capped',
      patient: cnId(9),
      lines: [line('G-2', 1, '800000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', c.id)).ok, true);
    assert.equal((await caseOf(c.id)).amount, '800000');
  });

  it('explains a case decided under rule v1 after v2 is published', async () => {
    await n.send('city-bureau/manager-1', 'programs.publish', programSpec('ver'));
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'ver',
      amount: '5000000',
    });
    const declared = { householdIncomePerCapita: '2000000' };
    const a = await verifiedCase(n, {
      program: 'ver',
      patient: cnId(10),
      lines: [line('V-1', 1, '10000')],
      declared,
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    const v2 = programSpec('ver', {
      conditions: [
        {
          name: 'income-limit',
          labels: {
            'zh-Hant': '收入上限一萬',
            'zh-Hans': '收入上限一万',
            en: 'income at most 10,000',
          },
          expr: 'householdIncomePerCapita <= 1000000',
        },
      ],
    });
    assert.equal((await n.send('city-bureau/manager-1', 'programs.publish', v2)).ok, true);
    const ex = await n.read(`/v1/cases/${a.id}/explain?lang=zh-Hant`, 'city-bureau/reviewer-1');
    assert.equal(ex.json.version, 1);
    assert.equal(ex.json.conditions[0].expr, 'householdIncomePerCapita <= 2400000');
    assert.equal(ex.json.conditions[0].label, '家庭人均年收入不超過24000元');
    assert.equal(ex.json.conditions[0].passed, true);
    assert.equal(ex.json.conditions[0].facts[0].value, '2000000');
    assert.equal(ex.json.conditions[0].facts[0].sourceLabel, '申請人申報');
    // The same facts under v2 fail, and that decision names v2.
    const b = await verifiedCase(n, {
      program: 'ver',
      patient: cnId(11),
      lines: [line('V-2', 1, '10000')],
      declared,
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', b.id)).ok, true);
    const rb = await caseOf(b.id);
    assert.equal(rb.state, 'rejected');
    assert.equal(rb.decision.version, 2);
    const exb = await n.read(`/v1/cases/${b.id}/explain?lang=en`, 'city-bureau/reviewer-1');
    assert.equal(exb.json.conditions[0].passed, false);
    assert.equal(exb.json.conditions[0].reason, 'false');
    assert.equal(exb.json.reasonLabel, 'eligibility conditions not met');
    const versions = await n.read('/v1/programs/ver');
    assert.deepEqual(
      versions.json.versions.map((v: { version: number }) => v.version),
      [1, 2],
    );
  });

  it('funds the waitlist strictly in order of approval as money arrives', async () => {
    await n.send('city-bureau/manager-1', 'programs.publish', programSpec('wait'));
    const amounts = ['300000', '500000', '200000'];
    const ids: string[] = [];
    for (const [i, amount] of amounts.entries()) {
      const c = await verifiedCase(n, {
        program: 'wait',
        patient: cnId(20 + i),
        lines: [line(`W-${i}`, 1, amount)],
      });
      assert.equal((await n.assess('city-bureau/reviewer-1', c.id)).ok, true);
      ids.push(c.id);
    }
    for (const id of ids) assert.equal((await caseOf(id)).state, 'waitlisted');
    // Each case's place in the queue, as the case read tells its applicant.
    const places = async () =>
      Promise.all(
        ids.map(
          async (id) => (await n.read(`/v1/cases/${id}`, 'city-bureau/reviewer-1')).json.waitlist,
        ),
      );
    assert.deepEqual(await places(), [
      { position: 1, ahead: 0 },
      { position: 2, ahead: 1 },
      { position: 3, ahead: 2 },
    ]);
    const alloc1 = await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'wait',
      amount: '600000',
    });
    assert.deepEqual(
      await Promise.all(ids.map(async (id) => (await caseOf(id)).state)),
      ['funded', 'waitlisted', 'waitlisted'],
      'the third fits the pool but waits its turn behind the second',
    );
    assert.deepEqual(await places(), [
      undefined,
      { position: 1, ahead: 0 },
      { position: 2, ahead: 1 },
    ]);
    const alloc2 = await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'wait',
      amount: '200000',
    });
    assert.deepEqual(await Promise.all(ids.map(async (id) => (await caseOf(id)).state)), [
      'funded',
      'funded',
      'waitlisted',
    ]);
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'wait',
      amount: '200000',
    });
    assert.equal((await caseOf(ids[2]!)).state, 'funded');
    // FIFO: the second case was paid by what the first allocation had left, then the second.
    const funding = (await n.read(`/v1/public/cases/${ids[1]}`)).json.funding;
    assert.deepEqual(
      funding.map((f: { source: { id: string }; amount: string }) => [f.source.id, f.amount]),
      [
        [alloc1.id, '300000'],
        [alloc2.id, '200000'],
      ],
    );
    const trace = (await n.read(`/v1/public/donations/${alloc1.id}/trace`)).json;
    assert.deepEqual(
      trace.lots[0].cases.map((c: { case: string; amount: string }) => [c.case, c.amount]),
      [
        [ids[0], '300000'],
        [ids[1], '300000'],
      ],
    );
  });
});
