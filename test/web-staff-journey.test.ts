/**
 * One case from application to closed, done entirely through the screens by staff of three
 * organisations, each in a browser of their own, against a real node holding the whole demo:
 * the general hospital's social worker applies for a patient who has no phone in the city
 * program (whose income rule the bureau must attest), verifies it with the lines of a FHIR R4
 * Claim and ClaimResponse and attaches a PDF and a PNG; the city bureau's clerk attests the
 * patient's income from a CSV file; the program's manager assesses it (above the two-reviewer
 * amount); a reviewer reads both documents (each read recorded) and approves; a reviewer the
 * bureau's administrator has just invited answers the link in another browser, is enrolled and
 * confirms at once; finance pays the case in a batch with another funded case and downloads the
 * CSV and the pain.001, both checked against the ledger; the hospital moves the case to the
 * family's new phone, confirms the payment and closes the case with its outcome; the family's
 * case page lists who read their documents; the administrator revokes the new reviewer, whose
 * open tab locks and whose sign-in is refused. No console error anywhere but the browser's own
 * log of the refusal the last step expects.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import {
  caseDocuments,
  caseReference,
  getCase,
  signIn,
  STATE_LABELS,
  type CaseView,
} from '../src/sdk/index.js';
import { majorUnits, toAmount, type Currency } from '../src/core/money.js';
import { CSV_COLUMNS } from '../src/domains/aid/payments-export.js';
import { CITY_PROGRAM, cnIdNumber } from '../src/domains/aid/demo.js';
import { seedOf } from './helpers.js';
import { DEMO_BANKING } from './banking-fixture.js';
import { DESKTOP, openPage, PHONE, webSuite, type OpenPage } from './web-fixture.js';
import {
  docScreenshot,
  importAndSignIn,
  keyFiles,
  moveTo,
  noViolations,
  until,
  waitForCount,
} from './web-staff-helpers.js';

const PASS = 'lantern harbour quiet 58';
const NEW_PASS = 'meadow copper signal 31';
const FAMILY_PASS = 'river kite morning 24';
const SOCIAL_WORKER = 'general-hospital/social-worker-1';
const CLERK = 'general-hospital/clerk-2';
const BUREAU_CLERK = 'city-bureau/clerk-1';
const MANAGER = 'city-bureau/manager-1';
const REVIEWER = 'city-bureau/reviewer-1';
/** The demo rotated reviewer-1's key: its current key derives from this label. */
const REVIEWER_KEY = 'city-bureau/reviewer-1#3';
const ADMIN = 'city-bureau/admin';
const FINANCE = 'city-bureau/finance-1';
const REGULATOR = 'audit-office/auditor-1';
/** Every step of the journey, as the case's trail in the log names it. */
const TRAIL = [
  'cases.submit',
  'cases.verify',
  'documents.attach',
  'documents.read',
  'cases.assess',
  'cases.review',
  'cases.disburse',
  'cases.recover',
  'cases.confirm',
  'cases.close',
];
const NEW_REVIEWER = 'reviewer-journey';
const PATIENT = cnIdNumber('310106', 1980, 5, 6, 911);
const FHIR = join(process.cwd(), 'test', 'vectors', 'fhir');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const BATCH_REFERENCE = 'JOURNEY-2026-01';
const PAIN001 = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Pain001 {
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
}

