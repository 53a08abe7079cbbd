/**
 * Security findings 3 and 7 of the medical-aid contracts, through real HTTP against a real node:
 * a case is tied to the patient the hospital admitted, so an applicant cannot borrow another
 * person's identity, attested facts or yearly cap; and no free text of an aid payload reaches the
 * public log, where it could never be erased. A protocol 1 ledger still replays as it ran, and
 * moves to protocol 2 by a vote with its cases in flight.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { erasePrivateParts } from '../src/runtime/erase.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { readConsortiumKey } from '../src/node/config.js';
import {
  cnId,
  line,
  programSpec,
  protocolOneDir,
  startAidNode,
  verifiedCase,
  voteThrough,
  type AidNode,
  type Json,
} from './aid-fixtures.js';
import { pubOf } from './helpers.js';
import { registry } from '../src/domains/protocols.js';

async function ok(n: AidNode, signer: string, type: string, payload: Json, facts?: Json) {
  const r = await n.send(signer, type, payload, facts);
  assert.ok(r.ok, `${type} by ${signer}: ${JSON.stringify(r)}`);
  return r;
}

async function refused(
  n: AidNode,
  code: string,
  signer: string,
  type: string,
  payload: Json,
  facts?: Json,
) {
  const r = await n.send(signer, type, payload, facts);
  assert.equal(r.status, 200, `${type} was not admitted: ${JSON.stringify(r)}`);
  assert.equal(r.code, code, `${type} by ${signer}: ${JSON.stringify(r)}`);
  return r;
}

/** Refused at the door: never ordered, never logged. */
async function atDoor(n: AidNode, signer: string, type: string, payload: Json, facts?: Json) {
  const r = await n.send(signer, type, payload, facts);
  assert.equal(r.status, 400, `${type}: ${JSON.stringify(r)}`);
  assert.equal(r.code, 'MALFORMED', `${type}: ${JSON.stringify(r)}`);
  return r;
}

/** A program whose income condition accepts only an income a bureau attested. */
const attestedIncome = (id: string, over: Json = {}) =>
  programSpec(id, {
    conditions: [
      {
        name: 'income-limit',
        labels: { 'zh-Hant': '收入', 'zh-Hans': '收入', en: 'income, attested by a bureau' },
        expr: 'householdIncomePerCapita <= 2400000',
        attested: [{ fact: 'householdIncomePerCapita', by: ['government'] }],
      },
    ],
    ...over,
  });

const B_ID = cnId(301);
const A_ID = cnId(302);
const C_ID = cnId(303);

