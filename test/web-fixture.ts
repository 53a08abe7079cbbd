/**
 * Browser-test fixtures from real parts: a node holding the whole medical-aid demo (programs,
 * donations, 201 cases) in a real SQLite file, serving the built web app and its API over real
 * HTTP, and Debian's Chromium driven by playwright-core. Pages record every console error and
 * uncaught exception; `axeViolations` runs axe-core's WCAG 2.1 A/AA rules in the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { canonicalJson } from '../src/core/canonical.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { runAidDemo } from '../src/domains/aid/demo.js';
import { AidNode } from '../src/node/node.js';
import { SEED, startNode, tempDir, type TestNode } from './helpers.js';

/** Debian's Chromium (CI installs the `chromium` package); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type DemoWebNode = TestNode & { cleanupDir(): void };

/** A node with the demo consortium and the whole medical-aid demo, serving the web app. */
export async function startDemoWebNode(): Promise<DemoWebNode> {
  const t = tempDir('aidledger-web-');
  const genesis = writeDemoDir(t.dir, SEED, Date.now() - 60_000);
  const node = await AidNode.open(t.dir);
  for (const round of demoActivity(SEED, genesis.chain, Date.now()))
    await node.submit(canonicalJson(round.map((tx) => ({ tx }))), true);
  await runAidDemo(node, SEED, genesis.chain);
  await node.close();
  const n = await startNode({ dir: t.dir });
  return { ...n, cleanupDir: t.cleanup };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Offline machine: keep Chromium from calling out (see STACK.md).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WebSuite {
  /** The demo web node; read it in a test or a hook, once the suite's `before` has run. */
  readonly node: DemoWebNode;
  readonly browser: Browser;
}

/**
 * Registers a browser suite's hooks: `before` starts a demo web node and Chromium, `after` closes
 * both and removes the node's directory. Call it first in a `describe`, so that the suite's own
 * `before` hooks run after it and may use the node.
 */
export function webSuite(): WebSuite {
  let node: DemoWebNode | undefined;
  let browser: Browser | undefined;
  before(async () => {
    node = await startDemoWebNode();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await node?.close();
    node?.cleanupDir();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined)
      throw new Error('the web suite has not started: read it in a test or hook');
    return v;
  };
  return {
    get node() {
      return started(node);
    },
    get browser() {
      return started(browser);
    },
  };
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/** A fresh browser profile (no storage) at a viewport and browser language. */
export async function openPage(
  browser: Browser,
  opts: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? DESKTOP,
    locale: opts.locale ?? 'en-US',
    ...(opts.viewport === PHONE ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { context, page, errors };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(axeSource);
  // A string, evaluated in the page (the tests are compiled without the DOM's types).
  return page.evaluate(`(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  })()`);
}

/** Text that is visible to a reader (not hidden, not in scripts). */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate('document.body.innerText');
}
