/** The web app is served by the node and renders its frame with no console error. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, axeViolations, webSuite, DESKTOP, PHONE } from './web-fixture.js';

describe('web app frame', () => {
  const web = webSuite();

  it('serves the app at / and at app addresses, JSON errors under /v1', async () => {
    const root = await fetch(web.node.url + '/');
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const deep = await fetch(web.node.url + '/verify/' + 'a'.repeat(64));
    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /<div id="root">/);
    const api = await fetch(web.node.url + '/v1/nothing');
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('renders the frame with no console error and no axe violation', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(web.node.url + '/');
    await page.getByRole('link', { name: 'AidLedger' }).first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  /** Where the focused element is, and whether a sighted keyboard user can see it. */
  const FOCUSED = `(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return {
      name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40),
      visible: el.checkVisibility() && r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth,
    };
  })()`;

  for (const [size, viewport] of [
    ['a desktop', DESKTOP],
    ['a phone', PHONE],
  ] as const) {
    it(`moves keyboard focus only through what is on screen, on ${size}`, async () => {
      const { page, errors, context } = await openPage(web.browser, { viewport });
      await page.goto(web.node.url + '/');
      await page.locator('main h1').first().waitFor();
      // The skip link first, then the header, then the page: never a hidden link.
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('Tab');
        const f = (await page.evaluate(FOCUSED)) as { name: string; visible: boolean };
        assert.ok(f.visible || i === 0, `Tab ${i + 1} reached "${f.name}", which is not on screen`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('opens the phone menu, keeps focus in it, and closes it with Escape', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: PHONE });
    await page.goto(web.node.url + '/');
    const burger = page.getByRole('button', { name: 'Open the menu' });
    await burger.click();
    const menu = page.getByRole('navigation', { name: 'Main' });
    await menu.getByRole('link', { name: 'Explorer' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Close the menu' }).count(), 1);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate(`!!document.activeElement.closest('#mobile-nav')`),
        true,
        'focus stays in the open menu',
      );
    }
    assert.deepEqual(await axeViolations(page), []);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Open the menu' }).waitFor();
    assert.equal(await page.locator('#mobile-nav').count(), 0);
    assert.equal(
      await page.evaluate(`document.activeElement.getAttribute('aria-label')`),
      'Open the menu',
    );
    // Choosing a page closes the menu and takes focus to the page.
    await burger.click();
    await menu.getByRole('link', { name: 'Explorer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Explorer' }).waitFor();
    assert.equal(await page.locator('#mobile-nav').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
