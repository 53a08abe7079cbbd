/**
 * A finance officer's batch of disbursements as files for the bank, over real HTTP against a real
 * node: the CSV (BOM, columns, no cell a spreadsheet would run) and the ISO 20022 pain.001.001.09
 * message, parsed back and checked against the ledger; who may export, and what is refused.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { caseReference } from '../src/domains/aid/reference.js';
import {
  cnId,
  line,
  programSpec,
  startAidNode,
  verifiedCase,
  type AidNode,
} from './aid-fixtures.js';

const BANKING = {
  debtor: {
    name: 'City Civil Affairs Bureau',
    accounts: {
      CNY: {
        account: { id: '6222020200112233445', scheme: 'CNAPS-ACCOUNT' },
        agent: { clearing: { system: 'CNAPS', member: '102100099996' }, name: 'ICBC Beijing' },
      },
    },
  },
  payees: {
    // A name a spreadsheet would run as a formula, were it not escaped.
    'general-hospital': {
      name: '=HYPERLINK("http://evil.example","General Hospital")',
      // The example IBAN of the IBAN literature and its bank's BIC: test data, no one's account.
      account: { iban: 'DE89370400440532013000' },
      agent: { bic: 'COBADEFFXXX' },
    },
    'children-hospital': {
      name: '北京儿童医院 & Children’s <Hospital>',
      account: { id: '6222020200998877665' },
      agent: { bic: 'ICBKCNBJ' },
    },
  },
};

async function post(n: AidNode, path: string, body: unknown, signer: string) {
  const res = await fetch(n.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await n.token(signer)}`,
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe('exporting a batch of disbursements for the bank', () => {
  let n: AidNode;
  const cases: { id: string; tx: string; amount: string; reference: string; hospital: string }[] =
    [];
  let undisbursed: string;

  before(async () => {
    n = await startAidNode();
    writeFileSync(join(n.dir, 'banking.json'), JSON.stringify(BANKING));
    const ok = async (p: Promise<{ ok: boolean }>) => assert.ok((await p).ok);
    await ok(n.send('city-bureau/manager-1', 'programs.publish', programSpec('pay')));
    await ok(
      n.send('city-bureau/finance-1', 'funds.allocate', { program: 'pay', amount: '90000000' }),
    );
    const plans = [
      { patient: 601, hospital: 'general-hospital', amount: '1234567', reference: '-PAY-0001' },
      { patient: 602, hospital: 'children-hospital', amount: '500000', reference: '@TREASURY 2' },
      { patient: 603, hospital: 'general-hospital', amount: '99', reference: 'PAY-0003' },
    ];
    for (const p of plans) {
      const c = await verifiedCase(n, {
        program: 'pay',
        patient: cnId(p.patient),
        hospital: p.hospital,
        lines: [line(`INV-P${p.patient}`, 1, p.amount)],
      });
      assert.ok(c.verify.ok, JSON.stringify(c.verify));
      assert.ok((await n.assess('city-bureau/reviewer-1', c.id)).ok);
      const d = await n.send(
        'city-bureau/finance-1',
        'cases.disburse',
        { case: c.id },
        { reference: p.reference },
      );
      assert.ok(d.ok, JSON.stringify(d));
      const rec = (await n.read(`/v1/cases/${c.id}`, 'city-bureau/finance-1')).json.case;
      cases.push({
        id: c.id,
        tx: d.id,
        amount: rec.amount,
        reference: p.reference,
        hospital: p.hospital,
      });
    }
    const c = await verifiedCase(n, {
      program: 'pay',
      patient: cnId(604),
      lines: [line('INV-P604', 1, '1000')],
    });
    undisbursed = c.id;
  });
  after(() => n.close());

  it('writes CSV a spreadsheet opens and never runs', async () => {
    const r = await post(
      n,
      '/v1/payments/csv',
      { cases: cases.map((c) => c.id) },
      'city-bureau/finance-1',
    );
    assert.equal(r.status, 200, r.bytes.toString());
    assert.match(r.type ?? '', /^text\/csv/);
    assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark');
    const rows = parse(r.bytes.subarray(3).toString('utf8')) as string[][];
    assert.deepEqual(rows[0], [
      'case_reference',
      'case_id',
      'disbursement_tx',
      'program',
      'payee_org',
      'payee_name',
      'payee_account',
      'payee_bank',
      'amount',
      'currency',
      'payment_reference',
      'disbursed_at',
    ]);
    assert.equal(rows.length, 4);
    const byId = new Map(rows.slice(1).map((row) => [row[1], row]));
    for (const c of cases) {
      const row = byId.get(c.id)!;
      assert.equal(row[0], caseReference(c.id));
      assert.equal(row[2], c.tx);
      assert.equal(row[4], c.hospital);
      assert.equal(BigInt(row[8]!.replace('.', '')), BigInt(c.amount));
      assert.equal(row[9], 'CNY');
    }
    // No cell begins with what a spreadsheet runs: the formula, '-…' and '@…' are quoted.
    for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, cell);
    assert.equal(byId.get(cases[0]!.id)![5], `'${BANKING.payees['general-hospital'].name}`);
    assert.equal(byId.get(cases[0]!.id)![10], "'-PAY-0001");
    assert.equal(byId.get(cases[1]!.id)![10], "'@TREASURY 2");
    assert.equal(byId.get(cases[2]!.id)![8], '0.99');
  });

  it('writes a pain.001.001.09 message whose every amount and reference is the ledger’s', async () => {
    const r = await post(
      n,
      '/v1/payments/pain001',
      { cases: cases.map((c) => c.id) },
      'city-bureau/finance-1',
    );
    assert.equal(r.status, 200, r.bytes.toString());
    assert.match(r.type ?? '', /^application\/xml/);
    const xml = r.bytes.toString('utf8');
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
    }).parse(xml);
    assert.equal(doc.Document['@_xmlns'], 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const init = doc.Document.CstmrCdtTrfInitn;
    const total = cases.reduce((a, c) => a + BigInt(c.amount), 0n);
    const major = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
    assert.equal(init.GrpHdr.NbOfTxs, '3');
    assert.equal(init.GrpHdr.CtrlSum, major(total));
    assert.match(init.GrpHdr.CreDtTm, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(init.GrpHdr.MsgId.length <= 35);
    const pmt = init.PmtInf;
    assert.equal(pmt.PmtMtd, 'TRF');
    assert.equal(pmt.NbOfTxs, '3');
    assert.equal(pmt.CtrlSum, major(total));
    assert.equal(pmt.DbtrAcct.Id.Othr.Id, '6222020200112233445');
    assert.equal(pmt.DbtrAgt.FinInstnId.ClrSysMmbId.MmbId, '102100099996');
    const txs = [pmt.CdtTrfTxInf].flat();
    assert.equal(txs.length, 3);
    for (const c of cases) {
      const t = txs.find(
        (x: { PmtId: { EndToEndId: string } }) => x.PmtId.EndToEndId === c.tx.slice(0, 35),
      );
      assert.ok(t, `a transfer for ${c.tx}`);
      // Checked against the ledger's own record of the case.
      const rec = (await n.read(`/v1/cases/${c.id}`, 'city-bureau/finance-1')).json.case;
      assert.equal(t.Amt.InstdAmt['#text'], major(BigInt(rec.amount)));
      assert.equal(t.Amt.InstdAmt['@_Ccy'], 'CNY');
      assert.equal(t.RmtInf.Ustrd, `${caseReference(c.id)} ${rec.payments.at(-1).reference}`);
      assert.equal(t.PmtId.InstrId, caseReference(c.id));
    }
    // Names are escaped, not markup.
    assert.match(xml, /北京儿童医院 &amp; Children’s &lt;Hospital&gt;/);
    // The same batch, in any order, is the same message: a bank will not pay it twice.
    const again = await post(
      n,
      '/v1/payments/pain001',
      { cases: cases.map((c) => c.id).reverse() },
      'city-bureau/finance-1',
    );
    const doc2 = new XMLParser().parse(again.bytes.toString('utf8'));
    assert.equal(doc2.Document.CstmrCdtTrfInitn.GrpHdr.MsgId, init.GrpHdr.MsgId);
  });

  it('is for the paying organisation’s finance officers, and refuses what it cannot pay', async () => {
    const all = cases.map((c) => c.id);
    const code = (r: { bytes: Buffer }) =>
      (JSON.parse(r.bytes.toString()) as { error: { code: string; details?: { index?: number } } })
        .error;
    const reviewer = await post(n, '/v1/payments/csv', { cases: all }, 'city-bureau/reviewer-1');
    assert.deepEqual([reviewer.status, code(reviewer).code], [403, 'FORBIDDEN']);
    const other = await post(n, '/v1/payments/csv', { cases: all }, 'hope-foundation/finance-1');
    assert.deepEqual([other.status, code(other).code], [403, 'FORBIDDEN']);
    const early = await post(
      n,
      '/v1/payments/pain001',
      { cases: [...all, undisbursed] },
      'city-bureau/finance-1',
    );
    assert.deepEqual(
      [early.status, code(early).code, code(early).details?.index],
      [400, 'BAD_REQUEST', 3],
    );
    const none = await post(n, '/v1/payments/csv', { cases: [] }, 'city-bureau/finance-1');
    assert.equal(none.status, 400);
    // A payee the node has no bank details for.
    writeFileSync(join(n.dir, 'banking.json'), JSON.stringify({ ...BANKING, payees: {} }));
    const missing = await post(n, '/v1/payments/csv', { cases: all }, 'city-bureau/finance-1');
    assert.deepEqual([missing.status, code(missing).code], [400, 'BAD_REQUEST']);
    rmSync(join(n.dir, 'banking.json'));
    const nofile = await post(n, '/v1/payments/pain001', { cases: all }, 'city-bureau/finance-1');
    assert.deepEqual([nofile.status, code(nofile).code], [503, 'UNAVAILABLE']);
    writeFileSync(join(n.dir, 'banking.json'), JSON.stringify(BANKING));
  });
});