describe('a patient’s identity is the patient’s (protocol 2)', () => {
  let n: AidNode;
  before(async () => {
    n = await startAidNode();
    await ok(n, 'city-bureau/manager-1', 'programs.publish', attestedIncome('identity'));
    await ok(n, 'city-bureau/finance-1', 'funds.allocate', {
      program: 'identity',
      amount: '90000000',
    });
    // B's income, attested by the bureau from its own records.
    await ok(
      n,
      'city-bureau/admin',
      'attest.facts',
      {},
      { patient: { kind: 'cn', id: B_ID }, facts: { householdIncomePerCapita: '1000000' } },
    );
    await ok(n, 'applicant/a', 'accounts.register', { lang: 'en' });
    await ok(n, 'applicant/b', 'accounts.register', { lang: 'en' });
    await ok(n, 'applicant/c', 'accounts.register', { lang: 'en' });
  });
  after(async () => n.close());

  it('refuses a verification whose admission ID is not the application’s patient, and gives A nothing of B’s', async () => {
    // A names B's ID and declares an income far above the limit.
    const a = await ok(
      n,
      'applicant/a',
      'cases.submit',
      { program: 'identity', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: B_ID },
        declared: { householdIncomePerCapita: '9000000' },
      },
    );
    // The hospital admitted A: its verification, with A's ID from the admission record, is refused.
    await refused(
      n,
      'PATIENT_MISMATCH',
      'general-hospital/clerk-1',
      'cases.verify',
      { case: a.id },
      {
        patient: { kind: 'cn', id: A_ID },
        diagnoses: ['C91.0'],
        lines: [line('IMP-1', 1, '2000000')],
      },
    );
    const rec = (await n.read(`/v1/cases/${a.id}`, 'applicant/a')).json.case;
    assert.equal(rec.state, 'submitted');
    assert.equal(rec.identified, undefined);
    // Unverified, it cannot be assessed with B's attested income, nor explained to A.
    const sources = await n.read(`/v1/cases/${a.id}/sources`, 'city-bureau/reviewer-1');
    await refused(
      n,
      'INVALID_STATE',
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: a.id },
      {
        sources: sources.json.sources,
      },
    );
    const ex = await n.read(`/v1/cases/${a.id}/explain`, 'applicant/a');
    assert.equal(ex.status, 404);
    assert.doesNotMatch(JSON.stringify(rec), /1000000/);
    // The hospital declines it with a published code.
    await ok(n, 'general-hospital/clerk-1', 'cases.decline', {
      case: a.id,
      reason: 'patient-not-identified',
    });

    // B's own case later finds B's yearly cap untouched and is funded in full.
    const b = await verifiedCase(n, {
      program: 'identity',
      patient: B_ID,
      declared: { householdIncomePerCapita: '1000000' },
      lines: [line('B-1', 1, '2000000')],
    });
    assert.equal(b.verify.ok, true, JSON.stringify(b.verify));
    await ok(
      n,
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: b.id },
      (await n.read(`/v1/cases/${b.id}/sources`, 'city-bureau/reviewer-1')).json,
    );
    const bc = (await n.read(`/v1/cases/${b.id}`, 'city-bureau/reviewer-1')).json.case;
    assert.equal(bc.state, 'funded');
    assert.equal(bc.decision.benefit.usedThisYear, '0');
    assert.equal(bc.amount, '2000000');
    assert.deepEqual(bc.decision.differences, []);
    assert.equal(bc.identified, bc.sources.verify.tx);
  });

  it('shows an applicant only what they declared, and sends a declared/attested difference to a reviewer below the auto-approval limit', async () => {
    await ok(
      n,
      'city-bureau/admin',
      'attest.facts',
      {},
      { patient: { kind: 'cn', id: C_ID }, facts: { householdIncomePerCapita: '1100000' } },
    );
    const c = await ok(
      n,
      'applicant/c',
      'cases.submit',
      { program: 'identity', hospital: 'general-hospital' },
      { patient: { kind: 'cn', id: C_ID }, declared: { householdIncomePerCapita: '1500000' } },
    );
    await ok(
      n,
      'general-hospital/clerk-1',
      'cases.verify',
      { case: c.id },
      {
        patient: { kind: 'cn', id: C_ID },
        diagnoses: ['C91.0'],
        lines: [line('C-1', 1, '300000')],
      },
    );
    await ok(
      n,
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: c.id },
      (await n.read(`/v1/cases/${c.id}/sources`, 'city-bureau/reviewer-1')).json,
    );
    const rec = (await n.read(`/v1/cases/${c.id}`, 'city-bureau/reviewer-1')).json.case;
    // 300,000 is far below the automatic-approval limit of 5,000,000, yet a reviewer decides.
    assert.equal(rec.state, 'assessed');
    assert.equal(rec.decision.review, 'one');
    assert.deepEqual(rec.decision.differences, ['householdIncomePerCapita']);
    assert.doesNotMatch(JSON.stringify(rec), /1100000|1500000/);

    const mine = (await n.read(`/v1/cases/${c.id}/explain?lang=en`, 'applicant/c')).json;
    assert.equal(mine.shown, 'declared');
    const income = mine.conditions[0].facts[0];
    assert.equal(income.source, 'attested');
    assert.equal(income.value, undefined);
    assert.equal(income.declared, '1500000');
    assert.doesNotMatch(JSON.stringify(mine), /1100000/);
    assert.deepEqual(
      mine.differences.map((d: { name: string }) => d.name),
      ['householdIncomePerCapita'],
    );
    // The program's staff see what they saw before: the attested value the rule read.
    const staff = (await n.read(`/v1/cases/${c.id}/explain?lang=en`, 'city-bureau/reviewer-1'))
      .json;
    assert.equal(staff.shown, 'all');
    assert.equal(staff.conditions[0].facts[0].value, '1100000');
    // The treating hospital sees which conditions held, not the values.
    const hosp = (await n.read(`/v1/cases/${c.id}/explain`, 'general-hospital/clerk-1')).json;
    assert.equal(hosp.shown, 'none');
    assert.equal(hosp.conditions[0].facts[0].value, undefined);
  });
});

