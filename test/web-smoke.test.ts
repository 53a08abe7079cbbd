/** The web app is served by the node and renders its frame with no console error. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, axeViolations, webSuite } from './web-fixture.js';

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
});
