/**
 * Builds (once) the cached ledger of LEDGER_TXS enrolments for figures 3 and 4, in-process without
 * HTTP: transactions are signed on worker threads while the main thread commits batches of 2,000
 * through `Ledger.commitBatch`. A marker file records a finished build; a re-run reuses it.
 * Usage: node dist/bench/build.js [--force]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { publicKeyFromSeed } from '../src/core/ed25519.js';
import { txIdOf, type SignedTx } from '../src/chain/tx.js';
import type { AdmittedItem } from '../src/runtime/execute.js';
import { Ledger } from '../src/runtime/ledger.js';
import { fastSha256 } from '../src/runtime/node-hash.js';
import { DEMO_NODE_ORG, demoGenesis } from '../src/node/demo.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import {
  fail,
  finish,
  LEDGER_DIR,
  LEDGER_FORMAT,
  LEDGER_GENESIS_TIME,
  LEDGER_MARKER,
  LEDGER_PATH,
  LEDGER_TXS,
  logger,
  secondsSince,
  SEED,
  readMarker,
  schemaFingerprint,
  type Marker,
} from './common.js';
import { SignPool } from './txgen.js';
import { registry } from '../src/domains/protocols.js';

const BATCH = 2000;
const log = logger('build');

async function build(): Promise<Marker> {
  rmSync(LEDGER_DIR, { recursive: true, force: true });
  mkdirSync(LEDGER_DIR, { recursive: true });
  const genesis = demoGenesis(SEED, LEDGER_GENESIS_TIME);
  const nodeSeed = demoSeed(SEED, `${DEMO_NODE_ORG}/node`);
  const ledger = Ledger.open({
    registry,
    path: LEDGER_PATH,
    genesis,
    identity: { org: DEMO_NODE_ORG, seed: nodeSeed, publicKey: publicKeyFromSeed(nodeSeed) },
  });
  const pool = new SignPool();
  const t0 = process.hrtime.bigint();
  const blocks = Math.ceil(LEDGER_TXS / BATCH);
  const blockTime = (b: number) => LEDGER_GENESIS_TIME + (b + 1) * 1000;
  const request = (b: number) =>
    pool.sign({
      seed: SEED,
      chain: genesis.chain,
      from: b * BATCH,
      count: Math.min(BATCH, LEDGER_TXS - b * BATCH),
      time: blockTime(b),
    });
  // Keep every signing worker busy while the main thread commits.
  const depth = pool.workersCount * 2;
  const inflight: Promise<string[]>[] = [];
  for (let b = 0; b < Math.min(depth, blocks); b++) inflight.push(request(b));
  let commitSecs = 0;
  try {
    for (let b = 0; b < blocks; b++) {
      const texts = await inflight.shift()!;
      if (b + depth < blocks) inflight.push(request(b + depth));
      const tc = process.hrtime.bigint();
      const items: AdmittedItem[] = texts.map((text) => ({
        id: txIdOf(text, fastSha256),
        text,
        tx: JSON.parse(text) as SignedTx,
        private: undefined,
      }));
      const batchId = (b + 1).toString(16).padStart(32, '0');
      const outcomes = ledger.commitBatch(
        { id: batchId, proposer: DEMO_NODE_ORG, time: blockTime(b) },
        items,
      );
      commitSecs += secondsSince(tc);
      const bad = outcomes.find((o) => !o.result.ok || o.duplicate);
      if (bad) throw new Error(`block ${b + 1}: transaction ${bad.id} ${JSON.stringify(bad)}`);
      if ((b + 1) % 50 === 0 || b + 1 === blocks) {
        const done = Math.min(LEDGER_TXS, (b + 1) * BATCH);
        log(
          `${done} txs committed, ${Math.round(done / secondsSince(t0))} tx/s overall, ` +
            `commit alone ${Math.round(done / commitSecs)} tx/s`,
        );
      }
    }
  } finally {
    await pool.close();
  }
  const leaves = ledger.size;
  const height = ledger.height;
  ledger.close();
  const marker: Marker = {
    format: LEDGER_FORMAT,
    schema: schemaFingerprint(),
    txs: LEDGER_TXS,
    blocks: height + 1,
    leaves,
    buildSeconds: secondsSince(t0),
    commitSeconds: commitSecs,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(LEDGER_MARKER, JSON.stringify(marker, null, 2) + '\n');
  log(`built ${LEDGER_PATH}: ${leaves} leaves in ${marker.buildSeconds.toFixed(1)}s`);
  return marker;
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const cached = force ? undefined : readMarker();
  if (cached) {
    log(`reusing ${LEDGER_PATH} (${cached.leaves} leaves, built ${cached.builtAt})`);
    finish({ cached: true, ...cached, path: LEDGER_PATH });
    return;
  }
  const m = await build();
  finish({ cached: false, ...m, path: LEDGER_PATH });
}

main().catch(fail);