describe('free text stays out of the public log (protocol 2)', () => {
  let n: AidNode;
  const NAME = 'Canary Chan Tai Man';
  const PHONE = '+852 9876 5432';
  before(async () => {
    n = await startAidNode();
    await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec('notes'));
  });
  after(async () => n.close());

  it('refuses a decline whose public reason is free text, and keeps a note only in the private part, erasable', async () => {
    const sub = await ok(
      n,
      'general-hospital/social-worker-1',
      'cases.submit',
      { program: 'notes', hospital: 'general-hospital' },
      { patient: { kind: 'cn', id: cnId(311) }, declared: {} },
    );
    const text = `${NAME}, ID ${cnId(311)}, phone ${PHONE}, C91.0 not confirmed`;
    const size = n.node.ledger.size;
    await atDoor(n, 'general-hospital/clerk-1', 'cases.decline', { case: sub.id, reason: text });
    assert.equal(n.node.ledger.size, size, 'nothing was logged');

    const dec = await ok(
      n,
      'general-hospital/clerk-1',
      'cases.decline',
      { case: sub.id, reason: 'diagnosis-not-confirmed' },
      { note: text },
    );
    const pub = await n.read(`/v1/tx/${dec.id}`);
    assert.equal(pub.status, 200);
    const served = JSON.stringify(pub.json);
    for (const s of [NAME, PHONE, cnId(311), 'C91.0']) assert.ok(!served.includes(s), s);
    assert.deepEqual(n.node.ledger.privatePart(dec.id)?.facts, { note: text });

    const rec = (await n.read(`/v1/public/cases/${sub.id}?lang=zh-Hant`)).json;
    assert.equal(rec.state, 'rejected');
    const mine = (await n.read(`/v1/cases/${sub.id}`, 'general-hospital/clerk-1')).json.case;
    assert.equal(mine.reason, 'diagnosis-not-confirmed');

    assert.deepEqual(await erasePrivateParts(n.node.ledger, [dec.id]), [dec.id]);
    assert.equal(n.node.ledger.privatePart(dec.id), undefined);
  });

  it('refuses free text in review and cancel reasons and a public payment reference, and shows the reference to members only', async () => {
    await ok(
      n,
      'city-bureau/finance-1',
      'funds.allocate',
      { program: 'notes', amount: '9000000' },
      {
        reference: 'MCA-2026-01',
      },
    );
    await atDoor(n, 'city-bureau/finance-1', 'funds.allocate', {
      program: 'notes',
      amount: '1',
      reference: 'budget line for Canary Chan',
    });
    await ok(n, 'applicant/d', 'accounts.register', { lang: 'en' });
    const sub = await ok(
      n,
      'applicant/d',
      'cases.submit',
      { program: 'notes', hospital: 'general-hospital' },
      { patient: { kind: 'cn', id: cnId(312) }, declared: { householdIncomePerCapita: '1000000' } },
    );
    await ok(
      n,
      'general-hospital/clerk-1',
      'cases.verify',
      { case: sub.id },
      {
        patient: { kind: 'cn', id: cnId(312) },
        diagnoses: ['C91.0'],
        lines: [line('N-1', 1, '100000')],
      },
    );
    await atDoor(n, 'city-bureau/reviewer-1', 'cases.review', {
      case: sub.id,
      approve: false,
      reason: `call ${PHONE}`,
    });
    await atDoor(n, 'city-bureau/manager-1', 'cases.cancel', { case: sub.id, reason: NAME });
    await ok(
      n,
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: sub.id },
      (await n.read(`/v1/cases/${sub.id}/sources`, 'city-bureau/reviewer-1')).json,
    );
    assert.equal(
      (await n.read(`/v1/cases/${sub.id}`, 'city-bureau/reviewer-1')).json.case.state,
      'funded',
    );
    await atDoor(n, 'city-bureau/finance-1', 'cases.disburse', {
      case: sub.id,
      reference: 'PAY-77',
    });
    const pay = await ok(
      n,
      'city-bureau/finance-1',
      'cases.disburse',
      { case: sub.id },
      {
        reference: 'PAY-77',
      },
    );
    assert.doesNotMatch(JSON.stringify((await n.read(`/v1/tx/${pay.id}`)).json), /PAY-77/);
    const staff = (await n.read(`/v1/cases/${sub.id}`, 'city-bureau/finance-1')).json.case;
    assert.equal(staff.payments[0].reference, 'PAY-77');
    const hospital = (await n.read(`/v1/cases/${sub.id}`, 'general-hospital/clerk-1')).json.case;
    assert.equal(hospital.payments[0].reference, 'PAY-77');
    const applicant = (await n.read(`/v1/cases/${sub.id}`, 'applicant/d')).json.case;
    assert.equal(applicant.payments[0].reference, undefined);
  });
});

/** Proposes a change as the first org and has the next three vote for it (quorum 4 of 6). */
async function adopt(n: AidNode, id: string, change: Json): Promise<void> {
  assert.equal(await voteThrough(n, id, change as Record<string, unknown>), 'adopted');
}

