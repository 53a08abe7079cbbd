/**
 * The public portal in a real browser against a node holding the whole demo: the programs'
 * figures are the API's, the fund flows are drawn and tabled, a program's rules read in English
 * and in 繁體中文, a donation's trace lists the cases it paid, governance lists the members, and
 * every portal page, at desktop and phone size, in English and Taiwanese Chinese, has no axe
 * violation and logs no error.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type {
  DonationTrace,
  FundFlow,
  ProgramView,
  PublicProgramSummary,
} from '../src/sdk/index.js';
import { MINOR_DIGITS } from '../src/core/money.js';
import { axeViolations, DESKTOP, openPage, PHONE, visibleText, webSuite } from './web-fixture.js';

/** Money as the page formats it: exact minor units through Intl, never a float. */
function money(minor: string, currency: string, tag = 'en'): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const s = minor.padStart(digits + 1, '0');
  const decimal = `${s.slice(0, s.length - digits)}.${s.slice(-digits)}`;
  return new Intl.NumberFormat(tag, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as Intl.StringNumericLiteral);
}

/** How many elements a locator finds once `expected` of them have rendered (counting alone does not wait). */
async function shown(list: Locator, expected: number): Promise<number> {
  if (expected > 0) await list.nth(expected - 1).waitFor();
  return list.count();
}

async function ready(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('#main h1').first().waitFor({ timeout: 10_000 });
}

