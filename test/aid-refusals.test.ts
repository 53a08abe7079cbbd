/**
 * Every refusal of the medical-aid contracts, through the HTTP API: bad input is refused at the
 * door with a 4xx and never logged; a refused transaction is logged with its code and changes
 * nothing but its nonce. Also: a condition that needs an attested fact fails on a declared one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSubmission } from '../src/sdk/build.js';
import { canonicalJson } from '../src/core/canonical.js';
import { NONCE_PREFIX } from '../src/runtime/execute.js';
import {
  cnId,
  line,
  programSpec,
  startAidNode,
  verifiedCase,
  type AidNode,
} from './aid-fixtures.js';
import { enrolPayload, post, seedOf } from './helpers.js';

/** The same number with another check character. */
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

describe('medical-aid refusals', () => {
  let n: AidNode;
  /** Every state entry but the nonces. */
  const snapshot = () =>
    n.node.ledger
      .stateScan('', 1_000_000)
      .filter((r) => !r.key.startsWith(NONCE_PREFIX))
      .map((r) => `${r.key}=${r.value}`)
      .join('\n');

  /** Submits, expects the given execution code, and checks nothing else changed. */
  const refused = async (
    code: string,
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ) => {
    const before = snapshot();
    const size = n.node.ledger.size;
    const r = await n.send(signer, type, payload, facts);
    assert.equal(r.status, 200, `${type} was admitted: ${JSON.stringify(r)}`);
    assert.equal(r.code, code, `${type} by ${signer}: ${JSON.stringify(r)}`);
    assert.equal(snapshot(), before, `${type} refused with ${code} changed the state`);
    assert.ok(n.node.ledger.size > size, 'the refusal is in the log');
    const logged = await n.read(`/v1/tx/${r.id}`);
    assert.deepEqual(logged.json.result, { ok: false, code });
  };

  /** Expects a refusal at the door: a 4xx, nothing logged. */
  const atDoor = async (
    status: number,
    code: string,
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ) => {
    const size = n.node.ledger.size;
    const r = await n.send(signer, type, payload, facts);
    assert.equal(r.status, status, JSON.stringify(r));
    assert.equal(r.code, code, JSON.stringify(r));
    assert.equal(n.node.ledger.size, size, 'nothing is logged');
  };

  let submitted: string;
  let assessed: string;
  before(async () => {
    n = await startAidNode();
    await n.send(
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('gov', {
        review: { autoApproveUpTo: '100000', twoReviewersAbove: '200000' },
      }),
    );
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'gov',
      amount: '1000000',
    });
    await n.send('applicant/alice', 'accounts.register', { lang: 'en' });
    await n.send('applicant/bob', 'accounts.register', { lang: 'en' });
    const s = await n.send(
      'applicant/alice',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(1) },
        declared: { householdIncomePerCapita: '1000000' },
      },
    );
    submitted = s.id;
    const a = await verifiedCase(n, {
      program: 'gov',
      patient: cnId(2),
      lines: [line('R-1', 1, '500000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    assessed = a.id;
    const st = (await n.read(`/v1/cases/${a.id}`, 'city-bureau/reviewer-1')).json.case;
    assert.equal(st.state, 'assessed');
    assert.equal(st.reviewsNeeded, 2);
  });
  after(async () => n.close());

  it('refuses at the door: bad ID numbers, missing private parts, float rules, bad amounts, unknown keys', async () => {
    await atDoor(
      400,
      'MALFORMED',
      'applicant/alice',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: wrongCheck(cnId(3)) },
        declared: {},
      },
    );
    await atDoor(422, 'PRIVATE_MISSING', 'applicant/alice', 'cases.submit', {
      program: 'gov',
      hospital: 'general-hospital',
    });
    await atDoor(
      400,
      'MALFORMED',
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('floaty', {
        conditions: [
          { name: 'x', labels: { 'zh-Hant': 'x', 'zh-Hans': 'x', en: 'x' }, expr: 'age < 17.5' },
        ],
      }),
    );
    await atDoor(
      400,
      'MALFORMED',
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('unknown', {
        conditions: [
          { name: 'x', labels: { 'zh-Hant': 'x', 'zh-Hans': 'x', en: 'x' }, expr: 'salary < 5' },
        ],
      }),
    );
    await atDoor(400, 'MALFORMED', 'city-bureau/finance-1', 'funds.allocate', {
      program: 'gov',
      amount: '-5',
    });
    await atDoor(400, 'MALFORMED', 'city-bureau/finance-1', 'funds.allocate', {
      program: 'gov',
      amount: '12.50',
    });
    await atDoor(
      400,
      'MALFORMED',
      'general-hospital/social-worker-1',
      'cases.verify',
      { case: submitted },
      {
        patient: { kind: 'cn', id: cnId(1) },
        diagnoses: ['C91.0'],
        lines: [{ invoice: 'X', line: 1, amount: '100', insurancePaid: '200' }],
      },
    );
    await atDoor(
      403,
      'UNKNOWN_KEY',
      'applicant/nobody',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(3) },
        declared: {},
      },
    );
  });

  it('records each contract refusal with its code and changes nothing else', async () => {
    await refused(
      'FORBIDDEN_ROLE',
      'general-hospital/social-worker-1',
      'programs.publish',
      programSpec('nope'),
    );
    await refused(
      'WRONG_ORG',
      'children-hospital/clerk-1',
      'cases.verify',
      { case: submitted },
      {
        patient: { kind: 'cn', id: cnId(1) },
        diagnoses: ['C91.0'],
        lines: [line('Z', 1, '100')],
      },
    );
    await refused('INVALID_STATE', 'city-bureau/finance-1', 'cases.disburse', {
      case: submitted,
    });
    await refused('NOT_APPLICANT', 'applicant/bob', 'cases.withdraw', { case: submitted });
    await refused(
      'NOT_FOUND',
      'general-hospital/social-worker-1',
      'cases.verify',
      { case: 'ab'.repeat(32) },
      {
        patient: { kind: 'cn', id: cnId(1) },
        diagnoses: ['C91.0'],
        lines: [line('Z', 1, '100')],
      },
    );
    await refused('CURRENCY_MISMATCH', 'city-bureau/finance-1', 'donations.receive', {
      donor: { kind: 'anonymous' },
      amount: '100',
      currency: 'HKD',
      program: 'gov',
      rail: { kind: 'fps' },
    });
    await refused('INSUFFICIENT_FUNDS', 'city-bureau/finance-1', 'funds.return', {
      program: 'gov',
      lot: 1,
      amount: '999999999',
      reason: 'donor-request',
    });
    await refused(
      'WRONG_ORG',
      'children-hospital/social-worker-1',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(4) },
        declared: {},
      },
    );
    await refused('KEY_IN_USE', 'city-bureau/reviewer-1', 'accounts.register', { lang: 'en' });
    // An invoice line stated again with another amount.
    const known = await n.send(
      'general-hospital/social-worker-1',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(12) },
        declared: {},
      },
    );
    await refused(
      'LINE_CONFLICT',
      'general-hospital/social-worker-1',
      'cases.verify',
      { case: known.id },
      {
        patient: { kind: 'cn', id: cnId(12) },
        diagnoses: ['C91.0'],
        lines: [line('R-1', 1, '500001')],
      },
    );
    await refused('WRONG_ORG', 'hope-foundation/admin', 'programs.publish', programSpec('gov'));
    // Two reviewers are needed, and the second must be someone else.
    assert.equal(
      (
        await n.send('city-bureau/reviewer-1', 'cases.review', {
          case: assessed,
          approve: true,
          reason: 'criteria-met',
        })
      ).ok,
      true,
    );
    await refused('ALREADY_REVIEWED', 'city-bureau/reviewer-1', 'cases.review', {
      case: assessed,
      approve: true,
      reason: 'criteria-met',
    });
    // Assessment must bring every source, each matching its commitment.
    const c = await verifiedCase(n, {
      program: 'gov',
      patient: cnId(5),
      lines: [line('R-2', 1, '1000')],
    });
    const src = (await n.read(`/v1/cases/${c.id}/sources`, 'city-bureau/reviewer-1')).json;
    await refused(
      'SOURCES_MISMATCH',
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: c.id },
      { sources: [src.sources[0], src.sources[0]] },
    );
    const tampered = structuredClone(src);
    tampered.sources[0].facts.declared.householdIncomePerCapita = '1';
    await refused(
      'SOURCES_MISMATCH',
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: c.id },
      tampered,
    );
  });

  it('stops everything about a frozen case, program or organisation until it is unfrozen', async () => {
    const c = await verifiedCase(n, {
      program: 'gov',
      patient: cnId(6),
      lines: [line('F-1', 1, '1000')],
    });
    const target = { kind: 'case', id: c.id };
    await refused('FORBIDDEN_ROLE', 'city-bureau/reviewer-1', 'audit.freeze', {
      target,
      reason: 'records-under-audit',
    });
    assert.equal(
      (
        await n.send(
          'audit-office/auditor-1',
          'audit.freeze',
          { target, reason: 'records-under-audit' },
          { note: 'inquiry 7' },
        )
      ).ok,
      true,
    );
    await refused(
      'FROZEN',
      'city-bureau/reviewer-1',
      'cases.assess',
      { case: c.id },
      (await n.read(`/v1/cases/${c.id}/sources`, 'city-bureau/reviewer-1')).json,
    );
    assert.equal(
      (await n.send('audit-office/auditor-1', 'audit.unfreeze', { target, reason: 'no-finding' }))
        .ok,
      true,
    );
    assert.equal((await n.assess('city-bureau/reviewer-1', c.id)).ok, true);

    const prog = { kind: 'program', id: 'gov' };
    assert.equal(
      (
        await n.send('audit-office/auditor-1', 'audit.freeze', {
          target: prog,
          reason: 'records-under-audit',
        })
      ).ok,
      true,
    );
    await refused(
      'FROZEN',
      'general-hospital/social-worker-1',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(7) },
        declared: {},
      },
    );
    assert.equal(
      (
        await n.send('audit-office/auditor-1', 'audit.unfreeze', {
          target: prog,
          reason: 'resolved',
        })
      ).ok,
      true,
    );

    const org = { kind: 'org', id: 'children-hospital' };
    assert.equal(
      (
        await n.send('audit-office/auditor-1', 'audit.freeze', {
          target: org,
          reason: 'records-under-audit',
        })
      ).ok,
      true,
    );
    await refused(
      'FROZEN',
      'children-hospital/social-worker-1',
      'cases.submit',
      { program: 'gov', hospital: 'children-hospital' },
      {
        patient: { kind: 'cn', id: cnId(8) },
        declared: {},
      },
    );
    await refused('INVALID_STATE', 'audit-office/auditor-1', 'audit.freeze', {
      target: org,
      reason: 'complaint',
    });
    assert.equal(
      (
        await n.send('audit-office/auditor-1', 'audit.unfreeze', {
          target: org,
          reason: 'resolved',
        })
      ).ok,
      true,
    );
  });

  it('refuses a reviewer from the treating hospital’s own organisation', async () => {
    await n.send(
      'general-hospital/admin',
      'membership.enrol',
      enrolPayload(
        n.chain,
        'general-hospital',
        'fund-reviewer',
        ['reviewer', 'program-manager'],
        seedOf('general-hospital/fund-reviewer'),
      ),
    );
    await n.send(
      'general-hospital/fund-reviewer',
      'programs.publish',
      programSpec('gh-fund', {
        review: { autoApproveUpTo: '0', twoReviewersAbove: '100000000' },
      }),
    );
    const c = await verifiedCase(n, {
      program: 'gh-fund',
      patient: cnId(9),
      lines: [line('G-1', 1, '1000')],
    });
    assert.equal((await n.assess('general-hospital/fund-reviewer', c.id)).ok, true);
    await refused('CONFLICT_OF_INTEREST', 'general-hospital/fund-reviewer', 'cases.review', {
      case: c.id,
      approve: true,
      reason: 'criteria-met',
    });
  });

  it('fails a condition that needs an attested fact on a declared one, and passes it once attested', async () => {
    const spec = programSpec('attested', {
      conditions: [
        {
          name: 'income-limit',
          labels: { 'zh-Hant': '收入', 'zh-Hans': '收入', en: 'income, attested by a bureau' },
          expr: 'householdIncomePerCapita <= 2400000',
          attested: [{ fact: 'householdIncomePerCapita', by: ['government'] }],
        },
      ],
    });
    assert.equal((await n.send('city-bureau/manager-1', 'programs.publish', spec)).ok, true);
    await n.send('city-bureau/finance-1', 'funds.allocate', {
      program: 'attested',
      amount: '100000',
    });
    const declared = { householdIncomePerCapita: '1000000' };
    const a = await verifiedCase(n, {
      program: 'attested',
      patient: cnId(10),
      declared,
      lines: [line('T-1', 1, '1000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', a.id)).ok, true);
    const ex = (await n.read(`/v1/cases/${a.id}/explain?lang=en`, 'city-bureau/reviewer-1')).json;
    assert.equal(ex.state, 'rejected');
    assert.equal(ex.conditions[0].passed, false);
    assert.equal(ex.conditions[0].reason, 'not-attested');
    assert.equal(ex.conditions[0].facts[0].source, 'declared');

    // A hospital may not attest income; the bureau may.
    await refused(
      'WRONG_ORG',
      'general-hospital/social-worker-1',
      'attest.facts',
      {},
      {
        patient: { kind: 'cn', id: cnId(11) },
        facts: { householdIncomePerCapita: '1000000' },
      },
    );
    const att = await n.send(
      'city-bureau/reviewer-1',
      'attest.facts',
      {},
      {
        patient: { kind: 'cn', id: cnId(11) },
        facts: { householdIncomePerCapita: '900000' },
      },
    );
    assert.equal(att.ok, true);
    const b = await verifiedCase(n, {
      program: 'attested',
      patient: cnId(11),
      declared,
      lines: [line('T-2', 1, '1000')],
    });
    assert.equal((await n.assess('city-bureau/reviewer-1', b.id)).ok, true);
    const exb = (await n.read(`/v1/cases/${b.id}/explain?lang=zh-Hans`, 'city-bureau/reviewer-1'))
      .json;
    assert.equal(exb.conditions[0].passed, true);
    assert.equal(exb.conditions[0].facts[0].source, 'attested');
    assert.equal(exb.conditions[0].facts[0].by, 'city-bureau');
    assert.equal(
      exb.conditions[0].facts[0].value,
      '900000',
      'the attested value wins over the declared one',
    );
    assert.equal(exb.conditions[0].facts[0].sourceLabel, '由市医疗保障局核实');
  });

  it('answers an identical resubmission with the original result', async () => {
    const sub = buildSubmission(
      { chain: n.chain, type: 'cases.withdraw', payload: { case: submitted }, nonce: 'same' },
      seedOf('applicant/bob'),
    );
    const a = await post(n.url, '/v1/tx', canonicalJson(sub));
    const b = await post(n.url, '/v1/tx', canonicalJson(sub));
    assert.deepEqual(a.json.result, { ok: false, code: 'NOT_APPLICANT' });
    assert.equal(b.json.duplicate, true);
    assert.deepEqual(b.json.result, a.json.result);
  });
});
