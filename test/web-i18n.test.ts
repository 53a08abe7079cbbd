/**
 * Every page in every language: switching the language changes every visible string (no English
 * left on a Chinese page, no Chinese on an English one, no simplified characters on a traditional
 * page or the reverse), dates follow Taiwan, Hong Kong or mainland formats, the choice is
 * remembered, axe-core finds no WCAG 2.1 AA violation, and no page logs a console error.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, DESKTOP, openPage, PHONE, webSuite } from './web-fixture.js';
import { problems, READ_TEXT } from './web-text.js';

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('main h1').first().waitFor();
  // Lazy parts (charts, verification) finish after the network is idle.
  await page.waitForTimeout(150);
}

const LOCALES = [
  { value: 'zh-TW', lang: 'zh-Hant', tag: 'zh-Hant-TW' },
  { value: 'zh-HK', lang: 'zh-Hant', tag: 'zh-Hant-HK' },
  { value: 'zh-CN', lang: 'zh-Hans', tag: 'zh-Hans-CN' },
  { value: 'en', lang: 'en', tag: 'en' },
] as const;

describe('languages, accessibility and console on every page', () => {
  const web = webSuite();
  let pages: string[] = [];
  before(async () => {
    const get = async <T>(p: string) => (await (await fetch(web.node.url + p)).json()) as T;
    const prog = (await get<{ programs: { id: string }[] }>('/v1/public/programs')).programs[0]!;
    const don = (await get<{ donations: { id: string }[] }>('/v1/public/donations?limit=5'))
      .donations[0]!;
    const block = await get<{ blocks: { height: number }[] }>('/v1/blocks?from=1&limit=1');
    pages = [
      '/',
      `/programs/${prog.id}`,
      '/donations',
      `/donations/${don.id}`,
      '/governance',
      '/explorer',
      `/explorer/blocks/${block.blocks[0]!.height}`,
      `/explorer/tx/${don.id}`,
      '/verify',
      `/verify/${don.id}`,
      '/me',
      `/me/apply/${prog.id}`,
      '/no/such/page',
    ];
  });

  it('switches every visible string, on every page, at desktop and phone size', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, errors, context } = await openPage(web.browser, { viewport, locale: 'en-US' });
      for (const path of pages) {
        await page.goto(web.node.url + path);
        await settle(page);
        for (const l of LOCALES) {
          await page.getByTestId('language').selectOption(l.value);
          await settle(page);
          assert.equal(await page.evaluate('document.documentElement.lang'), l.tag);
          const found = problems((await page.evaluate(READ_TEXT)) as string[], l.lang);
          assert.deepEqual(found, [], `${path} in ${l.value} at ${viewport.width} px`);
        }
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `axe on ${path} at ${viewport.width} px`);
        assert.deepEqual(errors, [], `console on ${path}`);
      }
      await context.close();
    }
  });

  it('is accessible in Chinese too, and remembers the language after a reload', async () => {
    const { page, errors, context } = await openPage(web.browser, { locale: 'en-US' });
    await page.goto(web.node.url + '/');
    await settle(page);
    await page.getByTestId('language').selectOption('zh-HK');
    await page.reload();
    await settle(page);
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-Hant-HK');
    for (const path of pages) {
      await page.goto(web.node.url + path);
      await settle(page);
      assert.deepEqual(await axeViolations(page), [], `axe on ${path} in zh-HK`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('formats dates the Taiwan, Hong Kong and mainland way', async () => {
    const { page, context } = await openPage(web.browser, { locale: 'zh-TW' });
    await page.goto(web.node.url + pages[3]!); // a donation: it has dates
    await settle(page);
    const time = page.locator('main time').first();
    const iso = (await time.getAttribute('datetime'))!;
    const ms = Date.parse(iso);
    const d = new Date(ms);
    const [y, m, day] = [
      String(d.getFullYear()),
      String(d.getMonth() + 1).padStart(2, '0'),
      String(d.getDate()).padStart(2, '0'),
    ];
    const want: Record<string, string> = {
      'zh-TW': `${y}/${m}/${day}`, // Taiwan: year first
      'zh-HK': `${day}/${m}/${y}`, // Hong Kong: day first
      'zh-CN': `${y}/${m}/${day}`,
      en: `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()}, ${y}`,
    };
    for (const [value, date] of Object.entries(want)) {
      await page.getByTestId('language').selectOption(value);
      await page.waitForFunction(
        (w) =>
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { textContent: string } | null };
            }
          ).document
            .querySelector('main time')
            ?.textContent?.startsWith(w),
        date,
      );
      assert.ok((await time.innerText()).startsWith(date), `${value}: ${await time.innerText()}`);
    }
    await context.close();
  });
});
