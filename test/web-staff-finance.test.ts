/**
 * The finance officer's and the regulator's workspaces in a real browser against a node holding
 * the whole demo. Finance records a donation (the program's figures move by exactly its amount),
 * pays two funded cases as a batch (one signed transaction each), is told plainly that the node
 * has no bank details, then, once the node has them, downloads the batch as CSV (byte order mark,
 * a reference beginning with `=` escaped) and as pain.001.001.09, both checked field by field
 * against the ledger. A regulator finds a case by its reference, freezes it with a coded reason
 * and a private note and lifts the freeze, reads the case's audit trail from the log, finds the
 * demo's duplicate claims among the refused transactions, and verifies the whole ledger in the
 * browser with its progress shown. Every page is axe-clean in three languages at 360 px and
 * desktop, with no console error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import {
  caseReference,
  getCase,
  listCases,
  programs,
  signIn,
  type CaseView,
} from '../src/sdk/index.js';
import { majorUnits, toAmount, type Currency } from '../src/core/money.js';
import { canonicalJson } from '../src/core/canonical.js';
import { toHex, utf8 } from '../src/core/bytes.js';
import { sha256 } from '../src/core/hash.js';
import { CSV_COLUMNS } from '../src/domains/aid/payments-export.js';
import { CITY_PROGRAM } from '../src/domains/aid/demo.js';
import { seedOf } from './helpers.js';
import { DEMO_BANKING } from './banking-fixture.js';
import { DESKTOP, openPage, PHONE, webSuite, type OpenPage } from './web-fixture.js';
import {
  importAndSignIn,
  moveTo,
  noViolations,
  noViolationsInEveryLanguage,
  until,
  writeKeyFile,
} from './web-staff-helpers.js';

const PASS = 'harbour cedar kettle 42';
const FINANCE = 'city-bureau/finance-1';
const REGULATOR = 'audit-office/auditor-1';
/** A payment reference a spreadsheet would run as a formula, were it not escaped. */
const REFERENCE = '=SUM(1+1)';
const SCREENSHOTS = process.env['AIDLEDGER_SCREENSHOTS'] === '1';

/** The browser logs a node's refusal (a 4xx or 5xx answer) itself; nothing else may reach it. */
function onlyStatus(errors: string[], status: number): string[] {
  return errors.filter((e) => !new RegExp(`status of ${status}\\b`).test(e));
}

