/**
 * What the staff workspace's browser tests share: key files as `aidledger keys new --member`
 * writes them for demo members, signing in at `/staff` by importing one and sealing it in the
 * browser, moving within the app without a reload (a reload locks the tab), waiting for finite
 * animations, and axe-core on the page as it is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { keyFileFromSeed } from '../src/runtime/keyfile.js';
import { seedOf } from './helpers.js';
import { axeViolations, type OpenPage } from './web-fixture.js';

/** A folder of key files for demo members; `remove()` when the suite ends. */
export function keyFiles(): { file(member: string, label?: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-web-staff-'));
  return {
    /** A key file of `member`, whose current key derives from `label` (rotated keys differ). */
    file(member, label = member) {
      const path = join(dir, `${member.replace('/', '_')}.json`);
      writeFileSync(path, JSON.stringify(keyFileFromSeed(seedOf(label), member), null, 2));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Waits for finite animations only (a spinner turns for ever), never longer than 3 s. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(`Promise.race([
    Promise.allSettled(document.getAnimations()
      .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished)),
    new Promise((r) => setTimeout(r, 3000)),
  ])`);
}

export async function noViolations(page: Page, where: string): Promise<void> {
  await settle(page);
  assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
}

/** Signs in on `/staff` by importing a command-made key file and sealing it here. */
export async function importAndSignIn(
  p: OpenPage,
  url: string,
  path: string,
  pass: string,
): Promise<void> {
  await p.page.goto(`${url}/staff`);
  const chooser = p.page.waitForEvent('filechooser');
  await p.page.getByTestId('import-key').click();
  await (await chooser).setFiles(path);
  await p.page.getByTestId('import-passphrase').fill(pass);
  await p.page.getByTestId('import-confirm').fill(pass);
  await p.page.getByTestId('import-seal').click();
  await p.page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
}

/** Moves to `path` within the app, as a link would: a reload would lock the tab. */
export async function moveTo(page: Page, path: string): Promise<void> {
  await page.evaluate(
    `window.history.pushState({}, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`,
  );
}

/**
 * Waits until `locator` matches exactly `n` elements (polled from here: the page's CSP forbids
 * the string evaluation `waitForFunction` would need).
 */
export async function waitForCount(locator: Locator, n: number, timeout = 20_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const count = await locator.count();
    if (count === n) return;
    if (Date.now() > end) assert.fail(`expected ${n} elements, found ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
