/**
 * What the staff browser tests share: key files of demo members as `aidledger keys new` writes
 * them, signing in by importing one, moving within the app without a reload (a reload locks the
 * tab), waiting for animations before axe runs, axe and the words in three languages, an
 * applicant's sealed account file, and screenshots for the docs (written only when
 * AIDLEDGER_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { keyFileFromSeed } from '../src/runtime/keyfile.js';
import { publicKeyFromSeed, toHex } from '../src/sdk/index.js';
import { seedOf } from './helpers.js';
import { axeViolations, type OpenPage } from './web-fixture.js';
import { readTextIn, textProblems } from './web-text-rules.js';

/** Writes a demo member's key file in `dir`; `label` names the seed (a rotated key's label). */
export function writeKeyFile(dir: string, member: string, label = member): string {
  const path = join(dir, `${member.replace('/', '_')}.json`);
  writeFileSync(path, JSON.stringify(keyFileFromSeed(seedOf(label), member), null, 2));
  return path;
}

/** A folder of key files for demo members; `remove()` when the suite ends. */
export function keyFiles(): { file(member: string, label?: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-web-staff-'));
  return {
    /** A key file of `member`, whose current key derives from `label` (rotated keys differ). */
    file: (member, label = member) => writeKeyFile(dir, member, label),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Waits for finite animations (a spinner turns for ever), never longer than a few seconds. */
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

/** Moves to an address within the app without reloading (which would lock the tab). */
export async function moveTo(page: Page, path: string): Promise<void> {
  await page.evaluate(
    `window.history.pushState({}, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`,
  );
}

const LOCALE_TAG = { 'zh-TW': 'zh-Hant-TW', 'zh-CN': 'zh-Hans-CN', en: 'en' } as const;

/**
 * Waits until the page speaks `locale` and has no read in flight. A signed-in page keeps the
 * events stream open, so "network idle" never comes: wait for the language and the loaders.
 */
export async function inLanguage(page: Page, locale: keyof typeof LOCALE_TAG): Promise<void> {
  await page.locator(`html[lang="${LOCALE_TAG[locale]}"]`).waitFor({ state: 'attached' });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  for (let i = 0; (await page.locator('.mantine-Loader-root').count()) > 0; i++) {
    assert.ok(i < 100, 'the page finished loading within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Each language of the language chooser, ending in English. */
export const LANGUAGES = ['zh-TW', 'zh-CN', 'en'] as const;

const LANG_OF = { 'zh-TW': 'zh-Hant', 'zh-CN': 'zh-Hans', en: 'en' } as const;

/**
 * The page as it is, in each of the three languages: every visible string in that language
 * (no English left on a Chinese page, no other script) within `scope` (the whole page by
 * default), and no axe violation on the whole page.
 */
export async function noViolationsInEveryLanguage(
  page: Page,
  where: string,
  scope = 'body',
): Promise<void> {
  for (const l of LANGUAGES) {
    await page.getByTestId('language').selectOption(l);
    await inLanguage(page, l);
    await noViolations(page, `${where} in ${l}`);
    const found = textProblems((await page.evaluate(readTextIn(scope))) as string[], LANG_OF[l]);
    assert.deepEqual(found, [], `words of ${where} in ${l}`);
  }
}

/**
 * Waits until `check` holds, asking again every 100 ms (the app's CSP forbids the page-side
 * string predicates of `waitForFunction`). @throws when it still fails after `timeoutMs`.
 */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Saves a screenshot for the docs when AIDLEDGER_SCREENSHOTS=1. */
export async function docScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.AIDLEDGER_SCREENSHOTS !== '1') return;
  const dir = join(process.cwd(), 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // From the top, so that the header sticks where it belongs in a full-page picture.
  await page.evaluate('window.scrollTo(0, 0)');
  await settle(page);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * An applicant's account file, sealed as the web app seals one (web/src/lib/sealed-key.ts:
 * PBKDF2-SHA-256 → AES-256-GCM, the format and public key as additional data), with the fewest
 * iterations the app accepts so that the test spends its time elsewhere.
 */
export async function sealedApplicantFile(seed: Uint8Array, passphrase: string): Promise<string> {
  const format = 'aidledger-applicant-key/v1';
  const { subtle } = globalThis.crypto;
  const key = toHex(publicKeyFromSeed(seed));
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const iterations = 100_000;
  const base = await subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  const aes = await subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const data = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`${format}\n${key}`) },
      aes,
      seed,
    ),
  );
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return JSON.stringify({
    format,
    key,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: b64(salt) },
    cipher: { name: 'AES-GCM', iv: b64(iv) },
    data: b64(data),
    created: Date.now(),
  });
}

/** Waits until `locator` matches exactly `n` elements. */
export async function waitForCount(locator: Locator, n: number, timeout = 20_000): Promise<void> {
  await until(async () => (await locator.count()) === n, `${n} elements`, timeout);
}