describe('finance and oversight workspaces', () => {
  const web = webSuite();
  let files: string;
  let finance: OpenPage;
  let regulator: OpenPage;
  /** The two cases paid as a batch. */
  let batch: string[] = [];

  before(() => {
    files = mkdtempSync(join(tmpdir(), 'aidledger-web-finance-'));
  });
  after(() => {
    if (files) rmSync(files, { recursive: true, force: true });
  });

  /** Reads a case as the finance officer, through the API. */
  async function ledgerCase(id: string): Promise<CaseView> {
    const token = await signIn(web.node.client, web.node.chain, seedOf(FINANCE));
    return getCase(web.node.client, token, id);
  }

  async function shot(page: Page, name: string) {
    if (!SCREENSHOTS) return;
    const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    // From the top, so that the sticky header sits where it belongs.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(dir, name), fullPage: true });
  }

  it('records a donation and pays two funded cases as a batch', { timeout: 240_000 }, async () => {
    finance = await openPage(web.browser, { viewport: DESKTOP });
    await importAndSignIn(finance, web.node.url, writeKeyFile(files, FINANCE), PASS);
    const p = finance.page;
    await p.getByRole('link', { name: 'Money and payments' }).click();
    await p.getByRole('heading', { level: 1, name: 'Money and payments' }).waitFor();
    await p.getByTestId(`figures-${CITY_PROGRAM}`).waitFor();

    // A donation of 1,500.25 to the city program: its received figure moves by exactly that.
    const before = (await programs(web.node.client)).find((x) => x.id === CITY_PROGRAM)!;
    await p.getByTestId('donation-program').selectOption(CITY_PROGRAM);
    await p.getByTestId('donation-alias').fill('A neighbour');
    await p.getByTestId('donation-amount').fill('1500.25');
    await p.getByTestId('donation-name').fill('Chan Tai Man');
    await p.getByTestId('donation-reference').fill('TRF-2026-0001');
    await p.getByTestId('donation-submit').click();
    await p.getByTestId('donation-done').waitFor({ timeout: 20_000 });
    const afterwards = (await programs(web.node.client)).find((x) => x.id === CITY_PROGRAM)!;
    assert.equal(BigInt(afterwards.received) - BigInt(before.received), 150025n);
    // The donor's name and the payment reference never reach the public ledger.
    const recent = await fetch(`${web.node.url}/v1/public/donations?limit=100`);
    const publicText = await recent.text();
    assert.ok(publicText.includes('A neighbour'));
    assert.ok(!publicText.includes('Chan Tai Man') && !publicText.includes('TRF-2026-0001'));

    // Choose two funded cases of the queue and pay them as a batch.
    await p.getByTestId('finance-queue').waitFor();
    const choose = p.getByTestId('finance-choose');
    await choose.nth(1).waitFor({ timeout: 20_000 });
    const rows = p.locator('[data-testid="finance-row"]:has([data-testid="finance-choose"])');
    batch = [
      (await rows.nth(0).getAttribute('data-case'))!,
      (await rows.nth(1).getAttribute('data-case'))!,
    ];
    await rows.nth(0).getByTestId('finance-choose').check();
    await rows.nth(1).getByTestId('finance-choose').check();
    assert.match(await p.getByTestId('batch-summary').innerText(), /^2 chosen: /);
    await p.getByTestId('batch-reference').fill(REFERENCE);
    await noViolations(p, 'the finance workspace with a batch chosen');
    await p.getByTestId('batch-disburse').click();
    await p.getByTestId('batch-confirm').waitFor();
    await noViolations(p, 'the batch awaiting confirmation');
    await p.getByTestId('batch-confirm').click();
    await p.getByTestId('batch-paid').nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await p.getByTestId('batch-refused').count(), 0);
    await noViolations(p, 'the batch’s results');
    for (const id of batch) {
      const v = await ledgerCase(id);
      assert.equal(v.case.state, 'disbursed');
      assert.equal(v.case.payments.at(-1)?.reference, `${REFERENCE} ${caseReference(id)}`);
    }
    // The batch just paid is chosen for the bank already.
    // (handed over once the queue's reads have been refreshed, a moment after the results show)
    await p
      .getByTestId('export-summary')
      .getByText(/^2 in the batch/)
      .waitFor({ timeout: 30_000 });
    await shot(p, 'staff-finance.png');

    // A bad amount is refused before anything is signed, in words.
    await p.getByTestId('donation-amount').fill('12.345');
    await p.getByTestId('donation-submit').click();
    await p.getByText('Type an amount above zero, such as 1200.50.').waitFor();
    assert.deepEqual(finance.errors, []);
  });

  it(
    'says plainly when the node has no bank details, then downloads the batch as CSV and pain.001',
    { timeout: 120_000 },
    async () => {
      const p = finance.page;
      await p.getByTestId('export-csv').click();
      const problem = p.getByTestId('export-problem');
      await problem.waitFor();
      assert.match(await problem.innerText(), /This node has no bank details/);
      await noViolations(p, 'the bank export without bank details');

      writeFileSync(join(web.node.dir, 'banking.json'), JSON.stringify(DEMO_BANKING));
      const views = await Promise.all(batch.map(ledgerCase));
      const currency = 'CNY' as Currency;
      const major = (v: CaseView) => majorUnits(toAmount(BigInt(v.case.amount!)), currency);

      // CSV: a byte order mark, the documented columns, and the reference escaped.
      const csvDownload = p.waitForEvent('download');
      await p.getByTestId('export-csv').click();
      const csvFile = await csvDownload;
      assert.match(csvFile.suggestedFilename(), /\.csv$/);
      const csvBytes = readFileSync((await csvFile.path())!);
      assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
      const table = parseCsv(csvBytes, { bom: true }) as string[][];
      assert.deepEqual(table[0], [...CSV_COLUMNS]);
      assert.equal(table.length, 3);
      const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
      for (const v of views) {
        const row = table.find((r) => r[col('case_id')] === v.case.id);
        assert.ok(row, `a row for ${v.case.id}`);
        assert.equal(row[col('case_reference')], caseReference(v.case.id));
        assert.equal(row[col('disbursement_tx')], v.case.payments.at(-1)!.tx);
        assert.equal(row[col('amount')], major(v));
        assert.equal(row[col('currency')], 'CNY');
        assert.equal(row[col('payee_org')], v.case.hospital);
        // Begins with "=": quoted with "'" so that a spreadsheet shows it and never runs it.
        assert.equal(row[col('payment_reference')], `'${REFERENCE} ${caseReference(v.case.id)}`);
      }
      await p.getByTestId('export-saved').waitFor();

      // pain.001.001.09: namespace, counts, control sum, and every amount and reference.
      const xmlDownload = p.waitForEvent('download');
      await p.getByTestId('export-pain001').click();
      const xmlFile = await xmlDownload;
      assert.match(xmlFile.suggestedFilename(), /\.xml$/);
      const xml = readFileSync((await xmlFile.path())!, 'utf8');
      const doc = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        parseTagValue: false,
        isArray: (name) => name === 'CdtTrfTxInf',
      }).parse(xml) as {
        Document: {
          '@_xmlns': string;
          CstmrCdtTrfInitn: {
            GrpHdr: { NbOfTxs: string; CtrlSum: string };
            PmtInf: {
              NbOfTxs: string;
              CtrlSum: string;
              CdtTrfTxInf: {
                PmtId: { InstrId: string; EndToEndId: string };
                Amt: { InstdAmt: { '@_Ccy': string; '#text': string } };
                RmtInf: { Ustrd: string };
              }[];
            };
          };
        };
      };
      assert.equal(doc.Document['@_xmlns'], 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
      const msg = doc.Document.CstmrCdtTrfInitn;
      const sum = majorUnits(
        toAmount(views.reduce((a, v) => a + BigInt(v.case.amount!), 0n)),
        currency,
      );
      assert.equal(msg.GrpHdr.NbOfTxs, '2');
      assert.equal(msg.GrpHdr.CtrlSum, sum);
      assert.equal(msg.PmtInf.NbOfTxs, '2');
      assert.equal(msg.PmtInf.CtrlSum, sum);
      assert.equal(msg.PmtInf.CdtTrfTxInf.length, 2);
      for (const v of views) {
        const ref = caseReference(v.case.id);
        const tx = msg.PmtInf.CdtTrfTxInf.find((x) => x.PmtId.InstrId === ref);
        assert.ok(tx, `a credit transfer for ${ref}`);
        assert.equal(tx.PmtId.EndToEndId, v.case.payments.at(-1)!.tx.slice(0, 35));
        assert.equal(tx.Amt.InstdAmt['#text'], major(v));
        assert.equal(tx.Amt.InstdAmt['@_Ccy'], 'CNY');
        assert.equal(tx.RmtInf.Ustrd, `${ref} ${REFERENCE} ${ref}`);
      }

      // One case paid singly, from its own page.
      const single = p
        .locator('[data-testid="finance-row"]:has([data-testid="finance-choose"])')
        .first();
      const singleId = (await single.getAttribute('data-case'))!;
      await single.getByRole('link').click();
      await p.getByTestId('disburse-reference').fill('TRF-2026-0099');
      await p.getByTestId('disburse-one').click();
      await p.getByTestId('disburse-done').waitFor({ timeout: 20_000 });
      const paid = await ledgerCase(singleId);
      assert.equal(paid.case.state, 'disbursed');
      assert.equal(
        paid.case.payments.at(-1)?.reference,
        `TRF-2026-0099 ${caseReference(singleId)}`,
      );
      await noViolations(p, 'a case paid singly');
      assert.deepEqual(onlyStatus(finance.errors, 503), []);
      assert.ok(finance.errors.some((e) => /status of 503\b/.test(e)));
      finance.errors.length = 0;
    },
  );

  it(
    'a regulator finds a case by its reference, freezes it with a reason and lifts the freeze',
    { timeout: 180_000 },
    async () => {
      regulator = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(regulator, web.node.url, writeKeyFile(files, REGULATOR), PASS);
      const p = regulator.page;
      // Every case across organisations: the queue watches every state.
      await p.waitForURL(/\/staff\/queue$/);
      await p.getByTestId('queue-table').waitFor();
      await p.getByTestId('queue-hospital').selectOption('general-hospital');
      await p.getByTestId('queue-table').waitFor();

      // A funded case of the city program, found by its reference as a person would type it.
      const token = await signIn(web.node.client, web.node.chain, seedOf(FINANCE));
      const funded = await listCases(web.node.client, token, { state: 'funded', limit: 50 });
      const target = funded.cases.find((c) => !batch.includes(c.id))!;
      const reference = caseReference(target.id);
      await p.getByTestId('queue-hospital').selectOption('');
      await p.getByTestId('queue-search').fill(reference.toLowerCase());
      await p.getByRole('button', { name: 'Find' }).click();
      await until(
        async () => (await p.getByTestId('queue-row').count()) === 1,
        'the one case with that reference',
      );
      await p.getByTestId('queue-row').getByRole('link').click();
      await p.getByTestId('case-summary').getByText(target.id).waitFor();

      // Freeze with a coded reason and a private note.
      await p.getByTestId('freeze-status').getByText('This case is not frozen.').waitFor();
      await p.getByTestId('freeze-reason').selectOption('records-under-audit');
      await p.getByTestId('freeze-note').fill('Invoice numbers repeat across two hospitals.');
      await p.getByTestId('freeze-submit').click();
      await p.getByTestId('freeze-done').waitFor({ timeout: 20_000 });
      await p
        .getByTestId('freeze-status')
        .getByText(/Frozen by audit-office\/auditor-1/)
        .waitFor();
      const frozen = await ledgerCase(target.id);
      assert.equal(frozen.frozen?.reason, 'records-under-audit');
      assert.equal(frozen.frozen?.org, 'audit-office');
      await noViolations(p, 'a frozen case');
      await shot(p, 'staff-regulator-case.png');

      // Lift it, with a reason of the published list.
      await p.getByTestId('freeze-reason').selectOption('no-finding');
      await p.getByTestId('unfreeze-submit').click();
      await p.getByTestId('freeze-status').getByText('This case is not frozen.').waitFor({
        timeout: 20_000,
      });
      assert.equal((await ledgerCase(target.id)).frozen, undefined);

      // The audit trail, read from the log: the freeze and its lifting are in it, with signer.
      await p.getByTestId('trail-start').click();
      await p.getByTestId('trail-count').waitFor({ timeout: 60_000 });
      const types = await p
        .getByTestId('trail-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
      for (const t of ['cases.submit', 'cases.verify', 'audit.freeze', 'audit.unfreeze'])
        assert.ok(types.includes(t), `${t} in the trail (${types.join(', ')})`);
      const freezeRow = p.locator('[data-testid="trail-row"][data-type="audit.freeze"]');
      assert.match(await freezeRow.innerText(), /audit-office\/auditor-1/);
      assert.match(await freezeRow.innerText(), /Accepted/);
      const txHref = await freezeRow.getByRole('link').getAttribute('href');
      assert.match(txHref ?? '', /^\/explorer\/tx\/[0-9a-f]{64}$/);
      assert.equal(txHref, `/explorer/tx/${frozen.frozen?.tx}`);
      await noViolations(p, 'a case’s audit trail');
      assert.deepEqual(regulator.errors, []);
    },
  );

  it(
    'lists the demo’s duplicate claims among the refused transactions, each leading to its case',
    { timeout: 120_000 },
    async () => {
      const p = regulator.page;
      await p.getByRole('link', { name: 'Refused transactions' }).click();
      await p.getByTestId('refusals-table').waitFor();
      await p.getByTestId('refusals-code').selectOption('DUPLICATE_CLAIM');
      const rows = p.getByTestId('refusal-row');
      const others = p.locator('[data-testid="refusal-row"]:not([data-code="DUPLICATE_CLAIM"])');
      await until(
        async () => (await rows.count()) > 0 && (await others.count()) === 0,
        'only duplicate claims listed',
      );
      const token = await signIn(web.node.client, web.node.chain, seedOf(REGULATOR));
      const listed = await web.node.client.get<{ refusals: { index: number }[] }>(
        '/v1/refusals?code=DUPLICATE_CLAIM&limit=25',
        token,
      );
      assert.ok(listed.refusals.length > 0, 'the demo makes duplicate claims');
      assert.equal(await p.getByTestId('refusal-row').count(), listed.refusals.length);
      await shot(p, 'staff-refusals.png');
      const caseLink = p.getByTestId('refusal-case').first();
      await caseLink.waitFor();
      await caseLink.click();
      await p.getByTestId('case-history').waitFor();
      assert.match(p.url(), /\/staff\/cases\/[0-9a-f]{64}$/);
      assert.deepEqual(regulator.errors, []);
    },
  );

  it(
    'verifies the whole ledger in the browser, with its progress shown',
    { timeout: 300_000 },
    async () => {
      const p = regulator.page;
      await p.getByRole('link', { name: 'Verify the ledger' }).click();
      // The policy the checkpoint is checked under, named by its fingerprint.
      const fp = toHex(sha256(utf8(canonicalJson(await web.node.client.policy()))));
      assert.match(await p.getByTestId('verify-policy').innerText(), new RegExp(fp.slice(0, 16)));
      await p.getByTestId('verify-start').click();
      // Every value the bar and its words take, as the page shows them.
      await p.evaluate(`(() => {
      window.__seen = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="verify-progress-bar"]');
        const text = document.querySelector('[data-testid="verify-progress-text"]');
        if (bar) window.__seen.push([Number(bar.getAttribute('aria-valuenow')), text ? text.textContent : '']);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
      await p.getByTestId('verify-start').click();
      await p.getByTestId('verify-passed').waitFor({ timeout: 240_000 });
      const health = await web.node.client.health();
      const passed = await p.getByTestId('verify-passed').innerText();
      assert.match(passed, /The ledger verifies/);
      assert.match(passed, new RegExp(`${health.size.toLocaleString('en-US')} log entries`));
      const seen = (await p.evaluate('window.__seen')) as [number, string][];
      assert.ok(
        seen.some(([v, text]) => v > 0 && v <= 100 && /of [\d,]+ log entries read/.test(text)),
        `progress shown (${JSON.stringify(seen.slice(0, 5))})`,
      );
      await shot(p, 'staff-verify.png');

      // Cancelling stops the worker and says so.
      await p.getByTestId('verify-start').click();
      await p.getByTestId('verify-progress-cancel').click();
      await p.getByTestId('verify-cancelled').waitFor();
      assert.deepEqual(regulator.errors, []);
    },
  );

  it(
    'has no axe violation on the finance and oversight pages, in three languages, at 360 px and desktop',
    { timeout: 600_000 },
    async () => {
      for (const viewport of [DESKTOP, PHONE]) {
        const fin = await openPage(web.browser, { viewport });
        await importAndSignIn(fin, web.node.url, writeKeyFile(files, FINANCE), PASS);
        const reg = await openPage(web.browser, { viewport });
        await importAndSignIn(reg, web.node.url, writeKeyFile(files, REGULATOR), PASS);
        // On the phone, this browser saw another policy first: the page must say so.
        if (viewport === PHONE)
          await reg.page.evaluate(
            `localStorage.setItem('aidledger.policy.' + location.origin, JSON.stringify({ fingerprint: '${'0'.repeat(64)}', since: 0 }))`,
          );
        const token = await signIn(web.node.client, web.node.chain, seedOf(FINANCE));
        const funded = await listCases(web.node.client, token, { state: 'funded', limit: 1 });
        const caseId = funded.cases[0]!.id;

        // On a case's page, the words checked are those of this workspace's panels.
        const panels =
          'section[aria-labelledby="disburse-title"], section[aria-labelledby="freeze-title"], section[aria-labelledby="trail-title"]';
        const checks: [OpenPage, string, string, string][] = [
          [fin, '/staff/finance', 'finance-queue', 'body'],
          [fin, `/staff/cases/${caseId}`, 'disburse-one', panels],
          [reg, '/staff/queue', 'queue-table', 'body'],
          [reg, '/staff/refusals', 'refusals-table', 'body'],
          [reg, '/staff/ledger', 'verify-start', 'body'],
          [reg, `/staff/cases/${caseId}`, 'freeze-status', panels],
        ];
        for (const [o, path, ready, scope] of checks) {
          await moveTo(o.page, path);
          await o.page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
          if (path === '/staff/ledger' && viewport === PHONE)
            await o.page.getByTestId('verify-policy-changed').waitFor();
          await noViolationsInEveryLanguage(o.page, `${path} at ${viewport.width} px`, scope);
        }
        // The trail and a finished verification, in every language too.
        await reg.page.getByTestId('trail-start').click();
        await reg.page.getByTestId('trail-count').waitFor({ timeout: 60_000 });
        await noViolationsInEveryLanguage(
          reg.page,
          `the audit trail at ${viewport.width} px`,
          panels,
        );
        // A finished verification.
        await moveTo(reg.page, '/staff/ledger');
        await reg.page.getByTestId('verify-start').click();
        await reg.page.getByTestId('verify-passed').waitFor({ timeout: 240_000 });
        await noViolationsInEveryLanguage(reg.page, `a verified ledger at ${viewport.width} px`);
        for (const o of [fin, reg]) {
          assert.deepEqual(o.errors, [], `console at ${viewport.width} px`);
          await o.context.close();
        }
      }
    },
  );
});
