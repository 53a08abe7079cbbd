/**
 * The reviewer's and the program manager's workspaces in a real browser against a node holding
 * the whole demo. The city bureau's manager drafts the program's next version (a condition typed
 * wrong shows its error and where, live), previews it on the past cases, publishes it and
 * assesses a verified case under it; a reviewer opens that case, reads its two documents (each
 * read then on the case's read list), sees the rules in words and the two-person rule, and
 * approves; a second reviewer, on a phone, confirms. A reviewer of the children's hospital sees
 * approval closed to them on a case of their own hospital (conflict of interest) before any
 * click, and the reviewer who rejected a case sees its appeal closed to them. Another case gets a
 * request for more information. Every page is axe-clean in the three
 * languages at 360 px and desktop, with no console error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { signIn } from '../src/domains/aid/client.js';
import { attachDocument, uploadDocument } from '../src/domains/documents/client.js';
import { demoPdf } from '../src/domains/documents/demo.js';
import { fromBase64 } from '../src/core/bytes.js';
import { seedOf } from './helpers.js';
import { DESKTOP, openPage, PHONE, webSuite, type OpenPage } from './web-fixture.js';
import { READ_TEXT, textProblems as problems } from './web-text-rules.js';
import {
  importAndSignIn,
  inLanguage,
  keyFiles,
  moveTo,
  noViolations,
  waitForCount,
} from './web-staff-helpers.js';

const PASS = 'granite orchard beacon 77';
const CITY = 'city-medical-assistance';
const KIDS = 'children-hospital-family-fund';
/** A 1×1 PNG: an image the reviewer sees in the page. */
const PNG = fromBase64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
);
const SHOTS = process.env.AIDLEDGER_SCREENSHOTS === '1';
const TABLET = { width: 768, height: 1024 };

interface Row {
  id: string;
  hospital: string;
}
interface CaseView {
  case: {
    state: string;
    hospital: string;
    reviewsNeeded: number;
    reviews: { member: string; tx: string }[];
  };
}

