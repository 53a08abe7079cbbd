/**
 * Writes the screenshots of the main pages shown in the README: each page at desktop and phone
 * size, in 繁體中文 and English, from a node holding the whole demo. Run with
 * `npm run screenshots` (it builds first); the images land in docs/screenshots/. Kept out of
 * test/: `node --test dist/test/` runs every file there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP, PHONE, launchBrowser, openPage, startDemoWebNode } from '../test/web-fixture.js';

interface Shot {
  name: string;
  /** The path to open, given the node's URL (some pages need an id from the API first). */
  path: (url: string) => Promise<string>;
  /** What to wait for before taking the picture. */
  ready: string;
}

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

const firstDonation = async (url: string) =>
  (await json<{ donations: { id: string }[] }>(`${url}/v1/public/donations?limit=50`)).donations[0]!
    .id;

const SHOTS: Shot[] = [
  { name: 'portal', path: async () => '/', ready: 'main h1' },
  {
    name: 'program',
    path: async (url) =>
      `/programs/${(await json<{ programs: { id: string }[] }>(`${url}/v1/public/programs`)).programs[0]!.id}`,
    ready: 'main h1',
  },
  {
    name: 'donation-trace',
    path: async (url) => `/donations/${await firstDonation(url)}`,
    ready: 'main h1',
  },
  { name: 'explorer', path: async () => '/explorer', ready: 'main h1' },
  {
    name: 'verify',
    path: async (url) => `/verify/${await firstDonation(url)}`,
    ready: '[data-testid="verdict"]',
  },
  { name: 'apply', path: async () => '/me', ready: 'main h1' },
];

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const node = await startDemoWebNode();
  const browser = await launchBrowser();
  try {
    for (const shot of SHOTS) {
      const path = await shot.path(node.url);
      for (const [device, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        for (const [lang, locale] of [
          ['zh-Hant', 'zh-TW'],
          ['en', 'en-US'],
        ] as const) {
          const { page, context, errors } = await openPage(browser, { viewport, locale });
          await page.goto(node.url + path);
          await page.locator(shot.ready).first().waitFor({ timeout: 15_000 });
          await page.waitForLoadState('networkidle');
          const file = join(OUT, `${shot.name}-${device}-${lang}.png`);
          await page.screenshot({ path: file, fullPage: device === 'desktop' });
          if (errors.length) throw new Error(`${shot.name}: ${errors.join('; ')}`);
          await context.close();
          console.log(file);
        }
      }
    }
  } finally {
    await browser.close();
    await node.close();
    node.cleanupDir();
  }
}

await main();