describe('a protocol 1 ledger', () => {
  it('replays its free-text aid transactions unchanged, and matches its cases in flight to the patient after the vote to protocol 2', async () => {
    const { dir, cleanup } = protocolOneDir();
    const n = await startAidNode({ dir, members: false });
    const submit = (patient: string) =>
      ok(
        n,
        'general-hospital/social-worker-1',
        'cases.submit',
        { program: 'old', hospital: 'general-hospital' },
        { patient: { kind: 'cn', id: patient }, declared: { householdIncomePerCapita: '1000000' } },
      );
    const sources = async (id: string) =>
      (await n.read(`/v1/cases/${id}/sources`, 'city-bureau/reviewer-1')).json;
    try {
      for (const [org, name, roles] of [
        ['city-bureau', 'reviewer-1', ['reviewer']],
        ['city-bureau', 'finance-1', ['finance']],
        ['city-bureau', 'manager-1', ['program-manager']],
        ['general-hospital', 'clerk-1', ['clerk']],
        ['general-hospital', 'social-worker-1', ['social-worker']],
      ] as const)
        await ok(n, `${org}/admin`, 'membership.enrol', {
          name,
          roles,
          key: pubOf(`${org}/${name}`),
        });
      await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec('old'));
      // Protocol 1 shapes, as they ran: free-text reasons, public references, no admission ID.
      await ok(n, 'city-bureau/finance-1', 'funds.allocate', {
        program: 'old',
        amount: '9000000',
        reference: 'budget 2026 Q1',
      });
      const paid = await submit(cnId(321));
      const v1Facts = (inv: string) => ({
        diagnoses: ['C91.0'],
        lines: [line(inv, 1, '100000')],
      });
      await ok(n, 'general-hospital/clerk-1', 'cases.verify', { case: paid.id }, v1Facts('O-1'));
      await ok(
        n,
        'city-bureau/reviewer-1',
        'cases.assess',
        { case: paid.id },
        await sources(paid.id),
      );
      await ok(n, 'city-bureau/finance-1', 'cases.disburse', {
        case: paid.id,
        reference: 'PAY-OLD-1',
      });
      const declined = await submit(cnId(322));
      await ok(n, 'general-hospital/clerk-1', 'cases.decline', {
        case: declined.id,
        reason: 'could not confirm the diagnosis',
      });
      const inFlight = await submit(cnId(323));
      await ok(
        n,
        'general-hospital/clerk-1',
        'cases.verify',
        { case: inFlight.id },
        v1Facts('O-3'),
      );

      // Approved and funded under protocol 1, not yet paid.
      const funded = await submit(cnId(326));
      await ok(n, 'general-hospital/clerk-1', 'cases.verify', { case: funded.id }, v1Facts('O-6'));
      await ok(
        n,
        'city-bureau/reviewer-1',
        'cases.assess',
        { case: funded.id },
        await sources(funded.id),
      );

      const from = n.node.ledger.height + 6;
      await adopt(n, 'adopt-v2', { kind: 'scheduleProtocol', version: 2, fromHeight: from });
      while (n.node.ledger.height + 1 < from)
        await n.send('city-bureau/admin', 'membership.vote', {
          proposal: 'adopt-v2',
          approve: true,
        });
      assert.equal(n.node.ledger.protocolFor(n.node.ledger.height + 1).version, 2);

      // Verified under protocol 1, the case's patient was never matched: no assessment until it is.
      await refused(
        n,
        'PATIENT_UNCONFIRMED',
        'city-bureau/reviewer-1',
        'cases.assess',
        { case: inFlight.id },
        await sources(inFlight.id),
      );
      await refused(
        n,
        'PATIENT_MISMATCH',
        'general-hospital/clerk-1',
        'cases.identify',
        { case: inFlight.id },
        { patient: { kind: 'cn', id: cnId(324) } },
      );
      await ok(
        n,
        'general-hospital/clerk-1',
        'cases.identify',
        { case: inFlight.id },
        { patient: { kind: 'cn', id: cnId(323) } },
      );
      await ok(
        n,
        'city-bureau/reviewer-1',
        'cases.assess',
        { case: inFlight.id },
        await sources(inFlight.id),
      );
      // Funded under protocol 1, it is paid only once its hospital has matched the patient.
      await refused(n, 'PATIENT_UNCONFIRMED', 'city-bureau/finance-1', 'cases.disburse', {
        case: funded.id,
      });
      await ok(
        n,
        'general-hospital/clerk-1',
        'cases.identify',
        { case: funded.id },
        { patient: { kind: 'cn', id: cnId(326) } },
      );
      await ok(n, 'city-bureau/finance-1', 'cases.disburse', { case: funded.id });
      // The protocol 1 shapes are refused at the door now.
      const late = await submit(cnId(325));
      await atDoor(n, 'general-hospital/clerk-1', 'cases.decline', {
        case: late.id,
        reason: 'could not confirm the diagnosis',
      });
      // The old records keep what they held; the old transactions replay as they ran.
      const old = (await n.read(`/v1/cases/${paid.id}`, 'city-bureau/finance-1')).json.case;
      assert.equal(old.payments[0].reference, 'PAY-OLD-1');
    } finally {
      await n.close();
    }
    const report = await verifyLedgerFile(join(dir, 'ledger.sqlite'), {
      registry,
      secrets: consortiumSecrets(readConsortiumKey(dir)!),
    });
    assert.ok(report.blocks > 0);
    assert.ok(report.refused >= 2);
    cleanup();
  });
});
