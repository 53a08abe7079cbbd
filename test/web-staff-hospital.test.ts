/**
 * The hospital's and the bureau's workspaces in a real browser against a node holding the whole
 * demo: a social worker applies for a patient who has no phone (the open-case check then names
 * that case before a second application is sent), verifies it with the invoice lines of a FHIR R4
 * Claim and ClaimResponse and a row pasted from a spreadsheet, attaches a PDF and a PNG and opens
 * one (the read is on the ledger before the bytes come); a bureau clerk attests one patient and
 * then a CSV whose bad row is shown refused with its code before and after signing; the hospital
 * answers a request for information; a clerk confirms a disbursed case's payment and closes it
 * with its outcome; a family moves its case to a new phone's account. Each of these pages is
 * axe-clean in three languages at 360 px and desktop, with no console error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AidClient,
  buildSubmission,
  caseDocuments,
  getCase,
  listCases,
  publicKeyFromSeed,
  randomSeed,
  STATE_LABELS,
  signIn,
  toHex,
} from '../src/sdk/index.js';
import { cnIdNumber } from '../src/domains/aid/demo.js';
import { seedOf } from './helpers.js';
import { DESKTOP, openPage, PHONE, webSuite, type OpenPage } from './web-fixture.js';
import {
  writeKeyFile,
  docScreenshot,
  importAndSignIn,
  moveTo,
  noViolations,
  noViolationsInEveryLanguage,
  sealedApplicantFile,
} from './web-staff-helpers.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const PASS = 'harbour willow signal 42';
const HOPE = 'children-critical-illness';
const PATIENT = cnIdNumber('310101', 2015, 3, 4, 901);
const OTHER = cnIdNumber('310104', 1970, 6, 1, 902);
const FHIR = join(process.cwd(), 'test', 'vectors', 'fhir');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('hospital and bureau workspaces', () => {
  const web = webSuite();
  let files: string;
  let chain = '';
  const api = () => new AidClient(web.node.url);
  const tokenOf = (member: string) => signIn(api(), chain, seedOf(member));
  const submitAs = (member: string, type: string, payload: object, facts?: object) =>
    api().submit(
      buildSubmission(
        {
          chain,
          type,
          payload: payload as Record<string, unknown>,
          ...(facts ? { facts: facts as Record<string, unknown> } : {}),
        },
        seedOf(member),
      ),
    );

  before(async () => {
    files = mkdtempSync(join(tmpdir(), 'aidledger-web-hospital-'));
    chain = ((await (await fetch(`${web.node.url}/v1/health`)).json()) as { chain: string }).chain;
  });
  after(() => {
    if (files) rmSync(files, { recursive: true, force: true });
  });

  const signInAs = async (member: string, viewport = DESKTOP): Promise<OpenPage> => {
    const p = await openPage(web.browser, { viewport });
    await importAndSignIn(p, web.node.url, writeKeyFile(files, member), PASS);
    return p;
  };

  let caseId = '';

  it(
    'a social worker applies for a patient, verifies with a FHIR claim and attaches two documents',
    { timeout: 300_000 },
    async () => {
      const sw = await signInAs('general-hospital/social-worker-1');
      const page = sw.page;
      await page.getByRole('link', { name: 'Apply for a patient' }).click();
      await page.getByRole('heading', { level: 1, name: 'Apply for a patient' }).waitFor();
      await page.getByTestId('apply-program').selectOption(HOPE);
      await page.getByTestId('apply-patient-number').waitFor();
      // A wrong check character is refused on the page, before anything is signed.
      const wrong = PATIENT.slice(0, 17) + (PATIENT.endsWith('0') ? '1' : '0');
      await page.getByTestId('apply-patient-number').fill(wrong);
      await page.getByTestId('apply-submit').click();
      await page.getByText('This is not a valid number for that document').waitFor();
      await page.getByTestId('apply-patient-number').fill(PATIENT);
      await page.getByTestId('apply-age-from-id').waitFor();
      await page.getByTestId('apply-name').fill('王小明');
      await noViolations(page, 'the application form');
      await page.getByTestId('apply-submit').click();
      await page.getByTestId('apply-done').waitFor({ timeout: 20_000 });
      await docScreenshot(page, 'staff-hospital-apply');
      const href = await page.getByTestId('apply-case-link').getAttribute('href');
      caseId = /\/staff\/cases\/([0-9a-f]{64})$/.exec(href ?? '')?.[1] ?? '';
      assert.ok(caseId, 'the new case is linked');
      const rec = (await getCase(api(), await tokenOf('general-hospital/social-worker-1'), caseId))
        .case;
      assert.equal(rec.state, 'submitted');
      assert.deepEqual(rec.applicant, {
        kind: 'member',
        member: 'general-hospital/social-worker-1',
      });

      // A second application for the same patient is stopped before sending, with a link.
      await page.getByTestId('apply-patient-number').fill(PATIENT);
      await page.getByTestId('apply-submit').click();
      const open = page.getByTestId('apply-open-case');
      await open.waitFor({ timeout: 20_000 });
      assert.equal(await open.getByRole('link').getAttribute('href'), `/staff/cases/${caseId}`);

      // The case page: verify with the FHIR claim, its response and a row from a spreadsheet.
      await page.getByTestId('apply-case-link').click();
      await page.getByTestId('verify-form').waitFor();
      await page.getByTestId('verify-patient-number').fill(PATIENT);
      await page.getByTestId('verify-diagnoses').fill('C91.0');
      await page.getByTestId('verify-age').fill('11');
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
      const cell = (f: string, i: number) => page.getByTestId(`line-${f}-${i}`).inputValue();
      assert.equal(await cell('amount', 0), '20000.00');
      assert.equal(await cell('insurancePaid', 0), '12000.00');
      assert.equal(await cell('amount', 1), '5000.50');
      assert.equal(await cell('insurancePaid', 1), '2000.25');
      assert.equal(await cell('amount', 2), '1234.56');
      assert.equal(await cell('insurancePaid', 2), '0.00');
      await page
        .getByTestId('lines-paste')
        .fill('Invoice\tLine\tAmount\tInsurer\tItem\nGH-PASTE-1\t1\t800.00\t300.00\t检查费\n');
      await page.getByTestId('lines-paste-add').click();
      assert.equal(await page.getByTestId('line-row').count(), 4);
      assert.equal(await cell('invoice', 3), 'GH-PASTE-1');
      await noViolations(page, 'the verification form with its lines');
      await docScreenshot(page, 'staff-hospital-verify');
      await page.getByTestId('verify-submit').click();
      await page
        .getByTestId('case-summary')
        .getByText(cap(STATE_LABELS.verified!.en))
        .waitFor({ timeout: 20_000 });
      // The form has left with the step; the panel says what was done.
      assert.equal(
        await page.getByTestId('hospital-done').innerText(),
        'Verified: the case goes to the program for assessment.',
      );
      const verified = (
        await getCase(api(), await tokenOf('general-hospital/social-worker-1'), caseId)
      ).case;
      assert.equal(verified.state, 'verified');
      // Net of insurance, in minor units exactly: 8000 + 3000.25 + 1234.56 + 500 yuan.
      assert.equal(
        verified.lines.reduce((a, l) => a + BigInt(l.net), 0n),
        800000n + 300025n + 123456n + 50000n,
      );

      // Two documents: a PDF invoice and a PNG diagnosis; a text file is refused on the page.
      const attach = async (kind: string, name: string, mimeType: string, buffer: Buffer) => {
        await page.getByTestId('attach-kind').selectOption(kind);
        const c = page.waitForEvent('filechooser');
        await page.getByTestId('attach-file').click();
        await (await c).setFiles({ name, mimeType, buffer });
      };
      await attach('invoice', 'invoice.pdf', 'application/pdf', PDF);
      await page.getByTestId('attach-submit').click();
      await page.getByTestId('document-row').nth(0).waitFor({ timeout: 20_000 });
      await attach('diagnosis', 'scan.png', 'image/png', PNG);
      await page.getByTestId('attach-submit').click();
      await page.getByTestId('document-row').nth(1).waitFor({ timeout: 20_000 });
      await attach('invoice', 'notes.pdf', 'application/pdf', Buffer.from('just some text'));
      await page.getByTestId('attach-problem').getByText('Only PDF, JPEG or PNG').waitFor();
      const docs = await caseDocuments(
        api(),
        await tokenOf('general-hospital/social-worker-1'),
        caseId,
      );
      assert.deepEqual(
        docs.documents.map((d) => [d.kind, d.format]),
        [
          ['invoice', 'pdf'],
          ['diagnosis', 'png'],
        ],
      );
      assert.equal(docs.reads?.length, 0);

      // Opening the PNG records the read first; the bytes are the ones attached.
      await page.getByTestId('document-open').nth(1).click();
      const link = page.getByTestId('document-link');
      await link.waitFor({ timeout: 20_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const saved = join(files, 'saved.png');
      await download.saveAs(saved);
      assert.deepEqual(readFileSync(saved), PNG);
      await page.getByTestId('read-row').first().waitFor({ timeout: 20_000 });
      assert.match(
        await page.getByTestId('reads-table').innerText(),
        /general-hospital\/social-worker-1/,
      );
      await noViolations(page, 'a case with its documents and reads');
      await docScreenshot(page, 'staff-hospital-case');
      assert.deepEqual(sw.errors, []);
      await sw.context.close();
    },
  );

  it(
    'a bureau clerk attests one patient, then a CSV whose bad row is refused with its code',
    { timeout: 180_000 },
    async () => {
      const bc = await signInAs('city-bureau/clerk-1');
      const page = bc.page;
      // A bureau clerk has no case queue: the attestations are the workspace.
      await page.waitForURL(/\/staff\/attest$/);
      await page.getByRole('heading', { level: 1, name: 'Attest facts' }).waitFor();

      await page.getByTestId('attest-patient-number').fill(PATIENT);
      await page.getByTestId('attest-submit').click();
      await page.getByTestId('attest-none').waitFor();
      await page.getByTestId('attest-lowIncome').selectOption('yes');
      await page.getByTestId('attest-size').fill('4');
      await page.getByTestId('attest-submit').click();
      await page.getByTestId('attest-done').waitFor({ timeout: 20_000 });

      const csv =
        'id_kind,id_number,householdIncomePerCapita,householdSize,lowIncome\n' +
        `cn,${PATIENT},"9,600",4,yes\n` +
        `cn,${OTHER},¥21000.50,2,no\n` +
        `cn,${OTHER.slice(0, 17)}${OTHER.endsWith('1') ? '2' : '1'},8000,3,yes\n`;
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('bulk-file').click();
      await (
        await chooser
      ).setFiles({ name: 'incomes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByTestId('bulk-summary').getByText('2 rows ready, 1 refused.').waitFor();
      const result = (row: number) =>
        page.getByTestId(`bulk-row-${row}`).getByTestId('bulk-result');
      assert.equal(await result(2).locator('[data-result]').getAttribute('data-result'), 'ready');
      assert.equal(await result(3).locator('[data-result]').getAttribute('data-result'), 'ready');
      assert.equal(await result(4).locator('[data-result]').getAttribute('data-result'), 'refused');
      assert.match(await result(4).innerText(), /BAD_ID/);
      // The table shows the income exactly as the ledger will take it, in yuan.
      assert.match(await page.getByTestId('bulk-row-3').innerText(), /21,000\.50/);
      await noViolations(page, 'the bulk attestation before signing');
      await page.getByTestId('bulk-sign').click();
      await page.getByTestId('bulk-signed').waitFor({ timeout: 60_000 });
      assert.match(await page.getByTestId('bulk-signed').innerText(), /2 recorded, 0 refused/);
      for (const row of [2, 3])
        assert.equal(
          await result(row).locator('[data-result]').getAttribute('data-result'),
          'recorded',
        );
      assert.equal(await result(4).locator('[data-result]').getAttribute('data-result'), 'refused');
      await noViolations(page, 'the bulk attestation after signing');
      await docScreenshot(page, 'staff-bureau-attest');
      assert.deepEqual(bc.errors, []);
      await bc.context.close();
    },
  );

  it(
    'the hospital answers a request for information and moves a case to a new phone, where the family adds a document',
    { timeout: 180_000 },
    async () => {
      // The program's manager asks the hospital about one of its assessed cases.
      const tok = await tokenOf('general-hospital/social-worker-1');
      const page0 = await listCases(api(), tok, { state: 'assessed', limit: 50 });
      const managers: Record<string, string> = {
        'city-bureau': 'city-bureau/manager-1',
        'hope-foundation': 'hope-foundation/manager-1',
      };
      const target = page0.cases.find(
        (c) => c.hospital === 'general-hospital' && managers[c.owner] !== undefined,
      );
      assert.ok(target, 'an assessed case of general-hospital');
      const manager = managers[target.owner]!;
      const asked = await submitAs(
        manager,
        'cases.requestInfo',
        { case: target.id, reason: 'invoice-detail-needed', from: 'hospital' },
        { note: '请逐项列出药品' },
      );
      assert.ok(asked.result.ok, JSON.stringify(asked.result));

      const sw = await signInAs('general-hospital/social-worker-1');
      const page = sw.page;
      await page.getByTestId('queue-state-info-requested').click();
      await page
        .getByRole('link', { name: new RegExp(target.id.slice(0, 10)) })
        .click({ timeout: 20_000 });
      await page.getByTestId('answer-form').waitFor();
      assert.match(await page.getByTestId('answer-asked').innerText(), /asks the hospital/);
      await page.getByTestId('answer-note').fill('第一行为化疗药物，明细见附件');
      await page.getByTestId('answer-submit').click();
      await page
        .getByTestId('case-summary')
        .getByText(cap(STATE_LABELS.assessed!.en))
        .waitFor({ timeout: 20_000 });

      // A family's new phone: its account is registered, the clerk checks and moves the case.
      const phone = randomSeed();
      const account = toHex(publicKeyFromSeed(phone));
      const reg = await api().submit(
        buildSubmission({ chain, type: 'accounts.register', payload: { lang: 'zh-Hans' } }, phone),
      );
      assert.ok(reg.result.ok);
      await page.getByTestId('recover-key').fill(account);
      await page.getByTestId('recover-check').waitFor();
      assert.match(
        await page.getByTestId('recover-check').innerText(),
        new RegExp(account.slice(0, 4).toUpperCase()),
      );
      await page.getByTestId('recover-submit').click();
      await page
        .getByText('Check the patient’s identity in person first.', { exact: true })
        .waitFor();
      await page.getByTestId('recover-checked').check();
      await page.getByTestId('recover-submit').click();
      await page
        .getByTestId('hospital-done')
        .getByText('The case now belongs to the new account')
        .waitFor({ timeout: 20_000 });
      const moved = (await getCase(api(), tok, target.id)).case;
      assert.deepEqual(moved.applicant, { kind: 'account', key: account });
      assert.equal(moved.recovered?.at(-1)?.by, 'general-hospital/social-worker-1');
      assert.deepEqual(sw.errors, []);
      await sw.context.close();

      // On the new phone the family sees the case and adds a photo of a document to it.
      const fam = await openPage(web.browser, { viewport: PHONE });
      const f = fam.page;
      const accountFile = join(files, 'account.json');
      writeFileSync(accountFile, await sealedApplicantFile(phone, PASS));
      await f.goto(`${web.node.url}/me`);
      await f.locator('input[type=file]').setInputFiles(accountFile);
      await f.getByTestId('restore-passphrase').fill(PASS);
      await f.getByRole('button', { name: 'Restore my account' }).click();
      await f.getByRole('heading', { name: 'My applications' }).waitFor({ timeout: 30_000 });
      await f.locator(`a[href="/me/cases/${target.id}"]`).first().click();
      await f.getByTestId('my-attach-form').waitFor({ timeout: 20_000 });
      await noViolations(f, 'the family’s case page with its documents at 360 px');
      const c = f.waitForEvent('filechooser');
      await f.getByTestId('my-attach-file').click();
      await (await c).setFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: JPEG });
      await f.getByTestId('my-attach-send').click();
      await f.getByTestId('my-attach-sent').waitFor({ timeout: 20_000 });
      await f.getByTestId('my-documents').getByText('hospital invoice').waitFor();
      const listed = await caseDocuments(api(), tok, target.id);
      assert.ok(listed.documents.some((d) => d.by === 'applicant' && d.format === 'jpeg'));
      assert.deepEqual(fam.errors, []);
      await fam.context.close();
    },
  );

  it(
    'a clerk confirms a disbursed case’s payment and closes it with the outcome',
    { timeout: 180_000 },
    async () => {
      const cl = await signInAs('general-hospital/clerk-2');
      const page = cl.page;
      await page.getByTestId('queue-state-disbursed').click();
      // Until the filter has applied: every row shown is a disbursed case.
      const label = cap(STATE_LABELS.disbursed!.en);
      for (let i = 0; ; i++) {
        const rows = await page.getByTestId('queue-row').allInnerTexts();
        if (rows.length > 0 && rows.every((r) => r.includes(label))) break;
        assert.ok(i < 100, 'the disbursed cases of the hospital');
        await page.waitForTimeout(200);
      }
      const link = page.getByTestId('queue-row').first().getByRole('link');
      await link.click();
      const id = /\/staff\/cases\/([0-9a-f]{64})$/.exec(page.url())?.[1] ?? '';
      assert.ok(id);
      await page.getByTestId('confirm-form').waitFor();
      await noViolations(page, 'a disbursed case');
      await page.getByTestId('confirm-submit').click();
      await page.getByTestId('close-form').waitFor({ timeout: 20_000 });
      await page.getByTestId('close-submit').click();
      await page.getByText('Choose the treatment outcome.').waitFor();
      await page.getByTestId('close-outcome').selectOption('treatment-completed');
      await page.getByTestId('close-submit').click();
      await page.getByTestId('case-closed').waitFor({ timeout: 20_000 });
      assert.equal(await page.getByTestId('hospital-done').innerText(), 'The case is closed.');
      const rec = (await getCase(api(), await tokenOf('general-hospital/clerk-2'), id)).case;
      assert.equal(rec.state, 'closed');
      assert.equal(rec.outcome, 'treatment-completed');
      assert.ok(rec.payments.every((p) => p.confirmed !== undefined));
      assert.deepEqual(cl.errors, []);
      await cl.context.close();
    },
  );

  it(
    'has no axe violation on these pages, in three languages, at 360 px, 768 px and desktop, none wider than the screen',
    { timeout: 600_000 },
    async () => {
      assert.ok(caseId, 'the first test made a case');
      // A submitted case, for the verification form in every language.
      const submitted = await submitAs(
        'general-hospital/social-worker-1',
        'cases.submit',
        { program: HOPE, hospital: 'general-hospital' },
        { patient: { kind: 'cn', id: cnIdNumber('310105', 2012, 1, 1, 903) }, declared: {} },
      );
      assert.ok(submitted.result.ok, JSON.stringify(submitted.result));
      const fresh = { id: submitted.id };
      // A social worker at the bedside works on a phone or a tablet.
      const TABLET = { width: 768, height: 1024 };
      for (const viewport of [DESKTOP, TABLET, PHONE]) {
        const sw = await signInAs('general-hospital/social-worker-1', viewport);
        const bc = await signInAs('city-bureau/clerk-1', viewport);
        const checks: [OpenPage, string][] = [
          [sw, '/staff/apply'],
          [sw, '/staff/queue'],
          [sw, `/staff/cases/${fresh.id}`],
          [sw, `/staff/cases/${caseId}`],
          [bc, '/staff/attest'],
        ];
        for (const [p, path] of checks) {
          await moveTo(p.page, path);
          await p.page.getByRole('heading', { level: 1 }).waitFor();
          if (path === '/staff/apply') {
            await p.page.getByTestId('apply-program').selectOption(HOPE);
            await p.page.getByTestId('apply-patient-number').waitFor();
          }
          if (path.startsWith('/staff/cases/'))
            await p.page.getByTestId('documents-panel').waitFor({ timeout: 20_000 });
          await noViolationsInEveryLanguage(p.page, `${path} at ${viewport.width} px`);
          // Usable at this width: nothing pushes the page sideways (wide tables scroll in place).
          const wide = (await p.page.evaluate('document.documentElement.scrollWidth')) as number;
          assert.ok(wide <= viewport.width, `${path} is ${wide} px wide at ${viewport.width} px`);
        }
        for (const p of [sw, bc]) {
          assert.deepEqual(p.errors, [], `console at ${viewport.width} px`);
          await p.context.close();
        }
      }
    },
  );
});
