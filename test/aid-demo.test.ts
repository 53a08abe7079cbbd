/**
 * The demo consortium's medical aid as `aidledger init --demo` (and so `npm start`) writes it: the
 * compiled CLI in a child process, then the node it wrote served over real HTTP, and a second run
 * in this process from the same seed. Every case state, double claims reduced and refused, both
 * rule versions, money that adds up, and the same outcomes from the same seed.
 */
import { documentsDemo } from '../src/domains/documents/demo.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../src/core/canonical.js';
import { parseNationalId } from '../src/core/national-id.js';
import { CASE_STATES, type CaseRecord } from '../src/domains/aid/contracts/case-record.js';
import type { AllocationRecord } from '../src/domains/aid/contracts/donations.js';
import { AidQueries } from '../src/domains/aid/model.js';
import type { Ledger } from '../src/runtime/ledger.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { CITY_PROGRAM, runAidDemo, type AidDemoSummary } from '../src/domains/aid/demo.js';
import { AidNode } from '../src/node/node.js';
import { get, startNode, tempDir, type TestNode } from './helpers.js';
import { caseIndex } from '../src/domains/aid/projections.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_SEED = 'aid-demo-test';

function init(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'init', '--dir', dir, '--demo', '--seed', DEMO_SEED],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every transaction of the log with its type and result, in log order. */
function logTxs(ledger: Ledger) {
  const out: { id: string; type: string; code: string | undefined }[] = [];
  for (let from = 0; from <= ledger.height; from += 100)
    for (const b of ledger.blocks(from, 100))
      for (const t of ledger.blockTxs(b.height))
        out.push({ id: t.id, type: t.type, code: t.result.ok ? undefined : t.result.code });
  return out;
}

const refusalCodes = (ledger: Ledger) =>
  logTxs(ledger)
    .flatMap((t) => (t.code === undefined ? [] : [t.code]))
    .sort();

const casesOf = (ledger: Ledger) =>
  ledger.stateScan('cases/c/', 100_000).map((r) => JSON.parse(r.value) as CaseRecord);

