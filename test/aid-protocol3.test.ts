/**
 * Protocol 3 of the medical-aid contracts through real HTTP against a real node: one open case
 * per patient per program (`CASE_OPEN`), the check a form makes before sending, case references
 * found by search, and a case bound to the family's new phone by the treating hospital while the
 * old key is refused. A protocol 2 ledger moves to 3 by a vote with its open cases named.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { registry } from '../src/domains/protocols.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { readConsortiumKey } from '../src/node/config.js';
import { caseReference } from '../src/domains/aid/reference.js';
import { openCaseCheck } from '../src/domains/aid/client.js';
import {
  cnId,
  line,
  programSpec,
  protocolDir,
  startAidNode,
  verifiedCase,
  voteThrough,
  type AidNode,
  type Json,
} from './aid-fixtures.js';
import { pubOf } from './helpers.js';

async function ok(n: AidNode, signer: string, type: string, payload: Json, facts?: Json) {
  const r = await n.send(signer, type, payload, facts);
  assert.ok(r.ok, `${type} by ${signer}: ${JSON.stringify(r)}`);
  return r;
}

async function refused(n: AidNode, code: string, signer: string, type: string, p: Json, f?: Json) {
  const r = await n.send(signer, type, p, f);
  assert.equal(r.status, 200, `${type} was not admitted: ${JSON.stringify(r)}`);
  assert.equal(r.code, code, `${type} by ${signer}: ${JSON.stringify(r)}`);
  return r;
}

const application = (patient: string) => ({
  patient: { kind: 'cn', id: patient },
  declared: { householdIncomePerCapita: '1000000' },
});

async function post(n: AidNode, path: string, body: unknown, signer?: string) {
  const res = await fetch(n.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signer ? { authorization: `Bearer ${await n.token(signer)}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('one open case per patient per program (protocol 3)', () => {
  let n: AidNode;
  const P = cnId(401);
  before(async () => {
    n = await startAidNode();
    assert.equal(n.node.ledger.block(n.node.ledger.height)!.protocol, 3);
    for (const id of ['p3-one', 'p3-two'])
      await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec(id));
    for (const a of ['fam-a', 'fam-b'])
      await ok(n, `applicant/${a}`, 'accounts.register', { lang: 'en' });
  });
  after(() => n.close());

  it('refuses a second application for the same patient in the same program, whoever sends it', async () => {
    const first = await ok(
      n,
      'applicant/fam-a',
      'cases.submit',
      { program: 'p3-one', hospital: 'general-hospital' },
      application(P),
    );
    // The same family again (the phone's Back button), another account, the hospital's social
    // worker: all refused, and the refusal names nothing but the code.
    for (const signer of ['applicant/fam-a', 'applicant/fam-b', 'general-hospital/social-worker-1'])
      await refused(
        n,
        'CASE_OPEN',
        signer,
        'cases.submit',
        { program: 'p3-one', hospital: 'general-hospital' },
        application(P),
      );
    // Another program, or another patient: allowed.
    await ok(
      n,
      'applicant/fam-a',
      'cases.submit',
      { program: 'p3-two', hospital: 'general-hospital' },
      application(P),
    );
    await ok(
      n,
      'applicant/fam-b',
      'cases.submit',
      { program: 'p3-one', hospital: 'general-hospital' },
      application(cnId(402)),
    );
    // Once the open case has ended, the patient may apply again.
    await ok(n, 'applicant/fam-a', 'cases.withdraw', { case: first.id });
    await ok(
      n,
      'applicant/fam-b',
      'cases.submit',
      { program: 'p3-one', hospital: 'general-hospital' },
      application(P),
    );
  });

  it('answers the form’s check with the open case only to those who may see it', async () => {
    const patient = { kind: 'cn' as const, id: cnId(403) };
    const c = await ok(
      n,
      'applicant/fam-a',
      'cases.submit',
      { program: 'p3-one', hospital: 'children-hospital' },
      { patient, declared: { householdIncomePerCapita: '1000000' } },
    );
    const own = await openCaseCheck(n.url, await n.token('applicant/fam-a'), 'p3-one', patient);
    assert.deepEqual(own, { id: c.id, reference: caseReference(c.id) });
    // The treating hospital sees its case; another family and another hospital learn nothing.
    const hosp = await post(
      n,
      '/v1/cases/open-check',
      { program: 'p3-one', patient },
      'children-hospital/clerk-1',
    );
    assert.equal(hosp.json.open.id, c.id);
    for (const signer of ['applicant/fam-b', 'general-hospital/social-worker-1']) {
      const r = await post(n, '/v1/cases/open-check', { program: 'p3-one', patient }, signer);
      assert.deepEqual([r.status, r.json], [200, { open: null }], signer);
    }
    assert.deepEqual(
      (await post(n, '/v1/cases/open-check', { program: 'p3-two', patient }, 'applicant/fam-a'))
        .json,
      { open: null },
    );
    // Signed in only; an invalid ID is refused without echoing it.
    assert.equal(
      (await post(n, '/v1/cases/open-check', { program: 'p3-one', patient })).status,
      401,
    );
    const bad = await post(
      n,
      '/v1/cases/open-check',
      { program: 'p3-one', patient: { kind: 'cn', id: '110105199001014030' } },
      'applicant/fam-a',
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'BAD_REQUEST');
    assert.ok(!JSON.stringify(bad.json).includes('110105199001014030'));
  });

  it('finds a case by the reference a person reads aloud, typed loosely', async () => {
    const c = await ok(
      n,
      'applicant/fam-b',
      'cases.submit',
      { program: 'p3-two', hospital: 'general-hospital' },
      application(cnId(404)),
    );
    const ref = caseReference(c.id);
    const typed = ref.toLowerCase().replace(/-/g, ' ');
    const mine = await n.read(
      `/v1/cases?reference=${encodeURIComponent(typed)}`,
      'applicant/fam-b',
    );
    assert.deepEqual(
      mine.json.cases.map((r: { id: string }) => r.id),
      [c.id],
    );
    const pub = await n.read(`/v1/public/cases?reference=${encodeURIComponent(ref)}`);
    assert.deepEqual(
      pub.json.cases.map((r: { id: string }) => r.id),
      [c.id],
    );
    // Another family's reference finds nothing in this family's list.
    const theirs = await n.read(
      `/v1/cases?reference=${encodeURIComponent(ref)}`,
      'applicant/fam-a',
    );
    assert.deepEqual(theirs.json.cases, []);
    // A typing error is caught by the check character.
    const wrong = ref.slice(0, -1) + (ref.endsWith('0') ? '1' : '0');
    const r = await n.read(`/v1/public/cases?reference=${encodeURIComponent(wrong)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json.error.details.field, 'reference');
  });
});

describe('a case bound to the family’s new phone (protocol 3)', () => {
  let n: AidNode;
  let caseId: string;
  before(async () => {
    n = await startAidNode();
    await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec('p3-rec'));
    for (const a of ['old-phone', 'new-phone', 'stranger'])
      await ok(n, `applicant/${a}`, 'accounts.register', { lang: 'zh-Hans' });
    caseId = (
      await ok(
        n,
        'applicant/old-phone',
        'cases.submit',
        { program: 'p3-rec', hospital: 'general-hospital' },
        application(cnId(410)),
      )
    ).id;
  });
  after(() => n.close());

  it('lets only the treating hospital or the applicant bind it, to a registered account', async () => {
    const newKey = pubOf('applicant/new-phone');
    await refused(n, 'WRONG_ORG', 'children-hospital/clerk-1', 'cases.recover', {
      case: caseId,
      account: newKey,
    });
    await refused(n, 'NOT_APPLICANT', 'applicant/stranger', 'cases.recover', {
      case: caseId,
      account: newKey,
    });
    await refused(n, 'FORBIDDEN_ROLE', 'city-bureau/reviewer-1', 'cases.recover', {
      case: caseId,
      account: newKey,
    });
    await refused(n, 'NOT_FOUND', 'general-hospital/social-worker-1', 'cases.recover', {
      case: caseId,
      account: pubOf('applicant/never-registered'),
    });
    await refused(n, 'INVALID_STATE', 'general-hospital/social-worker-1', 'cases.recover', {
      case: caseId,
      account: pubOf('applicant/old-phone'),
    });
  });

  it('moves the case to the new phone and refuses the old key from then on', async () => {
    const newKey = pubOf('applicant/new-phone');
    await n.token('applicant/old-phone'); // signed in before the loss
    await ok(n, 'general-hospital/social-worker-1', 'cases.recover', {
      case: caseId,
      account: newKey,
    });
    const view = await n.read(`/v1/cases/${caseId}`, 'applicant/new-phone');
    assert.equal(view.status, 200);
    assert.deepEqual(view.json.case.applicant, { kind: 'account', key: newKey });
    assert.equal(view.json.case.recovered.length, 1);
    assert.equal(view.json.case.recovered[0].by, 'general-hospital/social-worker-1');
    const list = await n.read('/v1/cases', 'applicant/new-phone');
    assert.deepEqual(
      list.json.cases.map((c: { id: string }) => c.id),
      [caseId],
    );
    // The old key: refused at the door (a closed account), and its old token sees nothing.
    const r = await n.send('applicant/old-phone', 'cases.withdraw', { case: caseId });
    assert.notEqual(r.status, 200, JSON.stringify(r));
    const old = await n.read(`/v1/cases/${caseId}`, 'applicant/old-phone');
    assert.ok(old.status === 401 || old.status === 403, String(old.status));
    // The new phone acts on the case.
    await ok(n, 'applicant/new-phone', 'cases.withdraw', { case: caseId });
  });
});

describe('a protocol 2 ledger voting itself to protocol 3', () => {
  it('names the cases open at the upgrade, so a second application is refused after it', async () => {
    const { dir, cleanup } = protocolDir(2);
    const n = await startAidNode({ dir });
    try {
      await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec('p3-up'));
      await ok(n, 'applicant/up-a', 'accounts.register', { lang: 'en' });
      const before = await ok(
        n,
        'applicant/up-a',
        'cases.submit',
        { program: 'p3-up', hospital: 'general-hospital' },
        application(cnId(420)),
      );
      // Under protocol 2 a second application still goes through.
      await ok(
        n,
        'applicant/up-a',
        'cases.submit',
        { program: 'p3-up', hospital: 'general-hospital' },
        application(cnId(420)),
      );
      const { verify } = await verifiedCase(n, {
        program: 'p3-up',
        patient: cnId(421),
        lines: [line('INV-P3', 1, '100000')],
      });
      assert.ok(verify.ok);
      const from = n.node.ledger.height + 6;
      assert.equal(
        await voteThrough(n, 'to-v3', { kind: 'scheduleProtocol', version: 3, fromHeight: from }),
        'adopted',
      );
      while (n.node.ledger.height < from)
        await n.send('city-bureau/admin', 'membership.vote', { proposal: 'to-v3', approve: true });
      assert.equal(n.node.ledger.block(n.node.ledger.height)!.protocol, 3);
      for (const patient of [cnId(420), cnId(421)])
        await refused(
          n,
          'CASE_OPEN',
          'general-hospital/social-worker-1',
          'cases.submit',
          { program: 'p3-up', hospital: 'general-hospital' },
          application(patient),
        );
      assert.ok(before.id);
    } finally {
      await n.close();
    }
    // verify replays the upgrade's writes under the same rules.
    const report = await verifyLedgerFile(join(dir, 'ledger.sqlite'), {
      registry,
      secrets: consortiumSecrets(readConsortiumKey(dir)!),
    });
    assert.ok(report.blocks > 0);
    cleanup();
  });
});

describe('a reviewer asks for more information (protocol 3)', () => {
  let n: AidNode;
  const reviewed = { review: { autoApproveUpTo: '0', twoReviewersAbove: '100000000' } };
  before(async () => {
    n = await startAidNode();
    await ok(n, 'city-bureau/manager-1', 'programs.publish', programSpec('p3-info', reviewed));
    await ok(n, 'city-bureau/finance-1', 'funds.allocate', {
      program: 'p3-info',
      amount: '50000000',
    });
  });
  after(() => n.close());

  async function assessedCase(patient: number): Promise<string> {
    const c = await verifiedCase(n, {
      program: 'p3-info',
      patient: cnId(patient),
      lines: [line(`INV-I${patient}`, 1, '300000')],
    });
    assert.ok(c.verify.ok, JSON.stringify(c.verify));
    assert.ok((await n.assess('city-bureau/reviewer-1', c.id)).ok);
    const rec = await n.read(`/v1/cases/${c.id}`, 'city-bureau/reviewer-1');
    assert.equal(rec.json.case.state, 'assessed');
    return c.id;
  }

  it('holds the case until whoever was asked answers, then the reviewer decides', async () => {
    const id = await assessedCase(430);
    const ask = { case: id, reason: 'invoice-detail-needed', from: 'hospital' };
    // Only the program's reviewers and managers ask.
    await refused(n, 'FORBIDDEN_ROLE', 'general-hospital/clerk-1', 'cases.requestInfo', ask);
    await refused(n, 'WRONG_ORG', 'hope-foundation/reviewer-1', 'cases.requestInfo', ask);
    await ok(n, 'city-bureau/reviewer-1', 'cases.requestInfo', ask, {
      note: 'please list the drugs on line 1 one by one',
    });
    const waiting = await n.read(`/v1/cases/${id}`, 'city-bureau/reviewer-1');
    assert.equal(waiting.json.case.state, 'info-requested');
    assert.equal(waiting.json.case.infoRequests[0].reason, 'invoice-detail-needed');
    assert.equal(waiting.json.case.infoRequests[0].returnTo, 'assessed');
    // Nobody decides meanwhile, and only the hospital that was asked answers.
    await refused(n, 'INVALID_STATE', 'city-bureau/reviewer-1', 'cases.review', {
      case: id,
      approve: true,
      reason: 'criteria-met',
    });
    await refused(n, 'WRONG_ORG', 'children-hospital/clerk-1', 'cases.answerInfo', { case: id });
    const answer = await ok(
      n,
      'general-hospital/clerk-1',
      'cases.answerInfo',
      { case: id },
      {
        note: 'line 1: three cycles of chemotherapy drugs',
      },
    );
    // The words are private: the log has the commitment only.
    const logged = await n.read(`/v1/tx/${answer.id}`);
    assert.doesNotMatch(JSON.stringify(logged.json), /chemotherapy/);
    const back = await n.read(`/v1/cases/${id}`, 'city-bureau/reviewer-1');
    assert.equal(back.json.case.state, 'assessed');
    assert.equal(back.json.case.infoRequests[0].answered.by, 'general-hospital/clerk-1');
    await refused(n, 'INVALID_STATE', 'general-hospital/clerk-1', 'cases.answerInfo', { case: id });
    await ok(n, 'city-bureau/reviewer-1', 'cases.review', {
      case: id,
      approve: true,
      reason: 'documents-verified',
    });
    assert.equal(
      (await n.read(`/v1/cases/${id}`, 'city-bureau/reviewer-1')).json.case.state,
      'funded',
    );
  });

  it('asks the applicant’s side, and lets the program cancel a case that waits', async () => {
    const id = await assessedCase(431);
    await ok(n, 'city-bureau/manager-1', 'cases.requestInfo', {
      case: id,
      reason: 'income-proof-needed',
      from: 'applicant',
    });
    // The hospital's clerk is not the applicant's side; its social worker is.
    await refused(n, 'NOT_APPLICANT', 'general-hospital/clerk-1', 'cases.answerInfo', { case: id });
    await ok(n, 'general-hospital/social-worker-1', 'cases.answerInfo', { case: id });
    const other = await assessedCase(432);
    await ok(n, 'city-bureau/reviewer-1', 'cases.requestInfo', {
      case: other,
      reason: 'document-missing',
      from: 'applicant',
    });
    await ok(
      n,
      'city-bureau/manager-1',
      'cases.cancel',
      { case: other, reason: 'applicant-request' },
      { note: 'the family asked to stop' },
    );
    assert.equal(
      (await n.read(`/v1/cases/${other}`, 'city-bureau/reviewer-1')).json.case.state,
      'cancelled',
    );
  });
});
