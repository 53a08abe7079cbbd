/** The web app is served by the node and renders its frame with no console error. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, startDemoWebNode, axeViolations } from './web-fixture.js';
import type { TestNode } from './helpers.js';

describe('web app frame', () => {
  let node: TestNode & { cleanupDir(): void };
  let browser: Browser;
  before(async () => {
    node = await startDemoWebNode();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await node?.close();
    node?.cleanupDir();
  });

  it('serves the app at / and at app addresses, JSON errors under /v1', async () => {
    const root = await fetch(node.url + '/');
    assert.equal(root.status, 200);
    assert.match(root.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const deep = await fetch(node.url + '/verify/' + 'a'.repeat(64));
    assert.equal(deep.status, 200);
    assert.match(await deep.text(), /<div id="root">/);
    const api = await fetch(node.url + '/v1/nothing');
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('renders the frame with no console error and no axe violation', async () => {
    const { page, errors, context } = await openPage(browser);
    await page.goto(node.url + '/');
    await page.getByRole('link', { name: 'AidLedger' }).first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
