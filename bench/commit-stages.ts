/**
 * The lifecycle's blocks without HTTP, signature workers or a second process: each stage of
 * 1,000 cases (the cases of figure 5, `lifecycleCase`) is checked and admitted untimed, then
 * committed as one block straight into `Ledger.commitBatch` over a real SQLite file, timed. Prints
 * the wall and CPU time a transaction of each stage: what the node's main thread spends executing
 * and writing a block, apart from everything else, and steady enough to compare two builds by
 * running each build's copy of this file in turn. Not a figure of `npm run bench`.
 * Usage: node dist/bench/commit-stages.js [cases]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../src/core/canonical.js';
import { AidQueries } from '../src/domains/aid/model.js';
import { registry } from '../src/domains/protocols.js';
import { DEMO_CHAIN, demoActivity, demoGenesis } from '../src/node/demo.js';
import { admittedOf, checkText, DEFAULT_LIMITS } from '../src/runtime/admission.js';
import { Ledger } from '../src/runtime/ledger.js';
import {
  applicantKey,
  benchSecrets,
  LINE_AMOUNT,
  LINE_INSURED,
  lifecycleCase,
  member,
  programSpec,
  signed,
} from './aid.js';
import { fail, finish, logger, SEED } from './common.js';

const log = logger('commit-stages');
const PROGRAM = 'bench-stages';
const STAGES = ['submit', 'verify', 'assess', 'disburse', 'confirm', 'close'] as const;
const PER_BLOCK = 1000;

function main(): Record<string, unknown> {
  const n = Number(process.argv[2] ?? 3000);
  const lines = 5;
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-bench-stages-'));
  const now = Date.now();
  const ledger = Ledger.open({
    path: join(dir, 'ledger.sqlite'),
    genesis: demoGenesis(SEED, now - 1000),
    registry,
    secrets: benchSecrets(),
  });
  try {
    let batches = 0;
    /** Checks and admits `texts` (untimed), commits them as one block; its wall and CPU µs. */
    const commit = (what: string, texts: string[]) => {
      const protocol = ledger.nextProtocol();
      const ctx = { chain: DEMO_CHAIN, version: protocol.version, now, limits: DEFAULT_LIMITS };
      const items = texts.map((text) => {
        const c = checkText(text, ctx, protocol);
        if (!c.ok) throw new Error(`${what}: ${c.code} ${c.message}`);
        const checked = { ...c, txText: canonicalJson(c.sub.tx), itemText: text };
        return admittedOf(c.sub, checked, protocol.version);
      });
      const batch = { id: String(batches++).padStart(32, '0'), proposer: 'bench', time: now };
      const t0 = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const out = ledger.commitBatch(batch, items);
      const wall = Number(process.hrtime.bigint() - t0) / 1e3;
      const cpu = process.cpuUsage(cpu0);
      const refused = out.find((o) => !o.result.ok);
      if (refused) throw new Error(`${what}: ${JSON.stringify(refused.result)}`);
      return { wall, cpu: cpu.user + cpu.system, txs: items.length };
    };
    const perCase = BigInt(lines) * (LINE_AMOUNT - LINE_INSURED);
    commit(
      'enrolment',
      demoActivity(SEED, DEMO_CHAIN, now)[0]!.map((tx) => canonicalJson({ tx })),
    );
    const budget = (BigInt(n) * perCase).toString();
    const manager = member('city-bureau/manager-1');
    commit('program', [
      signed(manager, 'programs.publish', programSpec(PROGRAM, BigInt(budget)), 'pub', now).text,
    ]);
    const finance = member('city-bureau/finance-1');
    const allocation = { program: PROGRAM, amount: budget };
    commit('allocation', [
      signed(finance, 'funds.allocate', allocation, 'al', now, { reference: 'B-1' }).text,
    ]);
    const keys = Array.from({ length: n }, (_, i) => applicantKey(i));
    for (let at = 0; at < n; at += PER_BLOCK)
      commit(
        'registration',
        keys
          .slice(at, at + PER_BLOCK)
          .map((k, j) => signed(k, 'accounts.register', { lang: 'en' }, `r-${at + j}`, now).text),
      );
    const reviewer = member('city-bureau/reviewer-1');
    const queries = new AidQueries(ledger);
    const totals = new Map(STAGES.map((s) => [s, { wall: 0, cpu: 0, txs: 0 }]));
    const add = (s: (typeof STAGES)[number], r: { wall: number; cpu: number; txs: number }) => {
      const t = totals.get(s)!;
      t.wall += r.wall;
      t.cpu += r.cpu;
      t.txs += r.txs;
    };
    for (let at = 0; at < n; at += PER_BLOCK) {
      const group = keys
        .slice(at, at + PER_BLOCK)
        .map((k, j) => ({ i: at + j, ...lifecycleCase(PROGRAM, at + j, k, lines, now) }));
      add(
        'submit',
        commit(
          'submit',
          group.map((c) => c.submit.text),
        ),
      );
      add(
        'verify',
        commit(
          'verify',
          group.map((c) => c.verify.text),
        ),
      );
      const assess = group.map((c) => {
        const sources = queries.assessmentSources(c.submit.id);
        return signed(reviewer, 'cases.assess', { case: c.submit.id }, `a-${c.i}`, now, sources)
          .text;
      });
      add('assess', commit('assess', assess));
      for (const s of ['disburse', 'confirm', 'close'] as const)
        add(
          s,
          commit(
            s,
            group.map((c) => c[s].text),
          ),
        );
    }
    let wall = 0;
    let cpu = 0;
    let txs = 0;
    const stages: Record<string, { wallUs: number; cpuUs: number }> = {};
    for (const [s, t] of totals) {
      wall += t.wall;
      cpu += t.cpu;
      txs += t.txs;
      stages[s] = { wallUs: t.wall / t.txs, cpuUs: t.cpu / t.txs };
      log(
        `${s.padEnd(8)} ${(t.wall / t.txs).toFixed(0)} µs wall, ${(t.cpu / t.txs).toFixed(0)} µs CPU a transaction`,
      );
    }
    const fileBytes = statSync(join(dir, 'ledger.sqlite')).size;
    log(
      `all ${txs} txs: ${(wall / txs).toFixed(0)} µs wall, ${(cpu / txs).toFixed(0)} µs CPU a transaction; ` +
        `ledger file ${(fileBytes / 1e6).toFixed(0)} MB`,
    );
    return { cases: n, txs, wallUsPerTx: wall / txs, cpuUsPerTx: cpu / txs, stages, fileBytes };
  } finally {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  finish(main());
} catch (e) {
  fail(e);
}
