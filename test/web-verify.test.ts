/**
 * The receipt verifier in a real browser: a visitor pastes, uploads or drops a real receipt of a
 * demo donation, or opens the short link of a printed QR code, and sees every step pass; the same
 * receipt with one altered byte is shown invalid, naming the failing step in plain words; a policy
 * file can replace the node's, and the policy first seen is remembered; Chinese readers read
 * Chinese; no axe violation and no console error on a desktop or a 360 px phone.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { canonicalJson } from '../src/core/canonical.js';
import { fromBase64, toBase64, toHex, utf8, fromUtf8 } from '../src/core/bytes.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import { sha256 } from '../src/core/hash.js';
import { encodeVerifierKey } from '../src/core/note.js';
import { axeViolations, DESKTOP, openPage, PHONE, visibleText, webSuite } from './web-fixture.js';

interface Receipt {
  format: string;
  txid: string;
  index: number;
  leaf: string;
  proof: string[];
  checkpoint: string;
}

const STEPS = ['format', 'leaf', 'txid', 'signature', 'checkpoint', 'inclusion'];

/** The state of each step shown on the page, in order. */
async function stepStates(page: Page): Promise<Record<string, string>> {
  await page.getByTestId('steps').waitFor();
  const items = page.getByTestId('steps').locator('li');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await items.count()); i++) {
    const li = items.nth(i);
    out[(await li.getAttribute('data-step'))!] = (await li.getAttribute('data-state'))!;
  }
  return out;
}

/** Pastes a receipt and asks for it to be checked (labels in the page's language). */
async function paste(
  page: Page,
  text: string,
  words = { label: 'Paste the receipt', button: 'Verify' },
): Promise<void> {
  await page.getByLabel(words.label).fill(text);
  await page.getByRole('button', { name: words.button, exact: true }).click();
  await page.getByTestId('verdict').waitFor();
}

/** Flips one hex digit. */
const flipHex = (h: string, at: number) =>
  h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);

