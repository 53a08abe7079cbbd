/**
 * The block explorer in a real browser against a node holding the whole demo: blocks page by page,
 * search by transaction id, block height and log index (and a clear word when nothing matches),
 * a transaction's page that shows its public part and never its private one, a block with its
 * results, the checkpoints with their signers; axe-clean and error-free on a desktop and a 360 px
 * phone, in English and Chinese.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, DESKTOP, openPage, PHONE, visibleText, webSuite } from './web-fixture.js';

interface BlockTx {
  id: string;
  index: number;
  type: string;
  result: { ok: boolean; code?: string };
}
interface Block {
  height: number;
  first: number;
  leaf: number;
  transactions: BlockTx[];
}

/** Every string inside a private part's facts, however deep. */
function leaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  return out;
}

async function search(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Find a transaction, a block, a log entry or a case');
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Console errors other than the browser's own line for a 404 answer, which a lookup of something
 * that is not on the ledger (asked for on purpose) produces.
 */
function apartFrom404(errors: string[]): string[] {
  return errors.filter((e) => !/status of 404 \(Not Found\)/.test(e));
}

/** The first row of the blocks table, once it shows `height`. */
function firstHeight(page: Page, height: number) {
  return page
    .getByTestId('blocks')
    .locator('tbody tr')
    .first()
    .locator('td')
    .first()
    .filter({ hasText: new RegExp(`^${height}$`) });
}

describe('block explorer', () => {
  const web = webSuite();
  let tip: number;
  let blocks: Block[];
  let donation: string;
  const get = async <T>(p: string) => (await (await fetch(web.node.url + p)).json()) as T;

  before(async () => {
    tip = (await get<{ height: number }>('/v1/health')).height;
    blocks = [];
    for (let h = 0; h <= tip; h++) blocks.push(await get<Block>(`/v1/blocks/${h}`));
    donation = (await get<{ donations: { id: string }[] }>('/v1/public/donations')).donations[0]!
      .id;
  });

  const allTxs = () =>
    blocks.flatMap((b) => b.transactions.map((t) => ({ ...t, height: b.height })));

  it('lists the latest blocks newest first, and pages to older and newer ones', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(web.node.url + '/explorer');
    const rows = page.getByTestId('blocks').locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), Math.min(20, tip + 1));
    assert.equal((await rows.first().locator('td').first().innerText()).trim(), String(tip));
    const latest = blocks[tip]!;
    assert.match(await rows.first().innerText(), new RegExp(`\\b${latest.transactions.length}\\b`));
    assert.match(await rows.first().innerText(), /City Medical Security Bureau/);

    await page.getByRole('button', { name: 'Older blocks' }).click();
    await page.waitForURL(/\?top=/);
    await firstHeight(page, tip - 20).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Older blocks' }).isDisabled());
    await page.getByRole('button', { name: 'Newer blocks' }).click();
    await firstHeight(page, tip).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Newer blocks' }).isDisabled());

    // The latest checkpoint, its signers checked in the browser under the policy.
    await page.getByTestId('signers').waitFor();
    const text = await visibleText(page);
    assert.match(text, /Latest checkpoint/);
    assert.match(text, /Quorum met/);
    assert.match(await page.getByTestId('signers').innerText(), /City Medical Security Bureau/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('finds a transaction by id, a block by height and an entry by log index', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(web.node.url + '/explorer');
    const tx = allTxs().find((t) => t.id === donation)!;

    await search(page, donation.toUpperCase());
    await page.waitForURL(`**/explorer/tx/${donation}`);
    await page.getByText('donations.receive').first().waitFor();

    await page.goto(web.node.url + '/explorer');
    await search(page, '12');
    await page.waitForURL('**/explorer/blocks/12');
    await page.getByRole('heading', { name: 'Block 12' }).waitFor();

    await page.goto(web.node.url + '/explorer');
    await search(page, `#${tx.index}`);
    await page.waitForURL(`**/explorer/tx/${donation}`);

    // A block's closing entry leads to the block.
    await page.goto(web.node.url + '/explorer');
    await search(page, `index ${blocks[5]!.leaf}`);
    await page.waitForURL('**/explorer/blocks/5');

    // Full-width digits and "＃", as a Chinese input method types them.
    const wide = (n: number) =>
      [...String(n)].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    await page.goto(web.node.url + '/explorer');
    await search(page, `＃${wide(blocks[5]!.leaf)}`);
    await page.waitForURL('**/explorer/blocks/5');

    const message = page.getByTestId('search-message');
    const cases: [string, RegExp][] = [
      ['f'.repeat(64), /No transaction with this id/],
      [
        String(tip + 1000),
        new RegExp(`There is no block ${tip + 1000}: the newest block is ${tip}`),
      ],
      ['#99999999', /There is no log entry #99999999/],
      ['not a thing', /cannot look that up/],
    ];
    await page.goto(web.node.url + '/explorer');
    for (const [q, expected] of cases) {
      await search(page, q);
      await message.filter({ hasText: expected }).waitFor();
      assert.match(await message.innerText(), expected);
      assert.match(page.url(), /\/explorer$/);
    }

    // The address of a log index redirects to what is there.
    await page.goto(`${web.node.url}/explorer/log/${tx.index}`);
    await page.waitForURL(`**/explorer/tx/${donation}`);
    assert.deepEqual(apartFrom404(errors), []);
    await context.close();
  });

  it('shows a transaction with signer, block, index, result and payload, and nothing private', async () => {
    const submit = allTxs().find((t) => t.type === 'cases.submit' && t.result.ok)!;
    const part = web.node.node.ledger.privatePart(submit.id);
    assert.ok(part, 'the node holds the private part');
    // Names (in Chinese), national ids, phone numbers, incomes, invoice numbers and the salt.
    const secrets = [part.salt, ...leaves(part.facts)].filter(
      (s) => s.length >= 6 || /[\u3400-\u9fff]{2,}/.test(s),
    );
    assert.ok(secrets.length > 3);

    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/explorer/tx/${submit.id}`);
    await page.getByTestId('payload').waitFor();
    await page.getByText('Roles:').or(page.getByText('An applicant’s own account')).waitFor();
    const html = await page.content();
    const text = await visibleText(page);
    const record = await get<{
      tx: { private: { commitment: string }; signer: string; chain: string };
      index: number;
    }>(`/v1/tx/${submit.id}`);
    // Private facts: not in the page, not even in its markup. Only the commitment is.
    for (const s of secrets) assert.ok(!html.includes(s), `private value ${s} is not shown`);
    assert.ok(html.includes(record.tx.private.commitment));
    assert.match(text, /never leave the member nodes/);
    assert.match(text, /cases\.submit/);
    assert.match(text, new RegExp(`#${submit.index}`));
    assert.match(text, new RegExp(`Block ${submit.height}`));
    assert.match(text, /Accepted/);
    assert.ok(html.includes(record.tx.signer));

    // Receipt: verify link, download, and a QR code of the short link for printing.
    const verify = page.getByRole('link', { name: 'Verify this receipt' });
    assert.equal(await verify.getAttribute('href'), `/verify/${submit.id}`);
    const download = page.getByRole('link', { name: 'Download receipt' });
    assert.equal(await download.getAttribute('href'), `/v1/receipt/${submit.id}`);
    assert.ok((await download.getAttribute('download'))?.endsWith('.json'));
    // DESIGN §3: the short link names the chain, the log index and the tx id.
    assert.equal(
      (await page.getByTestId('short-link').innerText()).trim(),
      `${web.node.url}/verify/${submit.id}?chain=${encodeURIComponent(record.tx.chain)}&index=${record.index}`,
    );
    const qr = page.getByTestId('qr');
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.match((await qr.getAttribute('alt')) ?? '', /QR code/);
    assert.ok(
      ((await page.evaluate(`document.querySelector('[data-testid=qr]').naturalWidth`)) as number) >
        100,
    );

    // A member's transaction names its organisation and member.
    const donationPage = await context.newPage();
    await donationPage.goto(`${web.node.url}/explorer/tx/${donation}`);
    await donationPage.getByText('Roles:').waitFor();
    const dText = await visibleText(donationPage);
    assert.match(dText, /Hope Children’s Health Foundation/);
    assert.match(dText, /hope-foundation\//);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a refused transaction with its code in words', async () => {
    const refused = allTxs().find((t) => t.result.code === 'DUPLICATE_CLAIM')!;
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/explorer/tx/${refused.id}`);
    const result = page.getByTestId('tx-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /Refused/);
    assert.match(text, /DUPLICATE_CLAIM/);
    assert.match(text, /the same invoice line was already paid for/);

    await page.goto(`${web.node.url}/explorer/blocks/${refused.height}`);
    await page.getByTestId('block-txs').waitFor();
    const row = page.getByTestId('block-txs').locator('tr', { hasText: `#${refused.index}` });
    assert.match(await row.innerText(), /DUPLICATE_CLAIM/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a block with its fields and every transaction with its result', async () => {
    const b = blocks.find((x) => x.transactions.length > 50)!;
    const info = (
      await get<{ blocks: { hash: string; state: string; prev: string }[] }>(
        `/v1/blocks?from=${b.height}&limit=1`,
      )
    ).blocks[0]!;
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/explorer/blocks/${b.height}`);
    await page.getByTestId('block-txs').waitFor();
    const text = await visibleText(page);
    for (const h of [info.hash, info.state, info.prev]) assert.ok(text.includes(h));
    assert.match(text, new RegExp(`#${b.first} to #${b.leaf - 1}, closed by #${b.leaf}`));
    const rows = page.getByTestId('block-txs').locator('tbody tr');
    assert.equal(await rows.count(), 50);
    await page
      .getByRole('button', { name: `Show all ${b.transactions.length} transactions` })
      .click();
    assert.equal(await rows.count(), b.transactions.length);
    await rows.first().getByRole('link').click();
    await page.waitForURL(`**/explorer/tx/${b.transactions[0]!.id}`);

    await page.goto(`${web.node.url}/explorer/blocks/${tip + 5}`);
    await page.getByText(`There is no block ${tip + 5} on this ledger.`).waitFor();
    assert.deepEqual(apartFrom404(errors), []);
    await context.close();
  });

  it('lists checkpoints with the organisations whose signatures verify', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/explorer/checkpoints`);
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    const size = (await get<{ size: number }>('/v1/health')).size;
    assert.match(await rows.first().innerText(), new RegExp(size.toLocaleString('en')));
    assert.match(await rows.first().innerText(), /City Medical Security Bureau/);
    assert.match(await rows.first().innerText(), /Quorum met/);
    assert.equal(await rows.count(), Math.min(20, tip + 1));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('has no axe violation, console error or sideways scrolling on any page, in English and Chinese, desktop and phone', async () => {
    const refused = allTxs().find((t) => !t.result.ok)!;
    const small = blocks.find((b) => b.transactions.length > 0 && b.transactions.length < 10)!;
    // Each page with what shows it has finished loading.
    const pages: [string, string][] = [
      ['/explorer', '[data-testid=signers]'],
      [`/explorer/blocks/${small.height}`, '[data-testid=block-txs]'],
      [`/explorer/tx/${donation}`, '[data-testid=qr]'],
      [`/explorer/tx/${refused.id}`, '[data-testid=qr]'],
      ['/explorer/checkpoints', 'tbody tr'],
    ];
    for (const viewport of [DESKTOP, PHONE]) {
      for (const locale of ['en-US', 'zh-CN']) {
        const { page, errors, context } = await openPage(web.browser, { viewport, locale });
        for (const [p, ready] of pages) {
          await page.goto(web.node.url + p);
          await page.locator(ready).first().waitFor();
          const where = `${p} at ${viewport.width} px in ${locale}`;
          assert.deepEqual(await axeViolations(page), [], where);
          assert.ok(
            ((await page.evaluate('document.documentElement.scrollWidth')) as number) <=
              viewport.width,
            `${where} fits the screen`,
          );
          if (locale === 'zh-CN') assert.match(await visibleText(page), /区块|交易|检查点/);
        }
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
  });
});
