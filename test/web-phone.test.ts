/**
 * The applicant portal as a family on a cheap phone meets it (issue 17), in a real Chromium at
 * 360 px against a node holding the whole demo, in the three languages: a draft survives Back, a
 * reload and a closed tab; a second application for the same patient is refused with a link to
 * the open one; the case reference read from the page finds the case; the age comes from the
 * identity number and the income per person from the household's total; the case page says
 * what is left to pay; a hospital clerk moves the case to a new phone and the old account is
 * refused; every applicant page keeps its tap targets at 44 px and its text at 16 px (help 14 px),
 * is axe-clean and logs no console error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { canonicalJson } from '../src/core/canonical.js';
import { buildSubmission } from '../src/sdk/build.js';
import { caseReference } from '../src/domains/aid/reference.js';
import { signIn } from '../src/domains/aid/client.js';
import { cnId } from './aid-fixtures.js';
import { post, seedOf } from './helpers.js';
import { axeViolations, openPage, PHONE, webSuite } from './web-fixture.js';

const PASSPHRASE = 'violet harbour lantern 42';
const CITY = 'city-medical-assistance';
const HOPE = 'children-critical-illness';

/** A valid 18-digit mainland ID of a child born on 1 March 2015 (GB 11643 check digit). */
function childId(seq: number): string {
  const body = `110105201503010${String(seq % 100).padStart(2, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11]!;
}

/** Whole years from 1 March 2015 to today. */
function childAge(): number {
  const d = new Date();
  const before = d.getMonth() + 1 < 3;
  return d.getFullYear() - 2015 - (before ? 1 : 0);
}

interface Words {
  locale: string;
  create: string;
  next: string;
  unlock: string;
  send: string;
  step: (n: number, name: string) => string;
  steps: string[];
  hospital: string;
  sent: string;
  follow: string;
  receipt: string;
  openCase: string;
  openLink: RegExp;
  refusedOpen: string;
  perPerson: string;
  age: string;
  search: string;
  list: string;
}

const LANGS: Record<'en' | 'zh-TW' | 'zh-CN', Words> = {
  en: {
    locale: 'en-US',
    create: 'Create my account',
    next: 'Next',
    unlock: 'Unlock',
    send: 'Send the application',
    step: (n, name) => `Step ${n} of 5: ${name}`,
    steps: ['Hospital', 'Patient', 'Household', 'Eligibility', 'Send'],
    hospital: 'City First People’s Hospital',
    sent: 'Application sent',
    follow: 'Follow your case',
    receipt: 'Check the receipt',
    openCase: 'This patient already has an open application in this program',
    openLink: /^Open application AL-/,
    refusedOpen: 'This patient already has an open application in this program. Follow that one',
    perPerson: 'Income per person a year: CN¥18,000.50',
    age: `Age, from the identity number: ${childAge()}.`,
    search: 'Find an application by its number',
    list: 'My applications',
  },
  'zh-TW': {
    locale: 'zh-TW',
    create: '建立我的帳戶',
    next: '下一步',
    unlock: '解鎖',
    send: '送出申請',
    step: (n, name) => `第 ${n} 步，共 5 步：${name}`,
    steps: ['醫院', '患者', '家庭狀況', '資格預覽', '送出'],
    hospital: '市第一人民醫院',
    sent: '申請已送出',
    follow: '查看個案進度',
    receipt: '查核收據',
    openCase: '這位患者在此計劃已有一宗未完結的申請',
    openLink: /^查看未完結的申請 AL-/,
    refusedOpen: '這位患者在此計劃已有一宗未完結的申請。請繼續跟進該申請',
    perPerson: '家庭人均年收入：CN¥18,000.50',
    age: `年齡（依證件號碼）：${childAge()} 歲`,
    search: '以編號尋找申請',
    list: '我的申請',
  },
  'zh-CN': {
    locale: 'zh-CN',
    create: '创建我的账户',
    next: '下一步',
    unlock: '解锁',
    send: '提交申请',
    step: (n, name) => `第 ${n} 步，共 5 步：${name}`,
    steps: ['医院', '患者', '家庭情况', '资格预览', '提交'],
    hospital: '市第一人民医院',
    sent: '申请已提交',
    follow: '查看个案进度',
    receipt: '查验回执',
    openCase: '这位患者在此项目已有一份未办结的申请',
    openLink: /^查看未办结的申请 AL-/,
    refusedOpen: '这位患者在此项目已有一份未办结的申请。请继续跟进该申请',
    perPerson: '家庭人均年收入：¥18,000.50',
    age: `年龄（按证件号码）：${childAge()} 岁`,
    search: '按编号查找申请',
    list: '我的申请',
  },
};

/**
 * Every visible control narrower or shorter than 44 px (a radio or checkbox counts with its
 * label, which takes the tap; a link inside a sentence is exempt, as WCAG 2.5.5 exempts it), and
 * every visible text under 14 px, or under 16 px in a paragraph of body text.
 */
async function phoneSizes(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const bad = [];
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
        && !el.closest('[aria-hidden="true"]') && !el.closest('.skip-link');
    };
    const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40);
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [role="button"]')) {
      if (el.type === 'hidden' || !shown(el)) continue;
      let r = el.getBoundingClientRect();
      if (el.matches('input[type=radio], input[type=checkbox]')) {
        const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
        if (label) {
          const l = label.getBoundingClientRect();
          r = { width: r.width + l.width, height: Math.max(r.height, l.height) };
        }
      }
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
        const p = el.parentElement;
        if (p && p.textContent.trim().length > el.textContent.trim().length + 8) continue;
      }
      if (r.width < 44 || r.height < 44)
        bad.push('target ' + el.tagName.toLowerCase() + ' "' + name(el) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || n.textContent.trim() === '' || !shown(el)) continue;
      if (el.closest('script, style, .mantine-VisuallyHidden-root')) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      const body = el.tagName === 'P' && !el.closest('footer') &&
        !/description|error/i.test(el.className) &&
        (el.getAttribute('data-size') === null || el.getAttribute('data-size') === 'md');
      if (px < 14 || (body && px < 16))
        bad.push('text "' + n.textContent.trim().slice(0, 30) + '" ' + px + 'px' + (body ? ' (body)' : ''));
    }
    return [...new Set(bad)];
  })()`);
}

