/**
 * Builds (once) the cached claims ledger of figure 6: a ledger whose state holds CLAIMS_LINES
 * recorded invoice lines (`claims/line/<fp>`), written by real transactions. In-process without
 * HTTP, like build.ts: blocks go straight to `Ledger.commitBatch` (signatures are real but not
 * checked, as admission would). The demo members are enrolled, the city bureau publishes a
 * program and allocates its money (a lot per 100 cases), then each case is registered by its
 * applicant and submitted, verified by its hospital with CLAIMS_LINES_PER_CASE invoice lines,
 * and assessed, approved automatically and funded, which claims all of its lines. 500 cases a
 * block per stage. A marker file records a finished build; a re-run reuses it.
 * Usage: node dist/bench/claims-build.js [--force]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { txIdOf, type SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { publicKeyFromSeed } from '../src/core/ed25519.js';
import type { AdmittedItem } from '../src/runtime/execute.js';
import { Ledger } from '../src/runtime/ledger.js';
import { fastSha256 } from '../src/runtime/node-hash.js';
import { demoActivity, DEMO_CHAIN, DEMO_NODE_ORG, demoGenesis } from '../src/node/demo.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import {
  admitted,
  applicantKey,
  benchSecrets,
  CLAIMS_LINES_PER_CASE,
  CLAIMS_PROGRAM,
  claimsCaseLines,
  claimsHospital,
  cnId,
  member,
  programSpec,
  signed,
  type Signed,
} from './aid.js';
import {
  CLAIMS_DIR,
  CLAIMS_FORMAT,
  CLAIMS_LINES,
  CLAIMS_MARKER,
  CLAIMS_PATH,
  codeFingerprint,
  fail,
  finish,
  LEDGER_GENESIS_TIME,
  logger,
  readClaimsMarker,
  schemaFingerprint,
  secondsSince,
  SEED,
  type ClaimsMarker,
} from './common.js';
import { registry } from '../src/domains/protocols.js';

const log = logger('claims-build');
/** Cases per block (per stage). */
const PER_BLOCK = 500;
/** Cases a lot of the program's money funds. */
const PER_LOT = 100;