describe('receipt verifier', () => {
  const web = webSuite();
  let donation: string;
  let receiptText: string;
  let receipt: Receipt;
  let policyFingerprint: string;

  before(async () => {
    const r = await fetch(`${web.node.url}/v1/public/donations`);
    donation = ((await r.json()) as { donations: { id: string }[] }).donations[0]!.id;
    receiptText = await (await fetch(`${web.node.url}/v1/receipt/${donation}`)).text();
    receipt = JSON.parse(receiptText) as Receipt;
    const policy = await (await fetch(`${web.node.url}/v1/policy`)).json();
    policyFingerprint = toHex(sha256(utf8(canonicalJson(policy))));
  });

  it('a visitor pastes a real donation receipt and sees every step pass', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/verify`);
    await paste(page, receiptText);
    const verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /This receipt is valid/);
    assert.match(verdict, /Checked the receipt you pasted/);
    assert.deepEqual(await stepStates(page), Object.fromEntries(STEPS.map((s) => [s, 'passed'])));
    const text = await visibleText(page);
    for (const name of [
      'Receipt format',
      'Log entry',
      'Transaction id',
      'The transaction’s own signature',
      'Checkpoint signatures under the policy',
      'Merkle inclusion proof against the checkpoint root',
    ])
      assert.ok(text.includes(name), name);
    // What it proves, and what it does not.
    assert.match(text, /What this receipt proves/);
    assert.match(text, /donations\.receive/);
    assert.match(text, new RegExp(`#${receipt.index}`));
    assert.match(text, /Signed by City Medical Security Bureau: 1 of the 1 organisations/);
    assert.match(text, /No private data/);
    // Which policy: the node's, its members, quorum and fingerprint, remembered on first sight.
    assert.match(text, /The policy this node publishes/);
    assert.match(text, /1 of 1 organisations/);
    assert.equal(
      (await page.getByTestId('fingerprint').getAttribute('title')) ?? '',
      policyFingerprint,
    );
    assert.match(text, /now remembers its fingerprint/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the same receipt with one altered byte as invalid, naming the failing step', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: PHONE });
    await page.goto(`${web.node.url}/verify`);

    // One hex digit of a proof hash.
    const proof = { ...receipt, proof: [flipHex(receipt.proof[0]!, 7), ...receipt.proof.slice(1)] };
    await paste(page, JSON.stringify(proof));
    let verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /This receipt is not valid/);
    assert.match(verdict, /Merkle inclusion proof against the checkpoint root/);
    assert.equal((await stepStates(page)).inclusion, 'failed');
    assert.match(
      await page.getByTestId('explanation').innerText(),
      /The proof does not lead to the root the consortium signed: the receipt was altered or belongs to another log/,
    );
    assert.deepEqual(await axeViolations(page), []);

    // One byte of the leaf: the donated amount, re-encoded in base64.
    const leaf = fromUtf8(fromBase64(receipt.leaf));
    const altered = leaf.replace(
      /"amount":"(\d)/,
      (_m, d: string) => `"amount":"${(Number(d) + 1) % 10}`,
    );
    assert.notEqual(altered, leaf);
    await paste(page, JSON.stringify({ ...receipt, leaf: toBase64(utf8(altered)) }));
    verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /This receipt is not valid/);
    assert.match(verdict, /Transaction id/);
    assert.deepEqual(await stepStates(page), {
      format: 'passed',
      leaf: 'passed',
      txid: 'failed',
      signature: 'skipped',
      checkpoint: 'skipped',
      inclusion: 'skipped',
    });
    assert.match(await page.getByTestId('explanation').innerText(), /different transaction/);

    // One base64 character of the leaf: no longer a well-formed entry.
    const broken = (receipt.leaf[0] === 'e' ? 'f' : 'e') + receipt.leaf.slice(1);
    await paste(page, JSON.stringify({ ...receipt, leaf: broken }));
    assert.equal((await stepStates(page)).leaf, 'failed');
    assert.match(
      await page.getByTestId('explanation').innerText(),
      /The log entry in the receipt is damaged/,
    );

    // One character of the checkpoint's signature.
    const sigAt = receipt.checkpoint.lastIndexOf(' ') + 10;
    const sig = receipt.checkpoint[sigAt] === 'A' ? 'B' : 'A';
    const cp = receipt.checkpoint.slice(0, sigAt) + sig + receipt.checkpoint.slice(sigAt + 1);
    await paste(page, JSON.stringify({ ...receipt, checkpoint: cp }));
    assert.equal((await stepStates(page)).checkpoint, 'failed');
    assert.match(
      await page.getByTestId('explanation').innerText(),
      /Not enough organisations validly signed the checkpoint: 0 of the 1/,
    );

    // Not JSON at all.
    await paste(page, receiptText.slice(0, 40));
    assert.equal((await stepStates(page)).format, 'failed');
    assert.match(await page.getByTestId('explanation').innerText(), /This is not JSON/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('checks an uploaded receipt file, chosen or dropped', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/verify`);
    await page.getByTestId('receipt-file').setInputFiles({
      name: 'receipt.json',
      mimeType: 'application/json',
      buffer: Buffer.from(receiptText),
    });
    await page.getByTestId('verdict').waitFor();
    let verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /This receipt is valid/);
    assert.match(verdict, /Checked the file: receipt\.json/);

    // The file chooser is reachable from the keyboard.
    await page.getByLabel('Paste the receipt').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate('document.activeElement?.getAttribute("data-testid")'),
      'receipt-file',
    );

    // Dropped on the drop area: a tampered copy this time.
    const tampered = JSON.stringify({ ...receipt, proof: receipt.proof.slice(1) });
    const dt = await page.evaluateHandle(
      `(() => { const d = new DataTransfer(); d.items.add(new File([${JSON.stringify(tampered)}], 'dropped.json', { type: 'application/json' })); return d; })()`,
    );
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dt });
    await page.getByTestId('verdict').filter({ hasText: 'dropped.json' }).waitFor();
    verdict = await page.getByTestId('verdict').innerText();
    assert.match(verdict, /This receipt is not valid/);
    assert.equal((await stepStates(page)).inclusion, 'failed');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('opens the short link of a printed QR code, fetches the receipt and checks it here', async () => {
    const { page, errors, context } = await openPage(web.browser, { viewport: PHONE });
    await page.goto(`${web.node.url}/verify/${donation}`);
    await page.getByTestId('verdict').waitFor();
    assert.match(await page.getByTestId('verdict').innerText(), /This receipt is valid/);
    assert.deepEqual(await stepStates(page), Object.fromEntries(STEPS.map((s) => [s, 'passed'])));
    const text = await visibleText(page);
    assert.match(text, /Receipt from this node/);
    assert.ok(text.includes(donation));
    assert.match(text, /now remembers its fingerprint/);
    assert.deepEqual(await axeViolations(page), []);

    // The second visit finds the same policy; a different one later is pointed out.
    await page.reload();
    await page.getByTestId('verdict').waitFor();
    assert.match(await visibleText(page), /The same policy this browser first saw on/);
    await page.evaluate(
      `localStorage.setItem('aidledger.policy.${receipt.checkpoint.split('\n')[0]}', JSON.stringify({ fingerprint: '${'ab'.repeat(32)}', since: 1700000000000 }))`,
    );
    await page.reload();
    const changed = page.getByTestId('policy-changed');
    await changed.waitFor();
    assert.match(await changed.innerText(), /differs from the one this browser first saw/);
    assert.match(await changed.innerText(), /abab abab/);
    await changed.getByRole('button', { name: 'Remember the new policy' }).click();
    await page.getByText('The same policy this browser first saw on').waitFor();

    // The printed link's chain and index: the receipt must be that entry.
    const chain = encodeURIComponent(receipt.checkpoint.split('\n')[0]!);
    await page.goto(`${web.node.url}/verify/${donation}?chain=${chain}&index=${receipt.index}`);
    await page.getByTestId('link-match').waitFor();
    assert.match(await page.getByTestId('link-match').innerText(), new RegExp(`#${receipt.index}`));
    await page.goto(`${web.node.url}/verify/${donation}?chain=${chain}&index=${receipt.index + 1}`);
    await page.getByTestId('link-differs').waitFor();
    // The verdict itself says so: a valid receipt of another entry is no proof of this one.
    assert.equal(await page.getByTestId('verdict').getAttribute('data-ok'), 'false');
    assert.match(
      await page.getByTestId('verdict').innerText(),
      /This receipt is not the one the printed link names/,
    );
    assert.match(
      await page.getByTestId('link-differs').innerText(),
      /not the entry the printed link names/,
    );
    assert.deepEqual(await axeViolations(page), []);

    // An unknown id says so.
    await page.goto(`${web.node.url}/verify/${'0'.repeat(64)}`);
    await page.getByText('This ledger has no transaction with this id').waitFor();
    assert.deepEqual(
      errors.filter((e) => !/status of 404/.test(e)),
      [],
    );
    await context.close();
  });

  it('lets an auditor check against a policy file instead of the node’s', async () => {
    const { page, errors, context } = await openPage(web.browser);
    await page.goto(`${web.node.url}/verify/${donation}`);
    await page.getByTestId('verdict').waitFor();
    const origin = receipt.checkpoint.split('\n')[0]!;
    const other = {
      origin,
      quorum: 1,
      signers: [
        { org: 'elsewhere', vkey: encodeVerifierKey('elsewhere', publicKeyFromSeed(randomSeed())) },
      ],
    };
    await page.getByTestId('policy-file').setInputFiles({
      name: 'policy.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(other)),
    });
    await page.getByTestId('policy-source').filter({ hasText: 'policy.json' }).waitFor();
    await page.getByTestId('verdict').filter({ hasText: 'not valid' }).waitFor();
    assert.equal((await stepStates(page)).checkpoint, 'failed');
    assert.match(await page.getByTestId('explanation').innerText(), /0 of the 1 this policy needs/);
    assert.equal(
      await page.getByTestId('fingerprint').getAttribute('title'),
      toHex(sha256(utf8(canonicalJson(other)))),
    );
    // Back to the node's policy: valid again. A file that is no policy is refused.
    await page.getByRole('button', { name: 'Use this node’s policy' }).click();
    await page.getByTestId('verdict').filter({ hasText: 'This receipt is valid' }).waitFor();
    await page.getByTestId('policy-file').setInputFiles({
      name: 'nonsense.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"quorum":"all"}'),
    });
    await page.getByText('This file is not a verification policy.').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('speaks Chinese to a Chinese reader, with no axe violation on a desktop or a phone', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, errors, context } = await openPage(web.browser, { viewport, locale: 'zh-CN' });
      await page.goto(`${web.node.url}/verify/${donation}`);
      await page.getByTestId('verdict').waitFor();
      const text = await visibleText(page);
      for (const name of [
        '此回执有效',
        '回执格式',
        '日志记录',
        '交易编号',
        '交易本身的签名',
        '按验证策略查验检查点签名',
        '对照检查点树根的默克尔包含证明',
        '此回执证明了什么',
      ])
        assert.ok(text.includes(name), name);
      assert.deepEqual(await axeViolations(page), [], `axe at ${viewport.width} px`);
      assert.ok(
        ((await page.evaluate('document.documentElement.scrollWidth')) as number) <= viewport.width,
      );

      await page.goto(`${web.node.url}/verify`);
      await paste(
        page,
        JSON.stringify({
          ...receipt,
          proof: [flipHex(receipt.proof[0]!, 3), ...receipt.proof.slice(1)],
        }),
        { label: '粘贴回执', button: '验证' },
      );
      assert.match(await page.getByTestId('verdict').innerText(), /此回执无效/);
      assert.match(
        await page.getByTestId('explanation').innerText(),
        /证明无法导出联盟所签署的树根/,
      );
      assert.deepEqual(await axeViolations(page), [], `axe at ${viewport.width} px, invalid`);
      assert.deepEqual(errors, []);
      await context.close();
    }
    // Traditional Chinese for Taiwan.
    const { page, context } = await openPage(web.browser, { locale: 'zh-TW' });
    await page.goto(`${web.node.url}/verify/${donation}`);
    await page.getByTestId('verdict').waitFor();
    const text = await visibleText(page);
    for (const name of ['此收據有效', '收據格式', '依驗證政策查核檢查點簽章'])
      assert.ok(text.includes(name), name);
    await context.close();
  });
});
