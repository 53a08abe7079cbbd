/**
 * A new visitor's journey, as the issue tells it, through the pages themselves (links and
 * buttons, no typed addresses after the first): opens the portal, reads a program's rules,
 * follows a donation to the cases it paid, verifies that donation's receipt in the browser,
 * downloads the receipt file, and uploads it again with one byte altered — shown invalid, naming
 * the failing step.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axeViolations, openPage, visibleText, webSuite } from './web-fixture.js';

describe('a new visitor', () => {
  const web = webSuite();

  it('reads a program’s rules and verifies a donation receipt; one altered byte is caught', async () => {
    const { page, errors, context } = await openPage(web.browser);
    const get = async <T>(p: string) => (await (await fetch(web.node.url + p)).json()) as T;

    // The portal, then a program by its name.
    await page.goto(web.node.url + '/');
    const [summary] = (
      await get<{ programs: { id: string; name: string }[] }>('/v1/public/programs?lang=en')
    ).programs;
    await page.getByRole('link', { name: summary!.name }).first().click();
    await page.getByRole('heading', { level: 1, name: summary!.name }).waitFor();

    // Its rules, in words: every condition's English label, and the formula's numbers.
    const detail = await get<{
      definition: { conditions: { labels: { en: string } }[]; benefit: { rateBp: number } };
    }>(`/v1/programs/${summary!.id}`);
    await page.getByRole('heading', { name: 'Who can get help' }).waitFor();
    const rules = (await visibleText(page)).toLowerCase();
    for (const c of detail.definition.conditions)
      assert.ok(rules.includes(c.labels.en.toLowerCase()), `condition "${c.labels.en}" shown`);
    assert.ok(rules.includes(`${detail.definition.benefit.rateBp / 100}%`), 'the rate is shown');

    // Donations, then where the newest one went, then verify its receipt from there.
    await page.getByRole('navigation').getByRole('link', { name: 'Donations' }).first().click();
    await page.getByRole('link', { name: 'Trace' }).first().click();
    // The list's own heading is still there until the router has moved: wait for the address.
    await page.waitForURL(/\/donations\/[0-9a-f]{64}$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const donation = page.url().split('/').pop()!;
    assert.match(donation, /^[0-9a-f]{64}$/);
    await page
      .getByRole('link', { name: `Verify transaction ${donation}` })
      .first()
      .click();
    await page.getByTestId('verdict').waitFor();
    assert.match(await page.getByTestId('verdict').innerText(), /This receipt is valid/);

    // The receipt file, downloaded from the transaction's page in the explorer.
    await page.goto(`${web.node.url}/explorer/tx/${donation}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download receipt' }).click(),
    ]);
    const file = readFileSync((await download.path())!);
    const receipt = JSON.parse(file.toString('utf8')) as { proof: string[] };

    // Uploaded as downloaded: valid.
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Verify a receipt' })
      .first()
      .click();
    await page.getByTestId('receipt-file').setInputFiles({
      name: 'receipt.json',
      mimeType: 'application/json',
      buffer: file,
    });
    await page.getByTestId('verdict').waitFor();
    assert.match(await page.getByTestId('verdict').innerText(), /This receipt is valid/);

    // One byte altered (a digit of the first proof hash): invalid, and the step is named.
    const at = file.indexOf(Buffer.from(receipt.proof[0]!)) + 5;
    const altered = Buffer.from(file);
    altered[at] = altered[at] === 0x30 ? 0x31 : 0x30;
    assert.equal(
      [...altered].filter((b, i) => b !== file[i]).length,
      1,
      'exactly one byte differs',
    );
    await page.getByTestId('receipt-file').setInputFiles({
      name: 'receipt-altered.json',
      mimeType: 'application/json',
      buffer: altered,
    });
    await page.getByText('This receipt is not valid').waitFor();
    const verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /Merkle inclusion proof against the checkpoint root/);
    assert.match(
      await page.getByTestId('explanation').innerText(),
      /The proof does not lead to the root the consortium signed/,
    );
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
