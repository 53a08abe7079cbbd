/**
 * Who sees what. A hospital sees its own cases, a program's staff their program's, regulators
 * all, an applicant their own; reads need a signed-in token. And no personal data anywhere
 * public: canary names and ID numbers are planted in the test data, then searched for in every
 * public response, every log leaf, the server's request log and the node's log.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { fromBase64 } from '../src/core/bytes.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import {
  cnId,
  line,
  programSpec,
  startAidNode,
  verifiedCase,
  type AidNode,
  type Json,
} from './aid-fixtures.js';
import { SEED } from './helpers.js';

const CANARY_NAMES = ['Canary Zhang Wei-7Q', '金絲雀測試者', 'Canary Donor 9X'];
const CANARY_IDS = [cnId(701), cnId(702), cnId(703)];
const CANARY_PHONE = '+86 139 0000 7777';
const CANARY_COMMENT = 'canary comment: my neighbour at 12 Canary Road';

describe('visibility and privacy', () => {
  let n: AidNode;
  const serverLog: string[] = [];
  const nodeLog: string[] = [];
  const cases: Record<string, string> = {};

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        serverLog.push(chunk.toString('utf8'));
        done();
      },
    });
    n = await startAidNode({
      server: { logger: pino({ level: 'trace' }, sink) },
      log: (level, msg, fields) => nodeLog.push(JSON.stringify({ level, msg, fields })),
    });
    const ok = async (p: Promise<{ ok: boolean; code?: string }>) => {
      const r = await p;
      assert.equal(r.ok, true, JSON.stringify(r));
    };
    await ok(n.send('city-bureau/manager-1', 'programs.publish', programSpec('gov')));
    await ok(n.send('hope-foundation/admin', 'programs.publish', programSpec('kids')));
    await ok(
      n.send('city-bureau/finance-1', 'funds.allocate', {
        program: 'gov',
        amount: '90000000',
      }),
    );
    const gift = await n.send(
      'hope-foundation/finance-1',
      'donations.receive',
      {
        donor: { kind: 'person', alias: 'a grateful parent' },
        amount: '90000000',
        currency: 'CNY',
        program: 'kids',
        rail: { kind: 'wechat-pay' },
      },
      { name: CANARY_NAMES[2]!, contact: CANARY_PHONE },
    );
    await ok(Promise.resolve(gift));
    cases.gift = gift.id;
    await ok(n.send('applicant/alice', 'accounts.register', { lang: 'zh-Hant' }));
    await ok(n.send('applicant/bob', 'accounts.register', { lang: 'en' }));
    const alice = await n.send(
      'applicant/alice',
      'cases.submit',
      { program: 'gov', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: CANARY_IDS[0]! },
        name: CANARY_NAMES[0]!,
        phone: CANARY_PHONE,
        declared: { householdIncomePerCapita: '1000000', region: '110105' },
      },
    );
    await ok(Promise.resolve(alice));
    cases.alice = alice.id;
    await ok(
      n.send(
        'general-hospital/social-worker-1',
        'cases.verify',
        { case: alice.id },
        {
          patient: { kind: 'cn', id: CANARY_IDS[0]! },
          diagnoses: ['C91.0'],
          lines: [line('CANARY-INV', 1, '100000')],
        },
      ),
    );
    await ok(n.assess('city-bureau/reviewer-1', alice.id));
    await ok(n.send('city-bureau/finance-1', 'cases.disburse', { case: alice.id }));
    await ok(n.send('general-hospital/clerk-1', 'cases.confirm', { case: alice.id }));
    await ok(
      n.send('general-hospital/social-worker-1', 'cases.close', {
        case: alice.id,
        outcome: 'improved',
      }),
    );
    await ok(
      n.send(
        'applicant/alice',
        'cases.feedback',
        { case: alice.id, rating: 4 },
        { comment: CANARY_COMMENT },
      ),
    );
    const kid = await verifiedCase(n, {
      program: 'kids',
      hospital: 'children-hospital',
      patient: CANARY_IDS[1]!,
      name: CANARY_NAMES[1]!,
      lines: [line('K-1', 1, '50000')],
    });
    cases.kid = kid.id;
    await ok(n.assess('hope-foundation/reviewer-1', kid.id));
    const att = await n.send(
      'city-bureau/reviewer-1',
      'attest.facts',
      {},
      {
        patient: { kind: 'cn', id: CANARY_IDS[2]! },
        facts: { householdIncomePerCapita: '800000', lowIncome: true },
      },
    );
    await ok(Promise.resolve(att));
    const g2 = await verifiedCase(n, {
      program: 'gov',
      hospital: 'children-hospital',
      patient: cnId(710),
      lines: [line('K-2', 1, '5000')],
    });
    cases.govChildren = g2.id;
  });
  after(async () => n.close());

  const ids = (r: { json: Json }) => (r.json.cases as { id: string }[]).map((c) => c.id).sort();

  it('needs a signed-in token for non-public reads', async () => {
    assert.equal((await n.read('/v1/cases')).status, 401);
    assert.equal((await n.read(`/v1/cases/${cases.alice}`)).status, 401);
    const bad = await fetch(`${n.url}/v1/cases`, { headers: { authorization: 'Bearer abc.def' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as Json).error.code, 'UNAUTHORIZED');
  });

  it('shows a hospital its own cases, a program its own, regulators all, an applicant theirs', async () => {
    assert.deepEqual(
      ids(await n.read('/v1/cases', 'general-hospital/social-worker-1')),
      [cases.alice].sort(),
    );
    assert.deepEqual(
      ids(await n.read('/v1/cases', 'children-hospital/clerk-1')),
      [cases.kid, cases.govChildren].sort(),
    );
    assert.deepEqual(
      ids(await n.read('/v1/cases', 'city-bureau/reviewer-1')),
      [cases.alice, cases.govChildren].sort(),
    );
    assert.deepEqual(
      ids(await n.read('/v1/cases', 'hope-foundation/reviewer-1')),
      [cases.kid].sort(),
    );
    assert.deepEqual(
      ids(await n.read('/v1/cases', 'audit-office/auditor-1')),
      [cases.alice, cases.kid, cases.govChildren].sort(),
    );
    assert.deepEqual(ids(await n.read('/v1/cases', 'applicant/alice')), [cases.alice]);
    assert.deepEqual(ids(await n.read('/v1/cases', 'applicant/bob')), []);
    assert.equal((await n.read(`/v1/cases/${cases.alice}`, 'applicant/bob')).status, 403);
    assert.equal(
      (await n.read(`/v1/cases/${cases.kid}`, 'general-hospital/social-worker-1')).status,
      403,
    );
    assert.equal((await n.read(`/v1/cases/${cases.kid}`, 'city-bureau/reviewer-1')).status, 403);
    assert.equal(
      (await n.read('/v1/cases?hospital=children-hospital', 'general-hospital/social-worker-1'))
        .status,
      403,
    );
    // Only the program's assessors take the private sources.
    assert.equal(
      (await n.read(`/v1/cases/${cases.govChildren}/sources`, 'children-hospital/clerk-1')).status,
      403,
    );
    const sources = await n.read(
      `/v1/cases/${cases.govChildren}/sources`,
      'city-bureau/reviewer-1',
    );
    assert.equal(sources.status, 200);
    // The stored facts as they are, each with its transaction and salt: what the ledger holds.
    const held = (sources.json.sources as { tx: string; salt: string; facts: unknown }[]).map(
      (s) => {
        assert.deepEqual(n.node.ledger.privatePart(s.tx), { salt: s.salt, facts: s.facts });
        return s.tx;
      },
    );
    assert.ok(held.length >= 2);
  });

  it('filters and pages case lists', async () => {
    const all = ids(await n.read('/v1/cases?limit=200', 'audit-office/auditor-1'));
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const page = await n.read(
        `/v1/cases?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        'audit-office/auditor-1',
      );
      seen.push(...(page.json.cases as { id: string }[]).map((c) => c.id));
      if (!page.json.nextCursor) break;
      cursor = page.json.nextCursor as string;
    }
    assert.deepEqual(seen.sort(), all);
    assert.deepEqual(ids(await n.read('/v1/cases?program=kids', 'audit-office/auditor-1')), [
      cases.kid,
    ]);
    assert.deepEqual(ids(await n.read('/v1/cases?state=closed', 'audit-office/auditor-1')), [
      cases.alice,
    ]);
    assert.deepEqual(
      ids(
        await n.read(
          '/v1/cases?hospital=children-hospital&state=verified',
          'audit-office/auditor-1',
        ),
      ),
      [cases.govChildren],
    );
    assert.deepEqual(
      ids(await n.read(`/v1/cases?from=${Date.now() + 60_000}`, 'audit-office/auditor-1')),
      [],
    );
    assert.equal((await n.read('/v1/cases?state=bogus', 'audit-office/auditor-1')).status, 400);
    assert.equal((await n.read('/v1/cases?cursor=%%%', 'audit-office/auditor-1')).status, 400);
  });

  it('shuts out a revoked member at once, token or not', async () => {
    const before = await n.read('/v1/cases', 'children-hospital/clerk-1');
    assert.equal(before.status, 200);
    const r = await n.send('children-hospital/admin', 'membership.revoke', {
      member: 'children-hospital/clerk-1',
    });
    assert.equal(r.ok, true);
    assert.equal((await n.read('/v1/cases', 'children-hospital/clerk-1')).status, 401);
  });

  it('keeps personal data out of every public response, log leaf and log line', async () => {
    const secrets = consortiumSecrets(demoSeed(SEED, 'consortium'));
    const canaries = [
      ...CANARY_NAMES,
      ...CANARY_IDS,
      ...CANARY_IDS.map((id) => secrets.pseudonym('cn', id)),
      ...CANARY_IDS.map((id) => secrets.pseudonym('cn', id).slice(3)),
      CANARY_PHONE,
      CANARY_COMMENT,
      'CANARY-INV',
      '110105',
    ];
    const patientKeys = [cases.alice, cases.kid].map(
      async (id) =>
        (await n.read(`/v1/cases/${id}`, 'audit-office/auditor-1')).json.case.patient as string,
    );
    canaries.push(...(await Promise.all(patientKeys)));
    const texts: string[] = [];
    const grab = async (path: string) => {
      const res = await fetch(n.url + path);
      assert.equal(res.status, 200, path);
      texts.push(`${path}\n${await res.text()}`);
    };
    for (const p of [
      '/v1/public/programs',
      '/v1/public/programs?lang=zh-Hant',
      '/v1/public/cases?limit=200',
      '/v1/public/donations',
      `/v1/public/donations/${cases.gift}/trace`,
      '/v1/public/journal?limit=500',
      '/v1/programs',
      '/v1/programs/gov',
      '/v1/orgs',
      '/v1/log/checkpoint',
      `/v1/blocks?from=0&limit=100`,
    ])
      await grab(p);
    for (const [what, id] of Object.entries(cases)) {
      if (what !== 'gift') await grab(`/v1/public/cases/${id}`);
      await grab(`/v1/receipt/${id}`);
      await grab(`/v1/tx/${id}`);
    }
    const size = n.node.ledger.size;
    for (let h = 0; h <= n.node.ledger.height; h++) await grab(`/v1/blocks/${h}`);
    const entries = await fetch(`${n.url}/v1/log/entries?start=0&end=${size}`);
    const leaves = ((await entries.json()) as { entries: string[] }).entries.map((b) =>
      new TextDecoder().decode(fromBase64(b)),
    );
    assert.equal(leaves.length, size);
    texts.push(...leaves);
    assert.ok(serverLog.length > 20, 'the server logged its requests');
    // No visitor's address either: method, URL and status are all a request line keeps.
    for (const line of serverLog) {
      assert.ok(!/remoteAddress|remotePort/.test(line), `request line: ${line}`);
    }
    const haystacks = [
      ['public responses and log leaves', texts.join('\n')],
      ['server log', serverLog.join('')],
      ['node log', nodeLog.join('\n')],
    ] as const;
    for (const [where, text] of haystacks)
      for (const c of canaries) assert.ok(!text.includes(c), `${where} contains ${c}`);
    // The canaries are really there to be found: in the private parts a member may read.
    const held = JSON.stringify(n.node.ledger.privatePart(cases.alice!));
    for (const c of [CANARY_NAMES[0]!, CANARY_IDS[0]!, CANARY_PHONE])
      assert.ok(held.includes(c), c);
  });
});
