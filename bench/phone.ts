/**
 * Figure 8: the applicant portal on a cheap phone. A node holding the medical-aid demo serves the
 * built web app; Debian's Chromium (playwright-core) opens `/me` as a first visit — empty cache,
 * no stored account — with the CPU slowed six times and the network at 1.6 Mbps down, 750 kbps up
 * and 150 ms round trips (DevTools protocol throttling), on a 360 px screen. It reports the time
 * until the page is interactive (the "Create my account" button enabled and the passphrase field
 * ready to type in) and the bytes the network carried, compressed as sent. Median of `runs`.
 * Usage: node dist/bench/phone.js [runs] [cpu slowdown] [Mbps]  (defaults 3, 6, 1.6: the profile
 * of issue 17; `1 1000` shows what the network alone costs, `6 1000` the CPU alone)
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { canonicalJson } from '../src/core/canonical.js';
import { runAidDemo } from '../src/domains/aid/demo.js';
import { buildServer } from '../src/api/server.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { AidNode } from '../src/node/node.js';
import { fail, finish, logger, median } from './common.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const log = logger('phone');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The profile of issue 17: a slow phone on a slow mobile network. */
const CPU_SLOWDOWN = Number(process.argv[3] ?? 6);
const DOWN_BPS = Number(process.argv[4] ?? 1.6) * 1_000_000;
const UP_BPS = 750_000;
const RTT_MS = 150;
const SEED = 'aidledger-bench-phone';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  if (!existsSync(CHROMIUM)) throw new Error(`needs Chromium at ${CHROMIUM} (or CHROMIUM_PATH)`);
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-bench-phone-'));
  try {
    const genesis = writeDemoDir(dir, SEED, Date.now() - 60_000);
    const setup = await AidNode.open(dir);
    for (const round of demoActivity(SEED, genesis.chain, Date.now()))
      await setup.submit(canonicalJson(round.map((tx) => ({ tx }))), true);
    await runAidDemo(setup, SEED, genesis.chain);
    await setup.close();
    const node = await AidNode.open(dir);
    const app = buildServer(node);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
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
    const times: number[] = [];
    const bytes: number[] = [];
    const scripts: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({
          viewport: { width: 360, height: 740 },
          isMobile: true,
          hasTouch: true,
          deviceScaleFactor: 2,
          locale: 'zh-CN',
        });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        let sent = 0;
        let js = 0;
        const types = new Map<string, string>();
        cdp.on('Network.responseReceived', (e: { requestId: string; type: string }) => {
          types.set(e.requestId, e.type);
        });
        cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
          sent += e.encodedDataLength;
          if (types.get(e.requestId) === 'Script') js += e.encodedDataLength;
        });
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: RTT_MS,
          downloadThroughput: DOWN_BPS / 8,
          uploadThroughput: UP_BPS / 8,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
        const t0 = performance.now();
        await page.goto(`${url}/me`, { waitUntil: 'commit', timeout: 120_000 });
        const create = page.getByRole('button', { name: '创建我的账户' });
        await create.waitFor({ state: 'visible', timeout: 120_000 });
        await page.getByTestId('new-passphrase').waitFor({ state: 'visible', timeout: 120_000 });
        const ms = performance.now() - t0;
        // Whatever is still on its way when the page became usable counts too.
        await page.waitForLoadState('networkidle', { timeout: 120_000 });
        times.push(ms);
        bytes.push(sent);
        scripts.push(js);
        log(
          `run ${i + 1}: interactive in ${(ms / 1000).toFixed(2)} s, ${(sent / 1024).toFixed(0)} KiB sent (${(js / 1024).toFixed(0)} KiB of scripts)`,
        );
        await context.close();
      }
    } finally {
      await browser.close();
      await app.close();
      await node.close();
    }
    finish({
      runs,
      interactiveMs: median(times),
      interactiveMaxMs: Math.max(...times),
      bytes: median(bytes),
      scriptBytes: median(scripts),
      cpuSlowdown: CPU_SLOWDOWN,
      downBps: DOWN_BPS,
      rttMs: RTT_MS,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(fail);