describe('one case from application to closed, through the screens of three organisations', () => {
  const web = webSuite();
  const keys = keyFiles();
  let files = '';
  /** The case the journey follows. */
  let caseId = '';
  /** The other funded case paid in the same batch. */
  let other = '';
  /** Browsers kept open across steps: the administrator and the invited reviewer. */
  let admin: OpenPage | undefined;
  let invited: OpenPage | undefined;
  /** The family's phone, and the account key it made. */
  let family: OpenPage | undefined;
  let familyKey = '';

  before(() => {
    files = mkdtempSync(join(tmpdir(), 'aidledger-web-journey-'));
    writeFileSync(join(web.node.dir, 'banking.json'), JSON.stringify(DEMO_BANKING));
  });
  after(async () => {
    for (const p of [admin, invited, family]) await p?.context.close().catch(() => undefined);
    keys.remove();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  /** Reads the case through the API as `member`. */
  async function ledgerCase(id: string, member = FINANCE): Promise<CaseView> {
    const token = await signIn(web.node.client, web.node.chain, seedOf(member));
    return getCase(web.node.client, token, id);
  }

  async function signInAs(member: string, label = member, viewport = DESKTOP) {
    const p = await openPage(web.browser, { viewport });
    await importAndSignIn(p, web.node.url, keys.file(member, label), PASS);
    return p;
  }

  /** Opens a case from the member's work queue by the first digits of its number. */
  async function openCase(page: Page, id: string) {
    await moveTo(page, '/staff/queue');
    await page.getByTestId('queue-search').fill(id.slice(0, 12));
    await page.getByTestId('queue-search').press('Enter');
    await waitForCount(page.getByTestId('queue-row'), 1, 30_000);
    await page.getByTestId('queue-row').getByText(id.slice(0, 10), { exact: true }).click();
    await page.getByTestId('case-history').waitFor();
    await page.getByTestId('case-summary').getByText(id).waitFor();
  }

  async function stateIs(page: Page, state: string) {
    await page
      .getByTestId('case-summary')
      .getByText(cap(STATE_LABELS[state]!.en))
      .waitFor({ timeout: 30_000 });
  }

  it(
    'the social worker applies for a patient without a phone, verifies from a FHIR claim and attaches a PDF and a PNG',
    { timeout: 300_000 },
    async () => {
      const sw = await signInAs(SOCIAL_WORKER);
      const page = sw.page;
      await page.getByRole('link', { name: 'Apply for a patient' }).click();
      await page.getByRole('heading', { level: 1, name: 'Apply for a patient' }).waitFor();
      await page.getByTestId('apply-program').selectOption(CITY_PROGRAM);
      await page.getByTestId('apply-patient-number').waitFor();
      await page.getByTestId('apply-patient-number').fill(PATIENT);
      await page.getByTestId('apply-name').fill('陈建国');
      // The income rule asks what the family declares: the household's income and its size.
      await page.getByTestId('apply-householdIncome').fill('38400');
      await page.getByTestId('apply-householdSize').fill('4');
      await page.getByTestId('apply-submit').click();
      await page.getByTestId('apply-done').waitFor({ timeout: 30_000 });
      const href = await page.getByTestId('apply-case-link').getAttribute('href');
      caseId = /\/staff\/cases\/([0-9a-f]{64})$/.exec(href ?? '')?.[1] ?? '';
      assert.ok(caseId, 'the new case is linked');
      const submitted = (await ledgerCase(caseId, SOCIAL_WORKER)).case;
      assert.equal(submitted.state, 'submitted');
      assert.equal(submitted.program, CITY_PROGRAM);
      // No phone, no account: the hospital's member stands as the applicant.
      assert.deepEqual(submitted.applicant, { kind: 'member', member: SOCIAL_WORKER });

      // Verified with the invoice lines of a FHIR Claim, its ClaimResponse and a pasted row.
      await page.getByTestId('apply-case-link').click();
      await page.getByTestId('verify-form').waitFor();
      await page.getByTestId('verify-patient-number').fill(PATIENT);
      await page.getByTestId('verify-diagnoses').fill('C34.1');
      let chooser = page.waitForEvent('filechooser');
      await page.getByTestId('fhir-claim').click();
      await (await chooser).setFiles(join(FHIR, 'claim-cny.json'));
      await page
        .getByTestId('lines-imported')
        .getByText('3 lines of invoice CH26-900117')
        .waitFor();
      chooser = page.waitForEvent('filechooser');
      await page.getByTestId('fhir-response').click();
      await (await chooser).setFiles(join(FHIR, 'claimresponse-cny.json'));
      await page.getByTestId('lines-imported').getByText('with the insurer’s share').waitFor();
      // An operation billed apart, so that the aid asked is above the two-reviewer amount.
      await page
        .getByTestId('lines-paste')
        .fill('Invoice\tLine\tAmount\tInsurer\tItem\nGH-E2E-7\t1\t50000.00\t0.00\t手术费\n');
      await page.getByTestId('lines-paste-add').click();
      await waitForCount(page.getByTestId('line-row'), 4);
      await page.getByTestId('verify-submit').click();
      await stateIs(page, 'verified');
      const verified = (await ledgerCase(caseId, SOCIAL_WORKER)).case;
      assert.equal(verified.state, 'verified');
      // Net of insurance, in minor units exactly: 8000 + 3000.25 + 1234.56 + 50000 yuan.
      assert.equal(
        verified.lines.reduce((a, l) => a + BigInt(l.net), 0n),
        800000n + 300025n + 123456n + 5000000n,
      );

      // The two documents the program asks for: the invoice (PDF) and the income paper (PNG).
      const attach = async (kind: string, name: string, mimeType: string, buffer: Buffer) => {
        await page.getByTestId('attach-kind').selectOption(kind);
        const c = page.waitForEvent('filechooser');
        await page.getByTestId('attach-file').click();
        await (await c).setFiles({ name, mimeType, buffer });
        await page.getByTestId('attach-file-name').getByText(name).waitFor();
        await page.getByTestId('attach-submit').click();
      };
      await attach('invoice', 'invoice.pdf', 'application/pdf', PDF);
      await waitForCount(page.getByTestId('document-row'), 1, 30_000);
      await attach('income-certificate', 'income.png', 'image/png', PNG);
      await waitForCount(page.getByTestId('document-row'), 2, 30_000);
      const docs = await caseDocuments(
        web.node.client,
        await signIn(web.node.client, web.node.chain, seedOf(SOCIAL_WORKER)),
        caseId,
      );
      assert.deepEqual(
        docs.documents.map((d) => [d.kind, d.format]),
        [
          ['invoice', 'pdf'],
          ['income-certificate', 'png'],
        ],
      );
      assert.equal(docs.reads?.length, 0, 'nobody has read them yet');
      await noViolations(page, 'the verified case with its documents');
      assert.deepEqual(sw.errors, []);
      await sw.context.close();
    },
  );

  it(
    'the bureau clerk attests the income from a CSV; the program manager assesses',
    { timeout: 300_000 },
    async () => {
      assert.ok(caseId, 'the first step made the case');
      const bc = await signInAs(BUREAU_CLERK);
      const page = bc.page;
      await page.waitForURL(/\/staff\/attest$/);
      const csv =
        'id_kind,id_number,householdIncomePerCapita,householdSize,lowIncome\n' +
        `cn,${PATIENT},"9,600",4,yes\n`;
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('bulk-file').click();
      await (
        await chooser
      ).setFiles({ name: 'incomes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const result = page.getByTestId('bulk-row-2').getByTestId('bulk-result');
      await result.locator('[data-result="ready"]').waitFor();
      await page.getByTestId('bulk-sign').click();
      await page.getByTestId('bulk-signed').waitFor({ timeout: 60_000 });
      assert.match(await page.getByTestId('bulk-signed').innerText(), /1 recorded, 0 refused/);
      assert.equal(await result.locator('[data-result]').getAttribute('data-result'), 'recorded');
      assert.deepEqual(bc.errors, []);
      await bc.context.close();

      const m = await signInAs(MANAGER);
      await openCase(m.page, caseId);
      await m.page.getByTestId('assess-panel').waitFor();
      await m.page.getByTestId('assess-submit').click();
      await m.page
        .getByTestId('review-policy')
        .getByText(/Two reviewers must approve/)
        .waitFor({ timeout: 30_000 });
      const assessed = await ledgerCase(caseId, MANAGER);
      assert.equal(assessed.case.state, 'assessed');
      assert.equal(assessed.case.reviewsNeeded, 2);
      assert.deepEqual(m.errors, []);
      await m.context.close();
    },
  );

  it(
    'a reviewer reads both documents and approves; a reviewer invited just now enrols from another browser and confirms',
    { timeout: 300_000 },
    async () => {
      assert.ok(caseId, 'the first step made the case');
      const r1 = await signInAs(REVIEWER, REVIEWER_KEY);
      const p = r1.page;
      await openCase(p, caseId);
      await p.getByTestId('review-panel').waitFor();
      assert.match(await p.getByTestId('review-position').innerText(), /first approval/);
      const docs = p.getByTestId('case-document');
      await waitForCount(docs, 2);
      for (let i = 0; i < 2; i++) {
        await docs.nth(i).getByTestId('open-document').click();
        await docs.nth(i).getByTestId('document-link').waitFor({ timeout: 30_000 });
      }
      await p.getByTestId('document-image').waitFor();
      await waitForCount(p.getByTestId('document-reader'), 2, 30_000);
      // The rules in words: the income the bureau attested is the one they read.
      const rules = await p.getByTestId('case-rules').innerText();
      assert.match(rules, /Met: household income per person at most/);
      assert.match(rules, /attested by/);
      await p.getByTestId('review-reason').selectOption('criteria-met');
      await p.getByTestId('review-submit').click();
      await p.getByTestId('review-done').waitFor({ timeout: 30_000 });
      await p.getByTestId('review-blocked').getByText('ALREADY_REVIEWED').waitFor();
      assert.deepEqual(r1.errors, []);
      await r1.context.close();

      // The bureau's administrator invites a reviewer, who answers on a phone of their own.
      admin = await signInAs(ADMIN);
      const a = admin.page;
      await a.waitForURL(/\/staff\/admin$/);
      await a.getByTestId('invite-name').fill(NEW_REVIEWER);
      await a.getByTestId('invite-roles-reviewer').check();
      await a.getByTestId('invite-submit').click();
      await a.getByTestId('invite-made').waitFor({ timeout: 30_000 });
      const link = await a.getByTestId('invite-link').inputValue();
      invited = await openPage(web.browser, { viewport: PHONE });
      const r = invited.page;
      await r.goto(link);
      await r.getByTestId('offer').waitFor();
      assert.match(
        await r.getByTestId('offer').innerText(),
        new RegExp(`city-bureau/${NEW_REVIEWER}`),
      );
      await r.getByTestId('join-passphrase').fill(NEW_PASS);
      await r.getByTestId('join-confirm').fill(NEW_PASS);
      await r.getByTestId('join-submit').click();
      await r.getByTestId('join-sent').waitFor({ timeout: 30_000 });
      const fingerprint = await r.getByTestId('join-fingerprint').innerText();
      // The administrator compares the fingerprint and signs the enrolment.
      await a.getByTestId('refresh-requests').click();
      const request = a.getByTestId(`request-${NEW_REVIEWER}`);
      await request.waitFor({ timeout: 30_000 });
      assert.equal(await request.getByTestId('request-fingerprint').innerText(), fingerprint);
      await request.getByTestId('sign-enrolment').click();
      await a
        .getByTestId(`invitation-${NEW_REVIEWER}`)
        .getByTestId('invitation-status')
        .getByText('Enrolled')
        .waitFor({ timeout: 30_000 });

      // The new reviewer's page signs in by itself; they confirm the case at once.
      await r.waitForURL(/\/staff\/queue$/, { timeout: 60_000 });
      assert.match(
        await r.getByTestId('signed-in-as').innerText(),
        new RegExp(`city-bureau/${NEW_REVIEWER}`),
      );
      await openCase(r, caseId);
      assert.match(await r.getByTestId('review-position').innerText(), /second approval/);
      await r.getByTestId('review-reason').selectOption('documents-verified');
      await r.getByTestId('review-submit').click();
      await r.getByTestId('review-panel').waitFor({ state: 'detached', timeout: 30_000 });
      await stateIs(r, 'funded');
      const approved = await ledgerCase(caseId, MANAGER);
      assert.equal(approved.case.state, 'funded');
      assert.deepEqual(
        approved.case.reviews.map((x) => x.member),
        [REVIEWER, `city-bureau/${NEW_REVIEWER}`],
      );
      assert.deepEqual(invited.errors, []);
      assert.deepEqual(admin.errors, []);
    },
  );

  it(
    'finance pays the case in a batch with another and downloads the CSV and the pain.001, checked against the ledger',
    { timeout: 300_000 },
    async () => {
      assert.ok(caseId, 'the first step made the case');
      const fin = await signInAs(FINANCE);
      const p = fin.page;
      await p.getByRole('link', { name: 'Money and payments' }).click();
      await p.getByTestId('finance-program').selectOption(CITY_PROGRAM);
      const payable = p.locator('[data-testid="finance-row"]:has([data-testid="finance-choose"])');
      const ours = p.locator(`[data-testid="finance-row"][data-case="${caseId}"]`);
      await ours.getByTestId('finance-choose').waitFor({ timeout: 30_000 });
      await until(async () => (await payable.count()) >= 2, 'another funded case to pay');
      for (let i = 0; other === ''; i++) {
        const id = (await payable.nth(i).getAttribute('data-case'))!;
        if (id !== caseId) other = id;
      }
      await ours.getByTestId('finance-choose').check();
      await p
        .locator(`[data-testid="finance-row"][data-case="${other}"]`)
        .getByTestId('finance-choose')
        .check();
      assert.match(await p.getByTestId('batch-summary').innerText(), /^2 chosen: /);
      await p.getByTestId('batch-reference').fill(BATCH_REFERENCE);
      await p.getByTestId('batch-disburse').click();
      await p.getByTestId('batch-confirm').click();
      await waitForCount(p.getByTestId('batch-paid'), 2, 60_000);
      assert.equal(await p.getByTestId('batch-refused').count(), 0);
      const views = await Promise.all([caseId, other].map((id) => ledgerCase(id)));
      for (const v of views) {
        assert.equal(v.case.state, 'disbursed');
        assert.equal(
          v.case.payments.at(-1)?.reference,
          `${BATCH_REFERENCE} ${caseReference(v.case.id)}`,
        );
      }
      // The batch is chosen for the bank once the queue's reads are refreshed, after the results.
      await p
        .getByTestId('export-summary')
        .getByText(/^2 in the batch/)
        .waitFor({ timeout: 30_000 });
      await noViolations(p, 'the batch paid');
      await docScreenshot(p, 'staff-journey-batch');

      const currency = 'CNY' as Currency;
      const major = (v: CaseView) => majorUnits(toAmount(BigInt(v.case.amount!)), currency);
      // The CSV: one row per case, each with its amount, payee and reference from the ledger.
      const csvDownload = p.waitForEvent('download');
      await p.getByTestId('export-csv').click();
      const csvBytes = readFileSync((await (await csvDownload).path())!);
      const table = parseCsv(csvBytes, { bom: true }) as string[][];
      assert.deepEqual(table[0], [...CSV_COLUMNS]);
      assert.equal(table.length, 3);
      const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
      for (const v of views) {
        const row = table.find((x) => x[col('case_id')] === v.case.id);
        assert.ok(row, `a row for ${v.case.id}`);
        assert.equal(row[col('case_reference')], caseReference(v.case.id));
        assert.equal(row[col('disbursement_tx')], v.case.payments.at(-1)!.tx);
        assert.equal(row[col('amount')], major(v));
        assert.equal(row[col('currency')], 'CNY');
        assert.equal(row[col('payee_org')], v.case.hospital);
        assert.equal(row[col('payment_reference')], v.case.payments.at(-1)!.reference);
      }

      // The pain.001.001.09, parsed back: namespace, counts, control sum, amounts, references.
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
      }).parse(xml) as Pain001;
      assert.equal(doc.Document['@_xmlns'], PAIN001);
      const msg = doc.Document.CstmrCdtTrfInitn;
      const sum = majorUnits(
        toAmount(views.reduce((s, v) => s + BigInt(v.case.amount!), 0n)),
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
        assert.equal(tx.RmtInf.Ustrd, `${ref} ${v.case.payments.at(-1)!.reference}`);
      }
      assert.deepEqual(fin.errors, []);
      await fin.context.close();
    },
  );

  it(
    'the hospital moves the case to the family’s new phone, confirms the payment and closes it; the family sees who read their documents',
    { timeout: 300_000 },
    async () => {
      assert.ok(caseId, 'the first step made the case');
      // The family makes an account on a phone and shows its key to the hospital.
      family = await openPage(web.browser, { viewport: PHONE });
      const f = family.page;
      await f.goto(`${web.node.url}/me`);
      await f.getByTestId('new-passphrase').fill(FAMILY_PASS);
      await f.getByTestId('new-passphrase-again').fill(FAMILY_PASS);
      await f.getByRole('main').getByRole('button', { name: 'Create my account' }).click();
      await f.getByTestId('new-passphrase').waitFor({ state: 'detached', timeout: 60_000 });
      await f.goto(`${web.node.url}/me/new-phone`);
      familyKey = (await f.getByTestId('new-phone-key').textContent())!.trim();
      assert.match(familyKey, /^[0-9a-f]{64}$/);
      const check = (await f.getByTestId('new-phone-check').innerText()).trim();

      const cl = await signInAs(CLERK);
      const page = cl.page;
      await openCase(page, caseId);
      await stateIs(page, 'disbursed');
      // The clerk types the key the phone shows, compares the check text, and moves the case.
      await page.getByTestId('recover-key').fill(familyKey);
      await page.getByTestId('recover-check').getByText(check).waitFor();
      await page.getByTestId('recover-checked').check();
      await page.getByTestId('recover-submit').click();
      await page
        .getByTestId('hospital-done')
        .getByText('The case now belongs to the new account')
        .waitFor({ timeout: 30_000 });
      assert.deepEqual((await ledgerCase(caseId, CLERK)).case.applicant, {
        kind: 'account',
        key: familyKey,
      });

      // The payment arrived: confirmed, then closed with the treatment's outcome.
      await page.getByTestId('confirm-submit').click();
      await page.getByTestId('close-form').waitFor({ timeout: 30_000 });
      await page.getByTestId('close-outcome').selectOption('treatment-completed');
      await page.getByTestId('close-submit').click();
      await page.getByTestId('case-closed').waitFor({ timeout: 30_000 });
      await noViolations(page, 'the closed case');
      await docScreenshot(page, 'staff-journey-closed');
      const closed = (await ledgerCase(caseId, CLERK)).case;
      assert.equal(closed.state, 'closed');
      assert.equal(closed.outcome, 'treatment-completed');
      assert.ok(closed.payments.length > 0 && closed.payments.every((x) => x.confirmed));
      assert.deepEqual(cl.errors, []);
      await cl.context.close();

      // On the phone, the family's case: closed, and who read their documents, each time.
      await f.goto(`${web.node.url}/me`);
      await f.getByTestId('unlock-passphrase').fill(FAMILY_PASS);
      await f.getByRole('main').getByRole('button', { name: 'Unlock', exact: true }).click();
      await f.locator(`a[href="/me/cases/${caseId}"]`).first().click({ timeout: 60_000 });
      const reads = f.getByTestId('document-reads');
      await reads.waitFor({ timeout: 30_000 });
      const rows = await reads.locator('tbody tr').allInnerTexts();
      assert.equal(rows.length, 2, rows.join('; '));
      for (const row of rows) assert.match(row, /program reviewer/);
      // Each document by the name the program gives it in the family's language.
      assert.ok(rows.some((row) => row.includes('hospital invoice')));
      assert.ok(rows.some((row) => row.includes('household income certificate')));
      await noViolations(f, 'the family’s closed case with its reads at 360 px');
      const ledgerReads = await caseDocuments(
        web.node.client,
        await signIn(web.node.client, web.node.chain, seedOf(CLERK)),
        caseId,
      );
      assert.deepEqual(
        ledgerReads.reads?.map((x) => x.reader),
        [REVIEWER, REVIEWER],
      );
      assert.deepEqual(family.errors, []);
    },
  );

  it(
    'a regulator of a third organisation reads the closed case’s whole trail from the log',
    { timeout: 180_000 },
    async () => {
      assert.ok(caseId, 'the first step made the case');
      const reg = await signInAs(REGULATOR);
      const p = reg.page;
      await openCase(p, caseId);
      await p.getByTestId('trail-start').click();
      await p.getByTestId('trail-count').waitFor({ timeout: 90_000 });
      const types = await p
        .getByTestId('trail-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
      for (const t of TRAIL)
        assert.ok(types.includes(t), `${t} in the trail (${types.join(', ')})`);
      // Both approvals, each signed by its reviewer.
      const reviews = p.locator('[data-testid="trail-row"][data-type="cases.review"]');
      await waitForCount(reviews, 2);
      const who = (await reviews.allInnerTexts()).join('\n');
      assert.match(who, new RegExp(REVIEWER));
      assert.match(who, new RegExp(`city-bureau/${NEW_REVIEWER}`));
      // The reads of its documents name the document, not the case: they are in the trail too.
      const reads = p.locator('[data-testid="trail-row"][data-type="documents.read"]');
      await waitForCount(reads, 2);
      for (const row of await reads.allInnerTexts()) assert.match(row, new RegExp(REVIEWER));
      assert.deepEqual(reg.errors, []);
      await reg.context.close();
    },
  );

  it(
    'the administrator revokes the invited reviewer: the open tab locks and a new sign-in is refused',
    { timeout: 180_000 },
    async () => {
      assert.ok(admin && invited, 'the reviewer was invited');
      const a = admin.page;
      await moveTo(a, '/staff/admin');
      const row = a.getByTestId(`member-city-bureau/${NEW_REVIEWER}`);
      await row.getByTestId('revoke-member').click();
      await a.getByTestId('confirm-revoke').click();
      await row.getByText('Revoked').waitFor({ timeout: 30_000 });

      const r = invited.page;
      await r.getByTestId('staff-passphrase').waitFor({ timeout: 30_000 });
      assert.equal(await r.getByTestId('signed-in-as').count(), 0);
      await r.getByTestId('staff-passphrase').fill(NEW_PASS);
      await r.getByTestId('staff-unlock').click();
      const refused = r.getByTestId('sign-in-refused');
      await refused.waitFor({ timeout: 30_000 });
      assert.match(await refused.innerText(), /not an active member’s key/);
      assert.equal(await r.getByTestId('signed-in-as').count(), 0);
      // The refused sign-in is the node's 401, which the browser logs itself; nothing else.
      const unauthorised = /status of 401 \(Unauthorized\)/;
      assert.ok(invited.errors.some((e) => unauthorised.test(e)));
      assert.deepEqual(
        invited.errors.filter((e) => !unauthorised.test(e)),
        [],
      );
      assert.deepEqual(admin.errors, []);
    },
  );
});