describe('the applicant portal on a phone', () => {
  const web = webSuite();
  let nonce = 0;

  async function act(
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ): Promise<void> {
    const sub = buildSubmission(
      { chain: web.node.chain, type, payload, ...(facts ? { facts } : {}), nonce: `wp-${++nonce}` },
      seedOf(signer),
    );
    const r = await post(web.node.url, '/v1/tx', canonicalJson(sub));
    assert.equal(r.status, 200, `${type}: ${JSON.stringify(r.json)}`);
    assert.deepEqual((r.json as { result?: unknown }).result, { ok: true }, `${type} by ${signer}`);
  }

  /** axe-clean and within the phone's sizes, on the page as it is now. */
  async function checkPage(page: Page, where: string) {
    await page.evaluate('Promise.allSettled(document.getAnimations().map((a) => a.finished))');
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
    assert.deepEqual(await phoneSizes(page), [], `sizes on ${where}`);
  }

  async function createAccount(page: Page, w: Words) {
    const main = page.getByRole('main');
    await page.goto(`${web.node.url}/me`);
    await page.getByTestId('new-passphrase').fill(PASSPHRASE);
    await page.getByTestId('new-passphrase-again').fill(PASSPHRASE);
    await main.getByRole('button', { name: w.create }).click();
    await page.getByTestId('new-passphrase').waitFor({ state: 'detached', timeout: 30_000 });
  }

  async function unlock(page: Page, w: Words) {
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE);
    await page.getByRole('main').getByRole('button', { name: w.unlock, exact: true }).click();
  }

  for (const [lang, w] of Object.entries(LANGS)) {
    it(`keeps a draft through Back, a reload and a closed tab, and refuses a second application (${lang})`, async () => {
      const { page, errors, context } = await openPage(web.browser, {
        viewport: PHONE,
        locale: w.locale,
      });
      page.setDefaultTimeout(15_000);
      const main = page.getByRole('main');
      await createAccount(page, w);
      await checkPage(page, `/me after creating (${lang})`);

      // ---- the city program: hospital, patient, Back, reload ------------------------------
      const patient = cnId(700 + Object.keys(LANGS).indexOf(lang));
      // A page loaded afresh starts locked: the passphrase opens the account for this page.
      await page.goto(`${web.node.url}/me/apply/${CITY}`);
      await unlock(page, w);
      await main.getByRole('heading', { name: w.step(1, w.steps[0]!) }).waitFor();
      await checkPage(page, `step 1 (${lang})`);
      await main.getByRole('radio', { name: w.hospital }).check();
      await main.getByRole('button', { name: w.next }).click();
      await main.getByRole('heading', { name: w.step(2, w.steps[1]!) }).waitFor();
      assert.match(page.url(), /\?step=2$/);
      // A Taiwanese browser is offered the Taiwan card first; this patient holds a mainland one.
      if (lang === 'zh-TW') await main.getByRole('radio', { name: '內地居民身份證' }).check();
      await page.getByTestId('patient-id').fill(patient);
      await page.getByTestId('id-facts').getByText(/1990/).waitFor();
      await checkPage(page, `step 2 (${lang})`);
      // The phone's Back goes to the step before, with its answer; Forward comes back.
      await page.goBack();
      await main.getByRole('heading', { name: w.step(1, w.steps[0]!) }).waitFor();
      assert.equal(await main.getByRole('radio', { name: w.hospital }).isChecked(), true);
      await page.goForward();
      await main.getByRole('heading', { name: w.step(2, w.steps[1]!) }).waitFor();
      assert.equal(await page.getByTestId('patient-id').inputValue(), patient);
      // A reload locks the account; unlocked, the draft is back at the same step.
      await page.reload();
      await unlock(page, w);
      await main.getByRole('heading', { name: w.step(2, w.steps[1]!) }).waitFor();
      assert.equal(await page.getByTestId('patient-id').inputValue(), patient);
      await page.getByTestId('draft-resumed').waitFor();
      // Nothing of the draft is readable in storage: it is sealed.
      const stored = (await page.evaluate(
        'JSON.stringify(Object.entries(localStorage))',
      )) as string;
      assert.equal(stored.includes(patient), false, 'the identity number is sealed');
      await main.getByRole('button', { name: w.next }).click();

      await main.getByRole('heading', { name: w.step(3, w.steps[2]!) }).waitFor();
      await page.getByTestId('fact-householdIncome').fill(lang === 'en' ? '¥36,001' : '3.6001万');
      await page.getByTestId('fact-householdSize').fill('２');
      await main.getByText(w.perPerson).waitFor();
      await checkPage(page, `step 3 (${lang})`);

      // ---- a closed tab: a new one in the same browser finds the draft -----------------------
      await page.close();
      const tab = await context.newPage();
      tab.setDefaultTimeout(15_000);
      tab.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      const main2 = tab.getByRole('main');
      await tab.goto(`${web.node.url}/me/apply/${CITY}?step=3`);
      await unlock(tab, w);
      await main2.getByRole('heading', { name: w.step(3, w.steps[2]!) }).waitFor();
      assert.equal(await tab.getByTestId('fact-householdSize').inputValue(), '２');
      await main2.getByText(w.perPerson).waitFor();
      await main2.getByRole('button', { name: w.next }).click();
      await main2.getByRole('heading', { name: w.step(4, w.steps[3]!) }).waitFor();
      await checkPage(tab, `step 4 (${lang})`);
      await main2.getByRole('button', { name: w.next }).click();
      await main2.getByRole('heading', { name: w.step(5, w.steps[4]!) }).waitFor();
      await checkPage(tab, `step 5 (${lang})`);
      await main2.getByRole('button', { name: w.send }).click();
      await main2.getByText(w.sent).first().waitFor();
      const reference = (await tab.getByTestId('case-reference').textContent())!.trim();
      assert.match(reference, /^AL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      await checkPage(tab, `sent (${lang})`);
      // Back from the receipt: the sent page again, not an empty form.
      assert.match(tab.url(), /\?sent=[0-9a-f]{64}$/);
      const caseId = /sent=([0-9a-f]{64})/.exec(tab.url())![1]!;
      assert.equal(caseReference(caseId), reference);
      // The receipt names it too.
      await tab.getByRole('main').getByRole('link', { name: w.receipt }).click();
      await tab.getByTestId('receipt-reference').getByText(reference).waitFor({ timeout: 30_000 });
      await tab.goBack();
      await tab.getByTestId('case-reference').getByText(reference).waitFor();

      // ---- a second application for the same patient ---------------------------------------
      await tab.goto(`${web.node.url}/me/apply/${CITY}`);
      await unlock(tab, w);
      await main2.getByRole('radio', { name: w.hospital }).check();
      await main2.getByRole('button', { name: w.next }).click();
      if (lang === 'zh-TW') await main2.getByRole('radio', { name: '內地居民身份證' }).check();
      await tab.getByTestId('patient-id').fill(patient);
      await main2.getByRole('button', { name: w.next }).click();
      const open = tab.getByTestId('open-case');
      await open.getByText(w.openCase).waitFor();
      const link = open.getByRole('link', { name: w.openLink });
      assert.equal(await link.getAttribute('href'), `/me/cases/${caseId}`);
      assert.match((await link.textContent()) ?? '', new RegExp(reference));
      await checkPage(tab, `the open case said before sending (${lang})`);

      // ---- the reference, read from the page, finds the case -------------------------------
      await tab.goto(`${web.node.url}/me`);
      await unlock(tab, w);
      await main2.getByRole('heading', { name: w.list }).waitFor();
      await main2.getByTestId('list-reference').first().waitFor();
      // Typed as read aloud: lower case, without dashes, an O for a zero.
      const typed = reference.replace(/-/g, ' ').toLowerCase().replace(/0/g, 'o');
      await tab.getByLabel(w.search).fill(typed);
      const items = main2.getByRole('listitem');
      await items.first().getByText(reference).waitFor();
      assert.equal(await items.count(), 1);
      assert.match((await items.first().getByTestId('case-note').textContent()) ?? '', /…|\./);
      await checkPage(tab, `/me with a search (${lang})`);
      const pub = await web.node.client.get<{ cases: { id: string }[] }>(
        `/v1/public/cases?reference=${encodeURIComponent(typed)}`,
      );
      assert.ok(
        pub.cases.some((c) => c.id === caseId),
        'the public case search finds it too',
      );
      // And the public search of the explorer, typed as read aloud.
      await tab.goto(`${web.node.url}/explorer`);
      await tab.getByTestId('explorer-search').fill(typed);
      await tab.getByTestId('explorer-search').press('Enter');
      await tab.waitForURL(new RegExp(`/explorer/tx/${caseId}$`));

      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('takes the age from a mainland ID and keeps the question for a Hong Kong ID (zh-CN)', async () => {
    const w = LANGS['zh-CN'];
    const { page, errors, context } = await openPage(web.browser, {
      viewport: PHONE,
      locale: w.locale,
    });
    page.setDefaultTimeout(15_000);
    const main = page.getByRole('main');
    await createAccount(page, w);
    await page.goto(`${web.node.url}/me/apply/${HOPE}`);
    await unlock(page, w);
    await main.getByRole('radio', { name: '市儿童医院' }).check();
    await main.getByRole('button', { name: w.next }).click();
    await page.getByTestId('patient-id').fill(childId(71));
    await main.getByRole('button', { name: w.next }).click();
    await main.getByRole('heading', { name: w.step(3, w.steps[2]!) }).waitFor();
    await main.getByText(w.age).waitFor();
    assert.equal(await page.getByTestId('fact-age').count(), 0, 'the age is not asked');
    await checkPage(page, 'step 3 with the age from the ID');
    await main.getByRole('button', { name: w.next }).click();
    await main.getByRole('button', { name: w.next }).click();
    await main.getByRole('heading', { name: w.step(5, w.steps[4]!) }).waitFor();
    await main.getByRole('cell', { name: String(childAge()), exact: true }).waitFor();
    // A Hong Kong card carries no birth date: the question stays.
    await main.getByRole('button', { name: '上一步' }).click();
    await main.getByRole('button', { name: '上一步' }).click();
    await main.getByRole('button', { name: '上一步' }).click();
    await main.getByRole('heading', { name: w.step(2, w.steps[1]!) }).waitFor();
    await main.getByRole('radio', { name: '香港身份证' }).check();
    await page.getByTestId('patient-id').fill('A123456(3)');
    await main.getByRole('button', { name: w.next }).click();
    await page.getByTestId('fact-age').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says what is left to pay, and moves the case to a new phone while the old account is refused (en)', async () => {
    const w = LANGS.en;
    const old = await openPage(web.browser, { viewport: PHONE, locale: w.locale });
    old.page.setDefaultTimeout(15_000);
    const main = old.page.getByRole('main');
    await createAccount(old.page, w);
    await checkPage(old.page, 'account ready');
    const patient = cnId(711);
    await old.page.goto(`${web.node.url}/me/apply/${CITY}`);
    await unlock(old.page, w);
    await main.getByRole('radio', { name: w.hospital }).check();
    await main.getByRole('button', { name: w.next }).click();
    await old.page.getByTestId('patient-id').fill(patient);
    await old.page.getByLabel('Patient’s name (optional)').fill('Li Wei');
    await main.getByRole('button', { name: w.next }).click();
    await old.page.getByTestId('fact-householdIncome').fill('1.8万');
    await old.page.getByTestId('fact-householdSize').fill('1');
    await main.getByRole('button', { name: w.next }).click();
    await main.getByRole('button', { name: w.next }).click();
    await main.getByRole('button', { name: w.send }).click();
    await main.getByText(w.sent).first().waitFor();
    const caseId = /sent=([0-9a-f]{64})/.exec(old.page.url())![1]!;
    await main.getByRole('link', { name: w.follow }).click();
    await main.getByTestId('timeline').waitFor();
    // What comes next, and about when: from how long the step took the program's other cases.
    await main
      .getByTestId('next-when')
      .getByText(/^This step usually takes about /)
      .waitFor();
    await checkPage(old.page, 'the case, submitted');
    // The list names the patient by initials and the hospital, as entered on this phone only.
    await main.getByRole('link', { name: 'Back to my applications' }).click();
    const row = main.getByRole('listitem').filter({ hasText: caseReference(caseId) });
    await row.getByText('Patient L. W., at City First People’s Hospital').waitFor();
    await row.getByRole('link').click();
    await main.getByTestId('timeline').waitFor();

    // The hospital verifies (bills and insurance), the bureau attests, the rules assess.
    const amount = 4_000_000n;
    const insurance = 1_283_300n;
    await act(
      'general-hospital/clerk-2',
      'cases.verify',
      { case: caseId },
      {
        patient: { kind: 'cn', id: patient },
        diagnoses: ['I63.9'],
        lines: [
          {
            invoice: 'GH26-PHONE-1',
            line: 1,
            amount: amount.toString(),
            insurancePaid: insurance.toString(),
          },
        ],
      },
    );
    await act(
      'city-bureau/clerk-1',
      'attest.facts',
      {},
      { patient: { kind: 'cn', id: patient }, facts: { householdIncomePerCapita: '1800000' } },
    );
    const manager = 'city-bureau/manager-1';
    const token = await signIn(web.node.url, web.node.chain, seedOf(manager));
    const sources = await web.node.client.get<Record<string, unknown>>(
      `/v1/cases/${caseId}/sources`,
      token,
    );
    await act(manager, 'cases.assess', { case: caseId }, sources);
    await act('city-bureau/reviewer-2', 'cases.review', {
      case: caseId,
      approve: true,
      reason: 'criteria-met',
    });
    const owed = main.getByTestId('owed');
    await owed.getByText('Granted by the program').waitFor();
    const cents = (s: string) => BigInt(s.replace(/[^0-9]/g, ''));
    const cells = await owed.getByRole('cell').allTextContents();
    const [bills, granted, left] = cells.map(cents);
    assert.equal(bills, amount - insurance, 'the bills after insurance');
    assert.equal(left, amount - insurance - granted!, 'left = costs − insurance − granted');
    assert.ok(granted! > 0n);
    await checkPage(old.page, 'the case, funded');

    // ---- a new phone: a new account, shown to the hospital's clerk ---------------------------
    const fresh = await openPage(web.browser, { viewport: PHONE, locale: w.locale });
    fresh.page.setDefaultTimeout(15_000);
    await createAccount(fresh.page, w);
    await fresh.page.goto(`${web.node.url}/me/new-phone`);
    const newKey = (await fresh.page.getByTestId('new-phone-key').textContent())!.trim();
    assert.match(newKey, /^[0-9a-f]{64}$/);
    assert.equal(await fresh.page.getByTestId('new-phone-qr').getAttribute('data-value'), newKey);
    await checkPage(fresh.page, '/me/new-phone');
    await act('general-hospital/clerk-2', 'cases.recover', { case: caseId, account: newKey });
    await fresh.page.goto(`${web.node.url}/me`);
    await unlock(fresh.page, w);
    const item = fresh.page.getByRole('main').getByRole('listitem').first();
    await item.getByText(caseReference(caseId)).waitFor({ timeout: 20_000 });
    await item.getByRole('link').click();
    await fresh.page.getByTestId('owed').waitFor();
    await checkPage(fresh.page, 'the case on the new phone');

    // The old phone's account is refused from now on.
    await old.page.goto(`${web.node.url}/me`);
    await unlock(old.page, w);
    await old.page
      .getByTestId('account-closed')
      .getByText(/^This account was closed/)
      .waitFor({ timeout: 20_000 });
    await checkPage(old.page, 'the old phone, refused');
    assert.equal(await old.page.getByTestId('list-reference').count(), 0);

    assert.deepEqual(fresh.errors, []);
    await fresh.context.close();
    await old.context.close();
  });

  it('prints a recovery sheet whose code opens the account on another phone', async () => {
    const w = LANGS['zh-TW'];
    const first = await openPage(web.browser, { viewport: PHONE, locale: w.locale });
    first.page.setDefaultTimeout(15_000);
    await createAccount(first.page, w);
    await first.page.getByRole('main').getByRole('link', { name: '列印帳戶復原單' }).click();
    const qr = first.page.getByTestId('sheet-qr');
    await qr.waitFor();
    await checkPage(first.page, '/me/sheet');
    const link = (await qr.getAttribute('data-value'))!;
    assert.match(link, /\/me\/restore#k=1\.[0-9a-f]{64}\./);
    // Printed: one page, the sheet alone (no header, menu or buttons).
    await first.page.emulateMedia({ media: 'print' });
    assert.equal(await first.page.locator('header').isVisible(), false);
    assert.equal(await first.page.getByRole('button', { name: '列印' }).isVisible(), false);
    const key = JSON.parse(
      (await first.page.evaluate('localStorage.getItem("aidledger.applicant.key")')) as string,
    ) as { key: string };

    const other = await openPage(web.browser, { viewport: PHONE, locale: w.locale });
    other.page.setDefaultTimeout(15_000);
    // This phone already holds an account of its own: opening the sheet's says it replaces it.
    await createAccount(other.page, w);
    await other.page.goto(link);
    await other.page.getByTestId('restore-replaces').waitFor();
    await checkPage(other.page, '/me/restore');
    await other.page.getByTestId('sheet-passphrase').fill(PASSPHRASE);
    await other.page.getByRole('main').getByRole('button', { name: '還原我的帳戶' }).click();
    await other.page.getByRole('main').getByRole('heading', { name: w.list }).waitFor({
      timeout: 30_000,
    });
    assert.equal(new URL(other.page.url()).hash, '', 'the key leaves the address bar');
    const restored = JSON.parse(
      (await other.page.evaluate('localStorage.getItem("aidledger.applicant.key")')) as string,
    ) as { key: string };
    assert.equal(restored.key, key.key);
    assert.deepEqual([...first.errors, ...other.errors], []);
    await first.context.close();
    await other.context.close();
  });

  it('serves the app compressed, and loads the code of a page only when it is opened', async () => {
    const page = await fetch(`${web.node.url}/me`);
    const html = await page.text();
    const entry = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(entry, 'the entry script');
    const plain = await fetch(`${web.node.url}${entry}`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const raw = (await plain.arrayBuffer()).byteLength;
    for (const encoding of ['br', 'gzip']) {
      const r = await fetch(`${web.node.url}${entry}`, {
        headers: { 'accept-encoding': encoding },
      });
      await r.arrayBuffer();
      assert.equal(r.headers.get('content-encoding'), encoding);
      // fetch hands back the decoded body: the bytes on the wire are the content length.
      const sent = Number(r.headers.get('content-length'));
      assert.ok(sent < raw / 2, `${encoding}: ${sent} bytes for ${raw}`);
    }
    // The charts of the home page and the explorer are not in what /me preloads.
    const preloaded = [...html.matchAll(/href="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    assert.equal(
      preloaded.some((p) => /FlowChart|Explorer|echarts/i.test(p!)),
      false,
      preloaded.join(' '),
    );
  });

  it('puts applying first on a phone’s home page, and the chooser says how long a decision takes', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: PHONE });
    page.setDefaultTimeout(15_000);
    await page.goto(`${web.node.url}/`);
    const apply = page.getByRole('main').getByRole('link', { name: 'Apply for aid' });
    await apply.waitFor();
    const box = await apply.boundingBox();
    assert.ok(box && box.y + box.height < 740, 'on the first screen of a phone');
    await apply.click();
    await page.getByRole('heading', { name: 'Choose a program' }).waitFor();
    const time = page.getByTestId(`decision-time-${CITY}`);
    await time.getByText(/^About /).waitFor();
    await checkPage(page, '/me/apply');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