describe('the reviewer’s and the program manager’s workspaces', () => {
  const web = webSuite();
  const keys = keyFiles();
  /** The verified case the manager assesses and the reviewers decide. */
  let target = '';
  /** A case of one reviewer waiting for review: asked for more information. */
  let askCase = '';
  /** Another one, for the pages' languages and axe. */
  let otherCase = '';
  /** The children's hospital's fund's case of one of its own patients. */
  let ownCase = '';
  /** An appeal, and the reviewer who rejected the case first: another must review it. */
  let appeal = '';
  let appealReviewer = '';
  let version = 0;

  const read = async <T>(path: string, token: string): Promise<T> => {
    const res = await fetch(web.node.url + path, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, path);
    return (await res.json()) as T;
  };

  before(async () => {
    const { node } = web;
    const manager = await signIn(node.client, node.chain, seedOf('city-bureau/manager-1'));
    const verified = await read<{ cases: Row[] }>(
      `/v1/cases?program=${CITY}&state=verified&limit=1`,
      manager,
    );
    target = verified.cases[0]!.id;
    const assessed = await read<{ cases: Row[] }>(
      `/v1/cases?program=${CITY}&state=assessed&limit=50`,
      manager,
    );
    const single: string[] = [];
    for (const r of assessed.cases) {
      const v = await read<CaseView>(`/v1/cases/${r.id}`, manager);
      if (v.case.reviewsNeeded === 1 && v.case.reviews.length === 0) single.push(r.id);
    }
    [askCase, otherCase] = single as [string, string];
    assert.ok(askCase && otherCase, 'the demo has cases waiting for one reviewer');
    const appealed = await read<{ cases: Row[] }>(
      `/v1/cases?program=${CITY}&state=appealed`,
      manager,
    );
    for (const r of appealed.cases) {
      const v = await read<CaseView>(`/v1/cases/${r.id}`, manager);
      const first = v.case.reviews[0]?.member;
      if (first !== undefined) [appeal, appealReviewer] = [r.id, first];
    }
    assert.ok(appeal, 'the demo has an appeal of a case a reviewer rejected');
    const kidsReviewer = await signIn(
      node.client,
      node.chain,
      seedOf('children-hospital/reviewer-1'),
    );
    const kids = await read<{ cases: Row[] }>(
      `/v1/cases?program=${KIDS}&state=assessed`,
      kidsReviewer,
    );
    ownCase = kids.cases.find((c) => c.hospital === 'children-hospital')!.id;
    const prog = (await (await fetch(`${node.url}/v1/programs/${CITY}`)).json()) as {
      version: number;
    };
    version = prog.version;

    // The program's reviewer attaches the documents the program asks for to the target case.
    const seed = seedOf('city-bureau/reviewer-2');
    const token = await signIn(node.client, node.chain, seed);
    for (const [kind, bytes] of [
      ['invoice', demoPdf('Invoice INV-2026-0001 (fiction)')],
      ['income-certificate', PNG],
    ] as const) {
      const upload = await uploadDocument(node.client, token, bytes);
      const out = await attachDocument(node.client, node.chain, seed, {
        case: target,
        kind,
        upload,
      });
      assert.equal(out.result.ok, true, JSON.stringify(out.result));
    }
  });
  after(() => keys.remove());

  /** Opens a case from the member's work queue by the first digits of its number. */
  async function openCase(page: Page, id: string) {
    await moveTo(page, '/staff/queue');
    await page.getByTestId('queue-search').fill(id.slice(0, 12));
    await page.getByTestId('queue-search').press('Enter');
    await waitForCount(page.getByTestId('queue-row'), 1);
    await page.getByTestId('queue-row').getByText(id.slice(0, 10), { exact: true }).click();
    await page.getByTestId('case-history').waitFor();
    await page.getByTestId('case-summary').getByText(id).waitFor();
  }

  async function shot(page: Page, name: string) {
    if (!SHOTS) return;
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: `docs/screenshots/${name}`, fullPage: true });
  }

  it(
    'a program manager drafts the next version with a CEL condition checked as typed, previews it on past cases and publishes it; then a new program',
    { timeout: 240_000 },
    async () => {
      const m = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(m, web.node.url, keys.file('city-bureau/manager-1'), PASS);
      const page = m.page;
      await page.locator('.staff-nav').getByRole('link', { name: 'Programs' }).click();
      await page.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
      const row = page.getByTestId(`program-${CITY}`);
      assert.equal(await row.getByTestId('program-version').innerText(), String(version));

      await page.getByTestId('draft-choice').selectOption(CITY);
      await page.getByTestId('draft-start').click();
      await page.getByTestId('draft-form').waitFor();
      assert.equal(await page.getByTestId('draft-id').inputValue(), CITY);
      assert.equal(await page.getByTestId('draft-condition').count(), 2);

      // A new condition, typed wrong first: the error and its place show as it is typed.
      await page.getByTestId('add-condition').click();
      const c = page.getByTestId('draft-condition').nth(2);
      await c.getByTestId('condition-name').fill('diagnosed');
      await c.getByTestId('condition-label-en').fill('the hospital confirmed a diagnosis');
      await c.getByTestId('condition-label-zh-Hant').fill('醫院已確認診斷');
      await c.getByTestId('condition-label-zh-Hans').fill('医院已确认诊断');
      const expr = c.getByTestId('condition-expr');
      await expr.fill('size(diagnoses) >');
      await c.getByText(/Syntax error at line 1, column \d+/).waitFor();
      assert.match(await c.getByTestId('cel-caret').innerText(), /size\(diagnoses\) >\n\s+\^/);
      assert.equal(await expr.getAttribute('aria-invalid'), 'true');
      await expr.fill('salary > 1');
      await c.getByText('Unknown facts: salary.').waitFor();
      await expr.fill('ownExpense > 1.5');
      await c.getByText(/integers only/).waitFor();
      await expr.fill('size(diagnoses) > 0');
      await c
        .getByTestId('cel-status')
        .getByText(/Compiles\. It reads:/)
        .waitFor();
      assert.match(await c.getByTestId('cel-status').innerText(), /diagnos/);
      assert.equal(await c.getByTestId('cel-caret').count(), 0);

      // A higher rate, and every case above nothing reviewed by two people.
      await page.getByTestId('draft-rate').fill('80');
      await page.getByTestId('draft-auto').fill('0');
      await page.getByTestId('draft-two').fill('0');

      await page.getByTestId('draft-preview').click();
      const result = page.getByTestId('preview-result');
      await result.waitFor({ timeout: 60_000 });
      const changes = page.getByTestId('preview-change');
      assert.ok((await changes.count()) > 0, 'a higher rate changes what past cases get');
      assert.match(
        await changes.first().getByRole('link').innerText(),
        /^AL-[0-9A-Z]{4}-[0-9A-Z]{4}$/,
      );
      const before = Number(await page.getByTestId('eligible-before').innerText());
      const afterwards = Number(await page.getByTestId('eligible-after').innerText());
      assert.ok(before > 0);
      assert.equal(afterwards, before, 'a diagnosis is on every verified case');
      await noViolations(page, 'the draft with its preview');
      await shot(page, 'staff-programs-desktop-en.png');

      await page.getByTestId('draft-publish').click();
      await page.getByTestId('draft-published').waitFor({ timeout: 30_000 });
      assert.match(
        await page.getByTestId('draft-published').innerText(),
        new RegExp(`version ${version + 1}`),
      );
      await row
        .getByTestId('program-version')
        .getByText(String(version + 1))
        .waitFor();

      // A new program: an incomplete form says what is missing; complete, it is published.
      await page.getByTestId('draft-choice').selectOption('new');
      await page.getByTestId('draft-start').click();
      await page.getByTestId('draft-publish').click();
      await page.getByTestId('draft-faults').waitFor();
      assert.equal(await page.getByTestId('draft-id').getAttribute('aria-invalid'), 'true');
      await page.getByTestId('draft-id').fill('city-dental-aid');
      for (const [l, words] of [
        ['en', 'City Dental Aid'],
        ['zh-Hant', '市牙科救助'],
        ['zh-Hans', '市牙科救助'],
      ] as const) {
        await page.getByTestId(`draft-name-${l}`).fill(words);
        await page.getByTestId(`condition-label-${l}`).fill(words);
      }
      await page.getByTestId('draft-budget').fill('1,000,000');
      await page.getByTestId('condition-name').fill('own-expense');
      await page.getByTestId('condition-expr').fill('ownExpense >= 100000');
      await page.getByTestId('draft-rate').fill('50');
      await page.getByTestId('draft-per-case').fill('5000');
      await page.getByTestId('draft-per-year').fill('10000.50');
      await page.getByTestId('draft-auto').fill('1000');
      await page.getByTestId('draft-two').fill('3000');
      await page.getByTestId('draft-publish').click();
      await page.getByTestId('draft-published').waitFor({ timeout: 30_000 });
      await page.getByTestId('program-city-dental-aid').waitFor();
      const dental = (await (
        await fetch(`${web.node.url}/v1/programs/city-dental-aid`)
      ).json()) as {
        definition: { budget: string; benefit: Record<string, unknown>; review: object };
      };
      assert.equal(dental.definition.budget, '100000000');
      assert.deepEqual(dental.definition.benefit, {
        deductible: '0',
        rateBp: 5000,
        perCaseCap: '500000',
        perPatientYearCap: '1000050',
      });
      assert.deepEqual(dental.definition.review, {
        autoApproveUpTo: '100000',
        twoReviewersAbove: '300000',
      });

      // The manager's queue: a verified case, assessed under the new version.
      await openCase(page, target);
      await page.getByTestId('assess-panel').waitFor();
      await page.getByTestId('assess-submit').click();
      await page
        .getByTestId('review-policy')
        .getByText(/Two reviewers must approve/)
        .waitFor({ timeout: 30_000 });
      // A manager may ask for more information but does not review.
      await page.getByTestId('review-blocked').getByText('FORBIDDEN_ROLE').waitFor();
      assert.deepEqual(m.errors, []);
      await m.context.close();
    },
  );

  it(
    'a reviewer reads the documents, sees the rules and the two-person rule, approves; a second reviewer confirms on a phone',
    { timeout: 240_000 },
    async () => {
      const r1 = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(
        r1,
        web.node.url,
        keys.file('city-bureau/reviewer-1', 'city-bureau/reviewer-1#3'),
        PASS,
      );
      const p = r1.page;
      await openCase(p, target);
      await p.getByTestId('review-panel').waitFor();
      assert.match(await p.getByTestId('review-position').innerText(), /first approval/);
      // The evidence: each source's facts, the invoice lines among them.
      await p.getByTestId('case-sources').getByRole('region', { name: 'Invoice lines' }).waitFor();

      // Each document is opened by a read the ledger records first; the read list shows it.
      const docs = p.getByTestId('case-document');
      assert.equal(await docs.count(), 2);
      for (let i = 0; i < 2; i++) {
        await docs.nth(i).getByTestId('open-document').click();
        await docs.nth(i).getByTestId('document-link').waitFor({ timeout: 30_000 });
      }
      assert.match(
        (await docs.first().getByTestId('document-link').getAttribute('href'))!,
        /^blob:/,
      );
      await p.getByTestId('document-image').waitFor();
      await waitForCount(p.getByTestId('document-reader'), 2);
      const readers = await p.getByTestId('document-reader').allInnerTexts();
      assert.ok(
        readers.every((r) => r.includes('city-bureau/reviewer-1')),
        readers.join('; '),
      );

      // The rules applied to this case's facts, in words.
      const rules = p.getByTestId('case-rules');
      await rules.waitFor();
      const words = await rules.innerText();
      assert.match(words, /Met: household income per person at most/);
      assert.match(words, /Met: the hospital confirmed a diagnosis/);
      // Facts in words: money in yuan, diagnoses as codes.
      assert.match(words, /household income per person a year: CN¥[0-9,.]+ · attested by/);
      await noViolations(p, 'a case with its evidence');
      await shot(p, 'staff-review-desktop-en.png');

      const note = 'checked the invoice against the hospital statement';
      await p.getByTestId('review-reason').selectOption('criteria-met');
      await p.getByTestId('review-note').fill(note);
      await p.getByTestId('review-submit').click();
      await p.getByTestId('review-done').waitFor({ timeout: 30_000 });
      // Still waiting for a second approval, which may not be this reviewer's.
      await p.getByTestId('review-blocked').getByText('ALREADY_REVIEWED').waitFor();
      assert.equal(await p.getByTestId('review-submit').isDisabled(), true);

      // The note is in the private part: the public record of the review does not hold it.
      const manager = await signIn(
        web.node.client,
        web.node.chain,
        seedOf('city-bureau/manager-1'),
      );
      const rec = await read<CaseView>(`/v1/cases/${target}`, manager);
      const tx = rec.case.reviews.at(-1)!.tx;
      const pub = await (await fetch(`${web.node.url}/v1/tx/${tx}`)).text();
      assert.ok(pub.includes('criteria-met'));
      assert.ok(!pub.includes(note));

      const r2 = await openPage(web.browser, { viewport: PHONE });
      await importAndSignIn(r2, web.node.url, keys.file('city-bureau/reviewer-2'), PASS);
      const q = r2.page;
      await openCase(q, target);
      assert.match(await q.getByTestId('review-position').innerText(), /second approval/);
      await noViolations(q, 'the second review at 360 px');
      await q.getByTestId('review-reason').selectOption('documents-verified');
      await q.getByTestId('review-submit').click();
      // Approved by two: the case leaves review (the panel goes) and its reviews are listed.
      await q.getByTestId('review-panel').waitFor({ state: 'detached', timeout: 30_000 });
      await q
        .getByRole('region', { name: 'Reviews' })
        .first()
        .getByText('city-bureau/reviewer-2')
        .waitFor();
      const after = await read<CaseView>(`/v1/cases/${target}`, manager);
      assert.ok(['funded', 'waitlisted'].includes(after.case.state), after.case.state);
      assert.deepEqual(
        after.case.reviews.map((r) => r.member),
        ['city-bureau/reviewer-1', 'city-bureau/reviewer-2'],
      );
      assert.deepEqual(r1.errors, []);
      assert.deepEqual(r2.errors, []);
      await r1.context.close();
      await r2.context.close();
    },
  );

  it(
    'closes approval before the click to a reviewer of the treating hospital and to an appeal’s first reviewer, and asks for more information',
    { timeout: 180_000 },
    async () => {
      const own = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(own, web.node.url, keys.file('children-hospital/reviewer-1'), PASS);
      await openCase(own.page, ownCase);
      const blocked = own.page.getByTestId('review-blocked');
      await blocked.getByText('CONFLICT_OF_INTEREST').waitFor();
      assert.match(await blocked.innerText(), /a hospital of your own organisation/);
      assert.equal(await own.page.getByTestId('review-submit').isDisabled(), true);
      assert.equal(await own.page.getByTestId('review-reason').isDisabled(), true);
      await noViolations(own.page, 'a case closed to its hospital’s reviewer');
      assert.deepEqual(own.errors, []);
      await own.context.close();

      // An appeal goes to someone who has not reviewed the case: closed to the first reviewer.
      const first = await openPage(web.browser, { viewport: DESKTOP });
      const label =
        appealReviewer === 'city-bureau/reviewer-1' ? 'city-bureau/reviewer-1#3' : appealReviewer;
      await importAndSignIn(first, web.node.url, keys.file(appealReviewer, label), PASS);
      await openCase(first.page, appeal);
      await first.page.getByTestId('review-blocked').getByText('ALREADY_REVIEWED').waitFor();
      assert.match(await first.page.getByTestId('review-policy').innerText(), /It is an appeal/);
      assert.equal(await first.page.getByTestId('review-submit').isDisabled(), true);
      assert.deepEqual(first.errors, []);
      await first.context.close();

      const r = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(r, web.node.url, keys.file('city-bureau/reviewer-2'), PASS);
      await openCase(r.page, askCase);
      assert.match(await r.page.getByTestId('review-position').innerText(), /decides this case/);
      await r.page.getByTestId('ask-from-hospital').check();
      await r.page.getByTestId('ask-reason').selectOption('invoice-detail-needed');
      await r.page.getByTestId('ask-note').fill('list the drugs of line 1, please');
      await r.page.getByTestId('ask-submit').click();
      await r.page.getByTestId('info-waiting').waitFor({ timeout: 30_000 });
      assert.match(
        await r.page.getByTestId('info-waiting').innerText(),
        /treating hospital was asked: more detail on the invoice/,
      );
      const token = await signIn(web.node.client, web.node.chain, seedOf('city-bureau/reviewer-2'));
      assert.equal(
        (await read<CaseView>(`/v1/cases/${askCase}`, token)).case.state,
        'info-requested',
      );
      assert.deepEqual(r.errors, []);
      await r.context.close();
    },
  );

  it(
    'has no axe violation on the reviewer’s and the manager’s pages, in three languages, at 360 px, 768 px and desktop',
    { timeout: 600_000 },
    async () => {
      // The reviewer works at the bedside too: a tablet as well as a phone.
      for (const viewport of [DESKTOP, TABLET, PHONE]) {
        const r = await openPage(web.browser, { viewport });
        await importAndSignIn(r, web.node.url, keys.file('city-bureau/reviewer-2'), PASS);
        await openCase(r.page, otherCase);
        await r.page.getByTestId('review-panel').waitFor();
        await r.page.getByTestId('case-rules').waitFor();
        const m = await openPage(web.browser, { viewport });
        await importAndSignIn(m, web.node.url, keys.file('city-bureau/manager-1'), PASS);
        await moveTo(m.page, '/staff/programs');
        await m.page.getByTestId('draft-choice').selectOption(CITY);
        await m.page.getByTestId('draft-start').click();
        await m.page.getByTestId('condition-expr').first().fill('householdIncomePerCapita <=');
        await m.page.getByTestId('cel-caret').waitFor();
        await m.page.getByTestId('draft-preview').click();
        await m.page.getByTestId('draft-faults').waitFor();
        await m.page
          .getByTestId('condition-expr')
          .first()
          .fill('householdIncomePerCapita <= 2400000');
        await m.page.getByTestId('draft-preview').click();
        await m.page.getByTestId('preview-result').waitFor({ timeout: 60_000 });
        for (const [p, where] of [
          [r, 'a case to review'],
          [m, 'the programs with a draft'],
        ] as [OpenPage, string][]) {
          for (const [l, lang] of [
            ['zh-TW', 'zh-Hant'],
            ['zh-CN', 'zh-Hans'],
            ['en', 'en'],
          ] as const) {
            await p.page.getByTestId('language').selectOption(l);
            await inLanguage(p.page, l);
            await noViolations(p.page, `${where} in ${l} at ${viewport.width} px`);
            // Every word in the page's language (names, codes and units aside).
            const found = problems((await p.page.evaluate(READ_TEXT)) as string[], lang);
            assert.deepEqual(found, [], `${where} in ${l}`);
            // Usable at this width: nothing pushes the page sideways (wide tables scroll in place).
            const wide = (await p.page.evaluate('document.documentElement.scrollWidth')) as number;
            assert.ok(
              wide <= viewport.width,
              `${where} is ${wide} px wide at ${viewport.width} px`,
            );
          }
          assert.deepEqual(p.errors, [], `console at ${viewport.width} px`);
          await p.context.close();
        }
      }
    },
  );
});