async function build(): Promise<ClaimsMarker> {
  rmSync(CLAIMS_DIR, { recursive: true, force: true });
  mkdirSync(CLAIMS_DIR, { recursive: true });
  // Taken first: the code that writes the state is the code loaded now.
  const schema = schemaFingerprint();
  const code = codeFingerprint();
  const cases = Math.ceil(CLAIMS_LINES / CLAIMS_LINES_PER_CASE);
  const genesis = demoGenesis(SEED, LEDGER_GENESIS_TIME);
  const nodeSeed = demoSeed(SEED, `${DEMO_NODE_ORG}/node`);
  const ledger = Ledger.open({
    registry,
    path: CLAIMS_PATH,
    genesis,
    identity: { org: DEMO_NODE_ORG, seed: nodeSeed, publicKey: publicKeyFromSeed(nodeSeed) },
    secrets: benchSecrets(),
  });
  const t0 = process.hrtime.bigint();
  let blocks = 0;
  let txs = 0;
  let time = LEDGER_GENESIS_TIME;
  let recorded = 0;
  const commit = (items: AdmittedItem[]) => {
    blocks++;
    txs += items.length;
    const batchId = blocks.toString(16).padStart(32, '0');
    const outcomes = ledger.commitBatch({ id: batchId, proposer: DEMO_NODE_ORG, time }, items);
    const bad = outcomes.find((o) => !o.result.ok || o.duplicate);
    if (bad) throw new Error(`block ${blocks}: transaction ${bad.id} ${JSON.stringify(bad)}`);
  };
  try {
    time += 1000;
    commit(
      demoActivity(SEED, DEMO_CHAIN, time)[0]!.map((tx: SignedTx) => {
        const text = canonicalJson(tx);
        return { id: txIdOf(text, fastSha256), text, tx, private: undefined };
      }),
    );
    time += 1000;
    const perLot = BigInt(PER_LOT * CLAIMS_LINES_PER_CASE) * 20_000n;
    const lots = Math.ceil(cases / PER_LOT);
    const finance = member('city-bureau/finance-1');
    commit(
      [
        signed(
          member('city-bureau/manager-1'),
          'programs.publish',
          programSpec(CLAIMS_PROGRAM, BigInt(lots) * perLot),
          'publish-1',
          time,
        ),
        ...Array.from({ length: lots }, (_, l) =>
          signed(
            finance,
            'funds.allocate',
            { program: CLAIMS_PROGRAM, amount: perLot.toString() },
            `allocate-${l}`,
            time,
            { reference: `BUDGET-${l + 1}` },
          ),
        ),
      ].map(admitted),
    );

    const reviewer = member('city-bureau/reviewer-1');
    for (let from = 0; from < cases; from += PER_BLOCK) {
      const to = Math.min(cases, from + PER_BLOCK);
      time += 1000;
      const opened: Signed[] = [];
      const submits: Signed[] = [];
      for (let c = from; c < to; c++) {
        const k = applicantKey(c);
        opened.push(signed(k, 'accounts.register', { lang: 'zh-Hans' }, `register-${c}`, time));
        submits.push(
          signed(
            k,
            'cases.submit',
            { program: CLAIMS_PROGRAM, hospital: claimsHospital(c) },
            `submit-${c}`,
            time,
            {
              patient: { kind: 'cn', id: cnId(c) },
              declared: { householdIncomePerCapita: '1800000', householdSize: 3 },
            },
          ),
        );
      }
      commit([...opened, ...submits].map(admitted));
      time += 1000;
      const verifies = submits.map((s, j) =>
        signed(
          member(`${claimsHospital(from + j)}/clerk-1`),
          'cases.verify',
          { case: s.id },
          `verify-${from + j}`,
          time,
          {
            patient: { kind: 'cn', id: cnId(from + j) },
            diagnoses: ['C91.0'],
            lines: claimsCaseLines(from + j),
          },
        ),
      );
      commit(verifies.map(admitted));
      time += 1000;
      commit(
        submits
          .map((s, j) =>
            signed(reviewer, 'cases.assess', { case: s.id }, `assess-${from + j}`, time, {
              sources: [s, verifies[j]!].map((x) => ({ tx: x.id, ...x.private! })),
            }),
          )
          .map(admitted),
      );
      if ((to / PER_BLOCK) % 4 === 0 || to === cases) {
        const s = secondsSince(t0);
        log(
          `${to * CLAIMS_LINES_PER_CASE} lines (${to} cases) recorded, ` +
            `${Math.round((to * CLAIMS_LINES_PER_CASE) / s)} lines/s, ${Math.round(txs / s)} tx/s`,
        );
      }
    }
    recorded = ledger.db
      .prepare<[], number>(
        "SELECT count(*) FROM state WHERE key >= 'claims/line/' AND key < 'claims/line0'",
      )
      .pluck()
      .get()!;
    if (recorded !== cases * CLAIMS_LINES_PER_CASE)
      throw new Error(`${recorded} lines recorded, ${cases * CLAIMS_LINES_PER_CASE} expected`);
  } finally {
    ledger.close();
  }
  const marker: ClaimsMarker = {
    format: CLAIMS_FORMAT,
    schema,
    code,
    lines: CLAIMS_LINES,
    recordedLines: recorded,
    cases,
    linesPerCase: CLAIMS_LINES_PER_CASE,
    txs,
    blocks,
    buildSeconds: secondsSince(t0),
    builtAt: new Date().toISOString(),
  };
  writeFileSync(CLAIMS_MARKER, JSON.stringify(marker, null, 2) + '\n');
  log(`built ${CLAIMS_PATH}: ${cases} cases, ${txs} txs in ${marker.buildSeconds.toFixed(1)}s`);
  return marker;
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const cached = force ? undefined : readClaimsMarker();
  if (cached) {
    log(`reusing ${CLAIMS_PATH} (${cached.lines} lines, built ${cached.builtAt})`);
    finish({ cached: true, ...cached, path: CLAIMS_PATH });
    return;
  }
  const m = await build();
  finish({ cached: false, ...m, path: CLAIMS_PATH });
}

main().catch(fail);
