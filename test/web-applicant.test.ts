/**
 * The applicant portal in a real browser on a phone-sized screen, against a node holding the
 * whole demo: an applicant creates an account (key made and sealed in the browser, registered on
 * the ledger), applies to the city program through the form with its eligibility preview, and
 * watches the case move, without a reload, as the hospital, the bureau and its finance staff act
 * through the HTTP API, and sees who read the documents attached to it; locking and unlocking;
 * restoring the key file in a Chinese browser.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { canonicalJson } from '../src/core/canonical.js';
import { buildSubmission } from '../src/sdk/build.js';
import { signIn } from '../src/domains/aid/client.js';
import { attachDocument, readDocument, uploadDocument } from '../src/domains/documents/client.js';
import { cnId } from './aid-fixtures.js';
import { post, seedOf } from './helpers.js';
import { axeViolations, DESKTOP, openPage, PHONE, webSuite } from './web-fixture.js';
import { until } from './web-staff-helpers.js';

const PASSPHRASE = 'violet harbour lantern 42';
const CITY = 'city-medical-assistance';

describe('applicant portal', () => {
  const web = webSuite();
  let files: string;
  let caseId = '';
  let nonce = 0;

  /** Signs as a demo member and submits; fails the test on anything but success. */
  async function act(
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ): Promise<void> {
    const sub = buildSubmission(
      { chain: web.node.chain, type, payload, ...(facts ? { facts } : {}), nonce: `wa-${++nonce}` },
      seedOf(signer),
    );
    const r = await post(web.node.url, '/v1/tx', canonicalJson(sub));
    const result = (r.json as { result?: { ok: boolean; code?: string } }).result;
    assert.equal(r.status, 200, `${type}: ${JSON.stringify(r.json)}`);
    assert.deepEqual(result, { ok: true }, `${type} by ${signer}`);
  }

  async function noViolations(page: Page, where: string) {
    // Contrast is measured on the settled page, not halfway through a fade.
    await page.evaluate('Promise.allSettled(document.getAnimations().map((a) => a.finished))');
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }

  before(async () => {
    files = mkdtempSync(join(tmpdir(), 'aidledger-web-applicant-'));
  });
  after(async () => {
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('creates an account, applies, follows the case to payment, locks and unlocks', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: PHONE });
    page.setDefaultTimeout(10_000);
    const main = page.getByRole('main');

    // ---- the account -----------------------------------------------------------------------
    await page.goto(`${web.node.url}/me`);
    await main.getByRole('heading', { name: 'Apply for medical aid' }).waitFor();
    await noViolations(page, '/me without a key');
    await page.getByTestId('new-passphrase').fill('short');
    await page.getByTestId('new-passphrase-again').fill('shorter');
    await main.getByRole('button', { name: 'Create my account' }).click();
    await main.getByText('Use at least 10 characters.').waitFor();
    assert.equal(
      await page.evaluate('document.activeElement?.dataset.testid'),
      'new-passphrase',
      'focus moves to the first error',
    );
    await page.getByTestId('new-passphrase').fill(PASSPHRASE);
    await main.getByText(/^Strength: /).waitFor();
    // The error was about the short one: it goes once the passphrase is long enough.
    assert.equal(await main.getByText('Use at least 10 characters.').count(), 0);
    await page.getByTestId('new-passphrase-again').fill(PASSPHRASE);
    await main.getByRole('button', { name: 'Create my account' }).click();
    await main.getByText('Your account is ready').waitFor({ timeout: 20_000 });
    await noViolations(page, '/me after creating the account');

    // Only the sealed key is stored: no plain seed anywhere in localStorage.
    const stored = JSON.parse(
      (await page.evaluate('localStorage.getItem("aidledger.applicant.key")')) as string,
    ) as { key: string; kdf: { iterations: number }; data: string; registered: boolean };
    assert.equal(stored.kdf.iterations, 600_000);
    assert.equal(stored.registered, true);
    assert.equal(Buffer.from(stored.data, 'base64').length, 48, 'seed + GCM tag');

    // The recovery sheet is offered in place of a file to download.
    await main.getByRole('link', { name: 'Print the recovery sheet' }).waitFor();
    await main.getByRole('button', { name: 'Continue' }).click();
    await main.getByText('You have not applied yet.').waitFor();
    await noViolations(page, '/me unlocked');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      main.getByRole('button', { name: 'Save the account file' }).click(),
    ]);
    const keyFile = join(files, 'key.json');
    await download.saveAs(keyFile);
    assert.equal(JSON.parse(readFileSync(keyFile, 'utf8')).key, stored.key);
    await main.getByRole('button', { name: 'Forget this device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove your account from this phone?' });
    await dialog.waitFor();
    // Its fade may start a frame after it appears (later still on a busy machine): wait it out.
    await until(async () => {
      const opacity = await page.evaluate(
        `getComputedStyle(document.querySelector('[role="dialog"]')).opacity`,
      );
      return opacity === '1';
    }, 'the dialog to finish fading in');
    await noViolations(page, 'the forget dialog');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // ---- the application -------------------------------------------------------------------
    await main.getByRole('link', { name: 'Apply for aid' }).click();
    await main.getByRole('heading', { name: 'Choose a program' }).waitFor();
    await noViolations(page, '/me/apply');
    await main
      .getByRole('link', {
        name: 'Apply to this program: City Medical Assistance for Households in Difficulty',
      })
      .click();
    await main.getByRole('heading', { name: 'Step 1 of 5: Hospital' }).waitFor();
    await noViolations(page, 'step 1');
    await main.getByRole('button', { name: 'Next' }).click();
    await main.getByText('Choose the hospital treating the patient.').waitFor();
    assert.equal(await page.evaluate('document.activeElement?.type'), 'radio');
    await main.getByRole('radio', { name: 'City First People’s Hospital' }).check();
    await main.getByRole('button', { name: 'Next' }).click();

    await main.getByRole('heading', { name: 'Step 2 of 5: Patient' }).waitFor();
    const patientId = cnId(417);
    await page
      .getByTestId('patient-id')
      .fill(patientId.slice(0, 17) + (patientId.endsWith('1') ? '2' : '1'));
    await main.getByRole('button', { name: 'Next' }).click();
    await main
      .getByText(/This is not a valid number for a Mainland resident identity card/)
      .waitFor();
    assert.equal(await page.evaluate('document.activeElement?.dataset.testid'), 'patient-id');
    await noViolations(page, 'step 2 with an error');
    await page.getByTestId('patient-id').fill(patientId);
    await main.getByRole('button', { name: 'Next' }).click();

    await main.getByRole('heading', { name: 'Step 3 of 5: Household' }).waitFor();
    // The city program's rules read one declared fact, the income per person: asked as the
    // household's total and its size, which the form divides.
    assert.equal(await main.getByRole('textbox').count(), 2);
    await page.getByTestId('fact-householdIncome').fill('36,001.005');
    await page.getByTestId('fact-householdSize').fill('2');
    await main.getByRole('button', { name: 'Next' }).click();
    await main.getByText(/at most 2 decimals/).waitFor();
    await page.getByTestId('fact-householdIncome').fill('¥36,001');
    await main.getByText('Income per person a year: CN¥18,000.50').waitFor();
    await main.getByRole('button', { name: 'Next' }).click();

    await main.getByRole('heading', { name: 'Step 4 of 5: Eligibility' }).waitFor();
    const conditions = main.getByTestId('preview-condition');
    assert.equal(await conditions.count(), 2);
    const income = conditions.filter({ hasText: 'household income per person at most 36,000' });
    await income.getByText('Met by what you declared').waitFor();
    await income.getByText('To count, this must be confirmed by a government bureau.').waitFor();
    await conditions
      .filter({ hasText: 'own expense after basic medical insurance' })
      .getByText('Checked when the hospital verifies the case')
      .waitFor();
    await main.getByText('A preview, not a decision').waitFor();
    await noViolations(page, 'the eligibility preview');
    await main.getByRole('button', { name: 'Next' }).click();

    await main.getByRole('heading', { name: 'Step 5 of 5: Send' }).waitFor();
    await main.getByText('CN¥18,000.50').waitFor();
    await noViolations(page, 'the review');
    await main.getByRole('button', { name: 'Send the application' }).click();
    await main.getByText('Application sent').waitFor();
    const receipt = await main
      .getByRole('link', { name: 'Check the receipt' })
      .getAttribute('href');
    caseId = /^\/verify\/([0-9a-f]{64})$/.exec(receipt ?? '')?.[1] ?? '';
    assert.notEqual(caseId, '', `a receipt link, got ${receipt}`);
    await noViolations(page, 'the application sent');

    // ---- following the case while others act --------------------------------------------------
    await main.getByRole('link', { name: 'Follow your case' }).click();
    const timeline = main.getByTestId('timeline');
    const steps = timeline.locator('> li');
    await timeline.getByText('Submitted', { exact: true }).waitFor();
    await noViolations(page, 'the case, submitted');
    // The links to check each step sit together, once, behind one summary.
    await main.getByText('Check these steps on the public record').click();
    assert.equal(
      await main
        .getByRole('link', { name: 'Check on the public record: Submitted' })
        .getAttribute('href'),
      `/verify/${caseId}`,
    );

    await act(
      'general-hospital/clerk-2',
      'cases.verify',
      { case: caseId },
      {
        patient: { kind: 'cn', id: patientId },
        diagnoses: ['I63.9'],
        lines: [{ invoice: 'GH26-WEB-1', line: 1, amount: '4000000', insurancePaid: '1283300' }],
      },
    );
    await timeline.getByText('verified by the hospital').waitFor();
    await act(
      'city-bureau/clerk-1',
      'attest.facts',
      {},
      {
        patient: { kind: 'cn', id: patientId },
        facts: { householdIncomePerCapita: '1800050' },
      },
    );
    const manager = 'city-bureau/manager-1';
    const token = await signIn(web.node.url, web.node.chain, seedOf(manager));
    const sources = await web.node.client.get<Record<string, unknown>>(
      `/v1/cases/${caseId}/sources`,
      token,
    );
    await act(manager, 'cases.assess', { case: caseId }, sources);
    await timeline.getByText('awaiting review').waitFor();
    // The decision, explained: each condition, where its facts came from, the amount.
    await main.getByText('All the program’s conditions are met.').waitFor();
    await main.getByText('Why: each condition and the amount, step by step').click();
    await main
      .getByText(
        // The applicant sees what they declared, never the value the bureau attested.
        /household income per person a year: you declared CN¥18,000\.50; the rule used the value attested by City Medical Security Bureau/i,
      )
      .waitFor();
    await main.getByText('Amount granted').waitFor();
    await main.getByText('CN¥20,000.25').first().waitFor();

    await act('city-bureau/reviewer-2', 'cases.review', {
      case: caseId,
      approve: true,
      reason: 'criteria-met',
    });
    await timeline.getByText('Funded', { exact: true }).waitFor();
    await main.getByText('Approved by a reviewer of City Medical Security Bureau').waitFor();

    // ---- documents: the hospital attaches the invoice, a reviewer reads it on record ------------
    const clerk = 'general-hospital/clerk-2';
    const up = await uploadDocument(
      web.node.url,
      await signIn(web.node.url, web.node.chain, seedOf(clerk)),
      Buffer.from('%PDF-1.4\n% the invoice, for the test\n%%EOF\n'),
    );
    const attached = await attachDocument(web.node.url, web.node.chain, seedOf(clerk), {
      case: caseId,
      kind: 'invoice',
      upload: up,
    });
    assert.equal(attached.result.ok, true, JSON.stringify(attached));
    const readsTable = main.getByTestId('document-reads');
    await main.getByText('Nobody has read your documents yet.').waitFor();
    const reviewer = 'city-bureau/reviewer-2';
    const opened = await readDocument(
      web.node.url,
      await signIn(web.node.url, web.node.chain, seedOf(reviewer)),
      web.node.chain,
      seedOf(reviewer),
      attached.id,
      up.holder,
    );
    assert.equal(opened.format, 'pdf');
    await readsTable.getByText('City Medical Security Bureau · program reviewer').waitFor();
    assert.equal(
      await main
        .getByRole('link', { name: 'Check on the public record: the read of hospital invoice' })
        .getAttribute('href'),
      `/verify/${opened.read}`,
    );
    await noViolations(page, 'the case, its documents read');
    await act(
      'city-bureau/finance-1',
      'cases.disburse',
      { case: caseId },
      { reference: 'CMS-2026-0417' },
    );
    await timeline.getByText('paid to the hospital').waitFor();
    assert.equal(await steps.count(), 5, 'submitted, verified, assessed, funded, disbursed');
    // The payment reference is in the disbursement's private part: for members, not the applicant.
    assert.equal(await main.getByText('CMS-2026-0417').count(), 0);
    // Paid: nothing left for the applicant to withdraw.
    assert.equal(await main.getByRole('button', { name: 'Withdraw the application' }).count(), 0);
    await noViolations(page, 'the case, paid');

    // ---- lock and unlock ---------------------------------------------------------------------
    await main.getByRole('link', { name: 'Back to my applications' }).click();
    await main.getByRole('button', { name: 'Lock' }).click();
    await main.getByRole('heading', { name: 'Unlock your account' }).waitFor();
    await noViolations(page, '/me locked');
    await page.getByTestId('unlock-passphrase').fill('not the passphrase');
    await main.getByRole('button', { name: 'Unlock' }).click();
    await main.getByText(/That passphrase does not open this account/).waitFor({ timeout: 20_000 });
    assert.equal(
      await page.evaluate('document.activeElement?.dataset.testid'),
      'unlock-passphrase',
    );
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await main.getByRole('button', { name: 'Unlock' }).click();
    const row = main.getByRole('listitem').filter({ hasText: 'City Medical Assistance' });
    await row.getByText('paid to the hospital').waitFor({ timeout: 20_000 });

    // ---- closed: the applicant rates the aid ---------------------------------------------------
    await act('general-hospital/clerk-2', 'cases.confirm', { case: caseId });
    await act('general-hospital/clerk-2', 'cases.close', { case: caseId, outcome: 'improved' });
    await row.getByRole('link').click();
    await main.getByText('Outcome of the treatment: Improved').waitFor();
    await main.getByRole('button', { name: 'Send feedback' }).click();
    await main.getByText('Choose a rating from 1 to 5.').waitFor();
    assert.equal(await page.evaluate('document.activeElement?.type'), 'radio');
    await noViolations(page, 'the feedback form');
    await main.getByRole('radio', { name: '5: very good' }).check();
    await main
      .getByLabel('Comment (optional)')
      .fill('The social worker helped us with every form.');
    await main.getByRole('button', { name: 'Send feedback' }).click();
    await main.getByText('Thank you for your feedback: you rated it 5 out of 5.').waitFor();
    const pub = await web.node.client.get<{ state: string }>(`/v1/public/cases/${caseId}`);
    assert.equal(pub.state, 'closed');

    assert.deepEqual(errors, []);
    await context.close();
  });

  it('restores the key file in a Chinese browser, which shows the form and timeline in Chinese', async () => {
    assert.notEqual(caseId, '', 'needs the case of the first test');
    const { page, errors, context } = await openPage(web.browser, {
      viewport: PHONE,
      locale: 'zh-HK',
    });
    page.setDefaultTimeout(10_000);
    const main = page.getByRole('main');
    await page.goto(`${web.node.url}/me`);
    await main.getByRole('heading', { name: '申請醫療救助' }).waitFor();
    await noViolations(page, '/me in zh-HK');
    await page.locator('input[type=file]').setInputFiles(join(files, 'key.json'));
    await page.getByTestId('restore-passphrase').fill(PASSPHRASE);
    await main.getByRole('button', { name: '還原我的帳戶' }).click();
    await main.getByRole('heading', { name: '我的申請' }).waitFor({ timeout: 20_000 });
    await main.getByRole('listitem').getByText('已結案').waitFor();
    await noViolations(page, '/me unlocked in zh-HK');

    await main.getByRole('link', { name: '城市困難群眾醫療救助' }).click();
    const timeline = main.getByTestId('timeline');
    for (const state of [
      '已提交',
      '醫院已核實',
      '待審核',
      '已預留款項',
      '已撥付醫院',
      '醫院已確認收款',
      '已結案',
    ])
      await timeline.getByText(state, { exact: true }).waitFor();
    await main.getByText('計劃的所有條件均已符合。').waitFor();
    await main.getByText('謝謝您的意見：您給了 5 分（滿分 5 分）。').waitFor();
    await noViolations(page, 'the case in zh-HK');
    assert.deepEqual(await englishWords(page), [], 'no English on the Chinese case page');

    await main.getByRole('link', { name: '返回我的申請' }).click();
    await main.getByRole('link', { name: '申請救助' }).click();
    await main.getByRole('link', { name: '申請此計劃：希望兒童大病救助基金' }).click();
    await main.getByRole('heading', { name: '第 1 步，共 5 步：醫院' }).waitFor();
    await main.getByRole('radio', { name: '市兒童醫院' }).check();
    await main.getByRole('button', { name: '下一步' }).click();
    // Hong Kong readers get the Hong Kong identity card first.
    assert.equal(await main.getByRole('radio', { name: '香港身份證' }).isChecked(), true);
    await page.getByTestId('patient-id').fill('A123456');
    await main.getByRole('button', { name: '下一步' }).click();
    await main.getByText('這不是有效的香港身份證號碼，請對照證件逐字檢查。').waitFor();
    await page.getByTestId('patient-id').fill('A123456(3)');
    await main.getByRole('button', { name: '下一步' }).click();
    await page.getByTestId('fact-age').fill('７');
    await main.getByRole('button', { name: '下一步' }).click();
    const conditions = main.getByTestId('preview-condition');
    await conditions
      .filter({ hasText: '患者未滿18周歲' })
      .getByText('依您申報的資料：符合')
      .waitFor();
    await conditions.filter({ hasText: '白血病' }).getByText('會在醫院核實個案時審核').waitFor();
    await noViolations(page, 'the preview in zh-HK');
    assert.deepEqual(await englishWords(page), [], 'no English in the Chinese form');

    // Sent, rejected by the rules (the diagnosis is not one the fund covers), appealed, withdrawn.
    await main.getByRole('button', { name: '下一步' }).click();
    await main.getByRole('heading', { name: '第 5 步，共 5 步：送出' }).waitFor();
    await main.getByRole('button', { name: '送出申請' }).click();
    await main.getByText('申請已送出').waitFor();
    const href = await main.getByRole('link', { name: '查核收據' }).getAttribute('href');
    const hopeCase = href!.slice('/verify/'.length);
    await main.getByRole('link', { name: '查看個案進度' }).click();
    await act(
      'children-hospital/clerk-1',
      'cases.verify',
      { case: hopeCase },
      {
        patient: { kind: 'hk', id: 'A123456(3)' },
        diagnoses: ['J18.9'],
        age: 7,
        lines: [{ invoice: 'CH26-WEB-2', line: 1, amount: '500000', insurancePaid: '100000' }],
      },
    );
    const manager = 'hope-foundation/manager-1';
    const token = await signIn(web.node.url, web.node.chain, seedOf(manager));
    const sources = await web.node.client.get<Record<string, unknown>>(
      `/v1/cases/${hopeCase}/sources`,
      token,
    );
    await act(manager, 'cases.assess', { case: hopeCase }, sources);
    await timeline.getByText('未獲批准', { exact: true }).waitFor();
    await main.getByText('並非計劃的所有條件都符合。').waitFor();
    await noViolations(page, 'a rejected case in zh-HK');
    // A refusal is explained in words: the regulator froze the case a moment before.
    const regulator = 'audit-office/auditor-1';
    const target = { kind: 'case', id: hopeCase };
    await act(regulator, 'audit.freeze', { target, reason: 'records-under-audit' });
    await main.getByLabel('有甚麼想讓審核人知道？（選填）').fill('病歷已補充，請再審閱。');
    await main.getByRole('button', { name: '申請覆核' }).click();
    await main
      .getByRole('alert')
      .getByText('監管機構已暫時凍結這個計劃、個案或機構，解凍前無法作任何變更。')
      .waitFor();
    await act(regulator, 'audit.unfreeze', { target, reason: 'resolved' });
    await main.getByRole('button', { name: '申請覆核' }).click();
    await timeline.getByText('覆核中', { exact: true }).waitFor();
    await main.getByRole('button', { name: '撤回申請' }).click();
    const dialog = page.getByRole('dialog', { name: '要撤回這宗申請嗎？' });
    await dialog.waitFor();
    await noViolations(page, 'the withdrawal dialog in zh-HK');
    await dialog.getByRole('button', { name: '撤回', exact: true }).click();
    await timeline.getByText('已撤回', { exact: true }).waitFor();
    assert.equal(await main.getByRole('button', { name: '撤回申請' }).count(), 0);
    assert.deepEqual(await englishWords(page), [], 'no English on the Chinese case page');

    assert.deepEqual(errors, []);
    await context.close();
  });

  it('reads well on a desktop too', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: DESKTOP });
    const main = page.getByRole('main');
    await page.goto(`${web.node.url}/me/apply`);
    await main
      .getByRole('link', { name: 'Apply to this program: Hope Children’s Critical Illness Fund' })
      .waitFor();
    await noViolations(page, '/me/apply on a desktop');
    await page.goto(`${web.node.url}/me/apply/${CITY}`);
    await main.getByRole('link', { name: 'Create or restore an account' }).click();
    await main.getByRole('heading', { name: 'Create an account' }).waitFor();
    assert.match(page.url(), /\/me\?next=%2Fme%2Fapply%2Fcity-medical-assistance$/);
    await noViolations(page, '/me on a desktop');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/** English words in the page's main content, outside ids, codes and people's own words. */
async function englishWords(page: Page): Promise<string[]> {
  const text = (await page.evaluate(`(() => {
    const m = document.querySelector('main').cloneNode(true);
    m.querySelectorAll('q, .mono, [title]').forEach((e) => e.remove());
    return m.textContent;
  })()`)) as string;
  return text.match(/\b(the|and|of|by|to|your|case|hospital|verify|step|next|back)\b/gi) ?? [];
}