describe('the medical-aid demo', () => {
  const base = tempDir('aidledger-aid-demo-');
  const cliDir = join(base.dir, 'cli');
  let run: { code: number | null; stdout: string; stderr: string; ms: number };
  let t: TestNode;

  before(async () => {
    const t0 = performance.now();
    const r = await init(cliDir);
    run = { ...r, ms: performance.now() - t0 };
    assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    t = await startNode({ dir: cliDir });
  });
  after(async () => {
    await t?.close();
    base.cleanup();
  });

  it('init --demo prints a summary with every case state and the refusals by code', (ctx) => {
    ctx.diagnostic(`aidledger init --demo took ${Math.round(run.ms)} ms`);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^demo consortium written to .*: \d+ blocks, \d+ log entries$/);
    assert.match(lines[1]!, /^medical aid: 3 programs, \d+ cases, \d+ transactions in \d+ rounds/);
    for (const s of CASE_STATES) assert.match(lines[2]!, new RegExp(`\\b${s} [1-9]\\d*\\b`), s);
    assert.match(lines[3]!, /refusals by code: .*\bDUPLICATE_CLAIM [1-9]/);
    assert.match(lines[3]!, /\bCONFLICT_OF_INTEREST [1-9]/);
    assert.equal(
      lines.filter((l) => l.includes('unexpected')).join('\n'),
      '',
      'every transaction had the outcome the demo meant',
    );
  });

  it('holds at least 190 cases, in every one of the 13 states', () => {
    const counts = caseIndex(t.node.ledger).countByState();
    const total = Object.values(counts).reduce((a, n) => a + n, 0);
    assert.ok(total >= 190, `${total} cases`);
    assert.equal(CASE_STATES.length, 13);
    for (const s of CASE_STATES) assert.ok((counts[s] ?? 0) > 0, `no case is ${s}`);
  });

  it('reduces one double claim and keeps the refused one in the log', async () => {
    const cases = casesOf(t.node.ledger);
    const reduced = cases.filter((c) => c.reducedFrom !== undefined);
    assert.ok(reduced.length >= 1, 'no reduced case');
    for (const c of reduced) assert.ok(BigInt(c.amount!) < BigInt(c.reducedFrom!), c.id);
    const dup = logTxs(t.node.ledger).filter((x) => x.code === 'DUPLICATE_CLAIM');
    assert.ok(dup.length >= 1, 'no DUPLICATE_CLAIM refusal');
    // The refused transaction answers with its outcome, as evidence.
    const r = await get(t.url, `/v1/tx/${dup[0]!.id}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json!.result, { ok: false, code: 'DUPLICATE_CLAIM' });
  });

  it('decided some bureau cases under rules version 1 and others under version 2', () => {
    const versions = new Set(
      casesOf(t.node.ledger)
        .filter((c) => c.program === CITY_PROGRAM && c.decision)
        .map((c) => c.decision!.version),
    );
    assert.deepEqual([...versions].sort(), [1, 2]);
  });

  it('funds waitlisted cases in order as money arrives, and a regulator froze a case', () => {
    const cases = casesOf(t.node.ledger);
    const fundedFromWait = cases.filter((c) => {
      const h = c.history.map((x) => x.state);
      return h.includes('waitlisted') && h[h.indexOf('waitlisted') + 1] === 'funded';
    });
    assert.ok(fundedFromWait.length >= 1, 'no waitlisted case was funded later');
    const order = (c: CaseRecord) => c.history.find((x) => x.state === 'waitlisted')!.time;
    const funded = (c: CaseRecord) => c.history.find((x) => x.state === 'funded')!.time;
    for (const a of fundedFromWait)
      for (const b of fundedFromWait)
        if (a.program === b.program && order(a) < order(b))
          assert.ok(funded(a) <= funded(b), 'funded out of turn');
    const frozen = t.node.ledger.stateScan('audit/freeze/case/', 10);
    assert.ok(frozen.length >= 1, 'no frozen case');
  });

  it('keeps patients out of the log: valid mainland ID numbers and names only in private parts', () => {
    const ledger = t.node.ledger;
    let log = '';
    for (let at = 0; at < ledger.size; at += 1000)
      log += ledger.log
        .leaves(at, Math.min(ledger.size, at + 1000))
        .map((b) => b.toString('utf8'))
        .join('\n');
    const submits = casesOf(ledger).slice(0, 40);
    for (const c of submits) {
      const p = ledger.privatePart(c.id)!.facts as {
        patient: { kind: 'cn'; id: string };
        name: string;
      };
      assert.equal(parseNationalId(p.patient.kind, p.patient.id).value, p.patient.id);
      assert.ok(!log.includes(p.patient.id), 'an ID number is in the log');
      assert.ok(!log.includes(p.name), 'a name is in the log');
    }
  });

  it('conserves money in every program', async () => {
    const ledger = t.node.ledger;
    const q = new AidQueries(ledger);
    const programs = q.publicPrograms();
    assert.equal(programs.length, 3);
    // Money in, from the allocation and donation records rather than the account balances.
    const income = new Map<string, bigint>();
    const add = (p: string, a: string) => income.set(p, (income.get(p) ?? 0n) + BigInt(a));
    for (const r of ledger.stateScan('funds/alloc/', 10_000)) {
      const a = JSON.parse(r.value) as AllocationRecord;
      add(a.program, a.amount);
    }
    for (const d of q.donations(500)) for (const l of d.lots) add(l.program, l.amount);
    // Money out, from the cases.
    const cases = casesOf(ledger);
    const sum = (program: string, states: string[]) =>
      cases
        .filter((c) => c.program === program && states.includes(c.state))
        .reduce((a, c) => a + BigInt(c.amount ?? '0'), 0n);
    let received = 0n;
    let accounted = 0n;
    for (const p of programs) {
      const [r, av, co, pa, re] = [p.received, p.available, p.committed, p.paid, p.returned].map(
        BigInt,
      ) as [bigint, bigint, bigint, bigint, bigint];
      assert.equal(r, income.get(p.id) ?? 0n, `${p.id}: received is what came in`);
      assert.equal(co, sum(p.id, ['funded', 'disbursed']), `${p.id}: committed`);
      assert.equal(pa, sum(p.id, ['confirmed', 'closed']), `${p.id}: paid`);
      assert.ok(av >= 0n && re >= 0n);
      received += r;
      accounted += av + co + pa + re;
    }
    assert.equal(received, accounted);
    assert.ok(
      programs.some((p) => p.returned !== '0'),
      'something was returned',
    );
    // Double entry: all account balances, income accounts included, sum to zero.
    const balances = ledger
      .stateScan('funds/a/', 10_000)
      .reduce((a, r) => a + BigInt(JSON.parse(r.value) as string), 0n);
    assert.equal(balances, 0n);
    // The public view shows the same figures.
    const pub = await get(t.url, '/v1/public/programs');
    assert.equal(pub.status, 200, pub.text);
    const shown = (pub.json as { programs: Record<string, string>[] }).programs;
    for (const p of programs) {
      const s = shown.find((x) => x.id === p.id)!;
      assert.deepEqual(
        [s.received, s.available, s.committed, s.paid],
        [(BigInt(p.received!) - BigInt(p.returned!)).toString(), p.available, p.committed, p.paid],
      );
      // From the public figures alone, the money reconciles.
      assert.equal(
        BigInt(s.received!),
        BigInt(s.available!) + BigInt(s.committed!) + BigInt(s.paid!),
      );
    }
  });

  it('gives the same outcomes from the same seed: cases per state, refusals by code', async () => {
    const dir = join(base.dir, 'again');
    const genesis = writeDemoDir(dir, DEMO_SEED, Date.now());
    const node = await AidNode.open(dir);
    let summary: AidDemoSummary;
    try {
      for (const round of demoActivity(DEMO_SEED, genesis.chain, Date.now()))
        await node.submit(canonicalJson(round.map((tx) => ({ tx }))), true);
      summary = await runAidDemo(node, DEMO_SEED, genesis.chain);
      assert.deepEqual(summary.surprises, []);
      // The parts after the medical aid's, as the demo runs them: documents.
      await documentsDemo.run(node, { seed: DEMO_SEED, chain: genesis.chain, staff: [] });
      assert.deepEqual(
        caseIndex(node.ledger).countByState(),
        caseIndex(t.node.ledger).countByState(),
      );
      assert.deepEqual(refusalCodes(node.ledger), refusalCodes(t.node.ledger));
      assert.equal(logTxs(node.ledger).length, logTxs(t.node.ledger).length);
      const amounts = (l: Ledger) =>
        casesOf(l)
          .map((c) => `${c.program} ${c.state} ${c.amount ?? '-'} ${c.reducedFrom ?? '-'}`)
          .sort();
      assert.deepEqual(amounts(node.ledger), amounts(t.node.ledger));
    } finally {
      await node.close();
    }
  });
});