describe('public portal', () => {
  const web = webSuite();
  let summaries: PublicProgramSummary[];
  let views: ProgramView[];
  let flows: FundFlow[];
  let orgs: { id: string; names: Record<string, string> }[];
  let donation: DonationTrace;
  const api = async <T>(path: string) => (await (await fetch(web.node.url + path)).json()) as T;

  before(async () => {
    summaries = (await api<{ programs: PublicProgramSummary[] }>('/v1/public/programs')).programs;
    views = (await api<{ programs: ProgramView[] }>('/v1/programs')).programs;
    flows = (await api<{ flows: FundFlow[] }>('/v1/public/flows')).flows;
    orgs = (await api<{ orgs: typeof orgs }>('/v1/orgs')).orgs;
    // The demo donation whose money paid the most cases.
    const ids = (await api<{ donations: { id: string }[] }>('/v1/public/donations?limit=500'))
      .donations;
    const traces = await Promise.all(
      ids.map((d) => api<DonationTrace>(`/v1/public/donations/${d.id}/trace`)),
    );
    const cases = (t: DonationTrace) => t.lots.reduce((a, l) => a + l.cases.length, 0);
    donation = traces.sort((a, b) => cases(b) - cases(a))[0]!;
  });

  it('shows each program’s figures as the API gives them, and the fund flows', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(web.node.url + '/');
    await ready(page);
    assert.equal(summaries.length, 3);
    for (const p of summaries) {
      const card = page.getByTestId(`program-${p.id}`);
      const view = views.find((v) => v.id === p.id)!;
      assert.ok((await card.innerText()).includes(view.names.en), p.id);
      for (const field of ['budget', 'received', 'committed', 'paid', 'available'] as const) {
        const cell = card.locator(`[data-field="${field}"]`);
        assert.equal(await cell.getAttribute('data-amount'), p[field], `${p.id} ${field}`);
        assert.equal(await cell.innerText(), money(p[field], p.currency), `${p.id} ${field}`);
      }
      // The program's page is one click away.
      assert.equal(
        await card.getByRole('link', { name: view.names.en }).getAttribute('href'),
        `/programs/${p.id}`,
      );
    }
    const total = (k: 'budget' | 'paid') => summaries.reduce((a, p) => a + BigInt(p[k]), 0n);
    const totals = page.getByTestId('totals-CNY');
    assert.equal(
      await totals.locator('[data-field="budget"]').getAttribute('data-amount'),
      total('budget').toString(),
    );
    assert.equal(
      await totals.locator('[data-field="paid"]').getAttribute('data-amount'),
      total('paid').toString(),
    );
    // The diagram is drawn (lazily, as SVG) and labelled; the table has one row per flow.
    const chart = page.getByTestId('flow-chart');
    await chart.locator('svg').first().waitFor();
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /3 programs/);
    const rows = page.getByTestId('flow-table').locator('tbody tr');
    assert.equal(await shown(rows, flows.length), flows.length);
    const city = orgs.find((o) => o.id === 'city-bureau')!.names.en;
    assert.ok((await page.getByTestId('flow-table').innerText()).includes(`Budget of ${city}`));
    // Recent donations and payments link to the explorer.
    const tx = page.getByTestId('donations-table').locator('a[href^="/explorer/tx/"]');
    assert.equal(await tx.count(), 5);
    assert.ok(
      (await page.getByTestId('disbursements-table').locator('a[href^="/explorer/tx/"]').count()) >
        0,
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('reads a program’s rules in English and in 繁體中文', async () => {
    const view = views.find((v) => v.id === 'city-medical-assistance')!;
    const detail = await api<{ definition: { conditions: { labels: Record<string, string> }[] } }>(
      `/v1/programs/${view.id}`,
    );
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(web.node.url + `/programs/${view.id}`);
    await ready(page);
    assert.equal(await page.locator('main h1').innerText(), view.names.en);
    const conditions = page.getByTestId('conditions');
    // The words as written (the page capitalises each label's first letter with CSS).
    const said = async () => (await conditions.textContent()) ?? '';
    for (const c of detail.definition.conditions)
      assert.ok((await said()).includes(c.labels.en!), c.labels.en);
    assert.match(await said(), /must be confirmed by a government body/);
    const text = await visibleText(page);
    assert.match(text, /75% of the medical costs/);
    assert.match(text, /above a deductible of CN¥500\.00/);
    assert.equal(await page.getByTestId('apply').getAttribute('href'), `/me/apply/${view.id}`);

    await page.getByTestId('language').selectOption('zh-TW');
    await page.locator('main h1', { hasText: view.names['zh-Hant'] }).waitFor();
    for (const c of detail.definition.conditions)
      assert.ok((await said()).includes(c.labels['zh-Hant']!), c.labels['zh-Hant']);
    assert.match(await said(), /須由政府機關核實/);
    assert.match(await visibleText(page), /誰可以獲得救助/);
    assert.doesNotMatch(await said(), /[A-Za-z]{3,}/);
    // The rules as code, for auditors, open on demand.
    await page.getByRole('button', { name: /供審計人員參考/ }).click();
    await page.getByText('householdIncomePerCapita <= 3600000').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('traces a demo donation to the cases it paid, each step verifiable', async () => {
    const cases = donation.lots.flatMap((l) => l.cases);
    assert.ok(cases.length > 3, 'the demo donation paid several cases');
    const { page, errors, context } = await openPage(web.browser);
    // Found from the search box on the donations page.
    await page.goto(web.node.url + '/donations');
    await ready(page);
    await page.getByTestId('donation-id').fill('not an id');
    await page.getByRole('button', { name: 'Show where it went' }).click();
    await page.getByText('This is not a donation id').waitFor();
    await page.getByTestId('donation-id').fill(donation.id);
    await page.getByRole('button', { name: 'Show where it went' }).click();
    await page.waitForURL(`**/donations/${donation.id}`);
    // A client-side move: the search page's heading stays until the trace page's code arrives,
    // so wait for the new heading rather than for any.
    await page.locator('main h1', { hasText: 'Where this donation went' }).waitFor();
    await ready(page);
    assert.equal(await page.locator('main h1').innerText(), 'Where this donation went');
    const cards = page.getByTestId('trace-case');
    // The heading shows before the trace arrives.
    assert.equal(await shown(cards, cases.length), cases.length);
    const text = await page.locator('#main').innerText();
    for (const c of cases) {
      assert.ok(text.includes(c.case.slice(0, 10)), `case ${c.case} listed`);
      assert.ok(text.includes(money(c.amount, donation.currency!)));
    }
    for (const s of cases[0]!.steps) {
      // One transaction may move the money of several cases (a waitlist funded at once).
      assert.ok(
        (await page.locator(`#main a[href="/verify/${s.tx}"]`).count()) >= 1,
        `verify link of ${s.state}`,
      );
      assert.ok((await page.locator(`#main a[href="/explorer/tx/${s.tx}"]`).count()) >= 1);
    }
    // The donation itself; a donation that funds the waitlist is also those cases' first step.
    assert.ok((await page.locator(`#main a[href="/verify/${donation.id}"]`).count()) >= 1);
    assert.deepEqual(errors, []);
    // An unknown id is said to be unknown (the browser itself logs the 404 of the request).
    await page.goto(web.node.url + `/donations/${'0'.repeat(64)}`);
    await ready(page);
    await page.getByText('No donation or budget allocation has this id').waitFor();
    assert.ok(
      errors.every((e) => /status of 404/.test(e)),
      errors.join('\n'),
    );
    await context.close();
  });

  it('lists the consortium’s members and its quorums', async () => {
    const { page, errors, context } = await openPage(web.browser, { locale: 'zh-TW' });
    await page.goto(web.node.url + '/governance');
    await ready(page);
    const members = page.getByTestId('members');
    assert.equal(await shown(members.locator('tbody tr'), orgs.length), orgs.length);
    const text = await members.innerText();
    for (const o of orgs) assert.ok(text.includes(o.names['zh-Hant']!), o.id);
    assert.match(text, /政府機關/);
    const g = await api<{ governanceQuorum: number; orgs: number }>('/v1/public/governance');
    assert.equal(
      await page.getByTestId('governance-quorum').innerText(),
      `${g.orgs} 個機構中的 ${g.governanceQuorum} 個`,
    );
    assert.equal(await shown(page.getByTestId('signers').locator('tbody tr'), 1), 1);
    // The demo's two proposals: the audit office's oversight grant and the pharmacy's admission.
    assert.equal(await shown(page.getByTestId('proposals').locator('tbody tr'), 2), 2);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('has no axe violation and no console error on any portal page, desktop and phone, en and zh-TW', async () => {
    const pages = [
      '/',
      '/programs/children-critical-illness',
      '/donations',
      `/donations/${donation.id}`,
      '/governance',
    ];
    // The four combinations in parallel, each in its own browser profile.
    const combos = [DESKTOP, PHONE].flatMap((viewport) =>
      ['en-US', 'zh-TW'].map((locale) => ({ viewport, locale })),
    );
    await Promise.all(
      combos.map(async ({ viewport, locale }) => {
        const { page, errors, context } = await openPage(web.browser, { viewport, locale });
        try {
          for (const path of pages) {
            const where = `${path} at ${viewport.width} px in ${locale}`;
            await page.goto(web.node.url + path);
            await ready(page).catch((e: Error) => assert.fail(`${where}: ${e.message}`));
            if (path === '/') await page.getByTestId('flow-chart').locator('svg').first().waitFor();
            assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
            assert.deepEqual(errors, [], `console on ${where}`);
          }
        } finally {
          await context.close();
        }
      }),
    );
  });
});
