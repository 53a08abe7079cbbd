/**
 * Figure 5, case lifecycles: whole cases through a real node, from application to closed. The
 * node runs in its own process (`aidledger start` over a real SQLite file in a temp dir, as in
 * figure 2) and every transaction goes through `POST /v1/txs`, 1,000 submissions a body.
 *
 * Set-up (not timed): the demo members are enrolled, the city bureau publishes a program that
 * approves cases up to 50,000.00 automatically and allocates it the money for every case (in one
 * allocation, so one FIFO lot, per 1,000 cases, or with `--one-lot` all in one), and each
 * applicant registers an account of their own. Then, before the clock starts, each case's
 * application (by its applicant), verification (by its hospital's clerk, with its invoice lines),
 * disbursement, receipt confirmation and closing are signed. Timed: `lanes` groups of 1,000
 * cases at a time each go submit → verify → assess → disburse → confirm → close, one body per
 * stage; the assessment is built in the loop, as a reviewer would: its private part is the
 * case's sources (`GET /v1/cases/:id/sources`, signed in as the reviewer), readable only once the
 * verification committed.
 * That is 6 signed transactions a case; every one must commit ok, and every case must end
 * closed with the program's money paid out (checked in the ledger file once the node stopped).
 * Each case has `lines` invoice lines (5) of 5,000.00 net of insurance. The node's CPU a
 * transaction and peak RSS are read from /proc. At the end the ledger file's size is reported.
 * Set AIDLEDGER_BENCH_SERVER_PROF=<dir> to run the node under --cpu-prof.
 * Usage: node dist/bench/lifecycle.js [cases] [lanes] [lines per case] [--one-lot]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { challengeText } from '../src/chain/auth.js';
import { canonicalJson } from '../src/core/canonical.js';
import { AidQueries } from '../src/domains/aid/model.js';
import { registry } from '../src/domains/protocols.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { Ledger } from '../src/runtime/ledger.js';
import {
  applicantKey,
  DEMO_CHAIN,
  LINE_AMOUNT,
  LINE_INSURED,
  lifecycleCase,
  member,
  post,
  postBatch,
  programSpec,
  signed,
  type LifecycleCase,
  type Signed,
} from './aid.js';
import {
  cpuSeconds,
  fail,
  finish,
  httpCall,
  logger,
  median,
  percentile,
  secondsSince,
  SEED,
  startNodeProcess,
  threadCpuSeconds,
  vmHwmKB,
  type PostResult,
} from './common.js';
import type { NodeProcess } from '../tools/node-process.js';
import { freePort } from '../tools/ports.js';
import { caseIndex } from '../src/domains/aid/projections.js';

const log = logger('lifecycle');
const PER_BODY = 1000;
const PROGRAM = 'bench-assist';
const STAGES = ['submit', 'verify', 'assess', 'disburse', 'confirm', 'close'] as const;
type Stage = (typeof STAGES)[number];

interface Case extends LifecycleCase {
  i: number;
}

async function main(): Promise<Record<string, unknown>> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const oneLot = process.argv.includes('--one-lot');
  const n = Number(args[0] ?? 12_000);
  const lanes = Number(args[1] ?? 3);
  const lines = Number(args[2] ?? 5);
  const perCase = BigInt(lines) * (LINE_AMOUNT - LINE_INSURED);
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-bench-lifecycle-'));
  let server: NodeProcess | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: lanes + 1 });
  try {
    writeDemoDir(dir, SEED, Date.now() - 1000);
    // The set-up registers every applicant's account from this one address, 1,000 a body: far
    // past the spam limits a public node keeps.
    const configPath = join(dir, 'node.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    config.spamLimits = {
      registrationsPerRequest: PER_BODY,
      registrationsPerAddressPerHour: 1_000_000,
      registrationsPerDay: 1_000_000,
    };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const port = await freePort();
    server = await startNodeProcess('lifecycle', dir, port);
    log(`node pid ${server.pid} on port ${port}, ${dir}`);

    // ---- set-up, not timed --------------------------------------------------------------
    const tSetup = process.hrtime.bigint();
    const must = async (what: string, subs: Signed[] | string) => {
      if (typeof subs === 'string') {
        const r = await post(agent, port, '/v1/txs', subs);
        if (r.status !== 200 || r.text.includes('"ok":false'))
          throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
        return;
      }
      const r = await postBatch(agent, port, subs);
      if (r.failure) throw new Error(`${what}: ${r.failure}`);
    };
    const enrol = demoActivity(SEED, DEMO_CHAIN, Date.now())[0]!;
    await must('enrolment', canonicalJson(enrol.map((tx) => ({ tx }))));
    const now = Date.now();
    const budget = BigInt(n) * perCase;
    await must('program', [
      signed(
        member('city-bureau/manager-1'),
        'programs.publish',
        programSpec(PROGRAM, budget),
        'publish-1',
        now,
      ),
    ]);
    // The program's money: one allocation for all the cases (`--one-lot`), or by default one
    // allocation (so one FIFO lot) per 1,000 cases, as a monthly budget tranche would be.
    const lots = oneLot ? 1 : Math.ceil(n / PER_BODY);
    await must(
      'allocation',
      Array.from({ length: lots }, (_, l) =>
        signed(
          member('city-bureau/finance-1'),
          'funds.allocate',
          {
            program: PROGRAM,
            amount: (oneLot
              ? budget
              : BigInt(Math.min(PER_BODY, n - l * PER_BODY)) * perCase
            ).toString(),
          },
          `allocate-${l}`,
          now,
          { reference: `BUDGET-2026-${l + 1}` },
        ),
      ),
    );
    const applicants = Array.from({ length: n }, (_, i) => applicantKey(i));
    const registrations = applicants.map((k, i) =>
      signed(k, 'accounts.register', { lang: 'zh-Hans' }, `register-${i}`, now),
    );
    for (let at = 0; at < n; at += PER_BODY * lanes)
      await Promise.all(
        Array.from({ length: lanes }, (_, l) => at + l * PER_BODY)
          .filter((from) => from < n)
          .map((from) => must('registration', registrations.slice(from, from + PER_BODY))),
      );
    log(`set-up: members, program, ${n} applicant accounts in ${secondsSince(tSetup).toFixed(1)}s`);

    // ---- everything but the assessments is signed before the clock starts ------------------
    const tSign = process.hrtime.bigint();
    const signedAt = Date.now();
    const reviewer = member('city-bureau/reviewer-1');
    const cases: Case[] = applicants.map((k, i) => ({
      i,
      ...lifecycleCase(PROGRAM, i, k, lines, signedAt),
    }));
    registrations.length = 0;
    log(`${5 * n} transactions signed in ${secondsSince(tSign).toFixed(1)}s`);
    (globalThis as { gc?: () => void }).gc?.();

    // The reviewer reads each case's sources as a signed-in member.
    const sources = await signIn(agent, port, reviewer);
    const sourcesOf = async (id: string) => {
      const r = await sources(`/v1/cases/${id}/sources`);
      if (r.status !== 200) throw new Error(`sources of ${id}: HTTP ${r.status} ${r.text}`);
      return JSON.parse(r.text) as Record<string, unknown>;
    };

    // ---- timed: groups of 1,000 cases, `lanes` at a time, stage after stage -----------------
    const groups: Case[][] = [];
    for (let at = 0; at < n; at += PER_BODY) groups.push(cases.slice(at, at + PER_BODY));
    const stageMs = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
    const groupDone: number[] = [];
    let ok = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    let assessBuild = 0;
    let nextGroup = 0;
    const cpu0 = cpuSeconds(server.pid);
    const threads0 = threadCpuSeconds(server.pid);
    // The load generator shares the machine's cores with the node: its own CPU is reported too.
    const ownCpu0 = process.cpuUsage();
    const wall0 = Date.now();
    const t0 = process.hrtime.bigint();
    const stage = async (s: Stage, subs: Signed[]) => {
      const ts = process.hrtime.bigint();
      const r = await postBatch(agent, port, subs);
      stageMs.get(s)!.push(secondsSince(ts) * 1000);
      ok += r.ok;
      failed += subs.length - r.ok;
      if (r.failure) firstFailure ??= `${s}: ${r.failure}`;
    };
    const lane = async () => {
      for (;;) {
        const g = groups[nextGroup++];
        if (!g) return;
        await stage(
          'submit',
          g.map((c) => c.submit),
        );
        await stage(
          'verify',
          g.map((c) => c.verify),
        );
        const tb = process.hrtime.bigint();
        const facts = await Promise.all(g.map((c) => sourcesOf(c.submit.id)));
        const time = Date.now();
        const assess = g.map((c, k) =>
          signed(reviewer, 'cases.assess', { case: c.submit.id }, `assess-${c.i}`, time, facts[k]),
        );
        assessBuild += secondsSince(tb);
        await stage('assess', assess);
        await stage(
          'disburse',
          g.map((c) => c.disburse),
        );
        await stage(
          'confirm',
          g.map((c) => c.confirm),
        );
        await stage(
          'close',
          g.map((c) => c.close),
        );
        groupDone.push(secondsSince(t0));
        log(
          `${groupDone.length * PER_BODY} cases closed, ` +
            `${Math.round((groupDone.length * PER_BODY) / secondsSince(t0))} lifecycles/s so far`,
        );
      }
    };
    await Promise.all(Array.from({ length: lanes }, () => lane()));
    const seconds = secondsSince(t0);
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const threads1 = threadCpuSeconds(server.pid);
    const ownCpu = process.cpuUsage(ownCpu0);
    const loadCores = (ownCpu.user + ownCpu.system) / 1e6 / seconds;
    const serverMaxRssKB = vmHwmKB(server.pid);
    await server.stop(15_000);

    // ---- checks, not timed: in the ledger file the node left ---------------------------------
    const ledger = Ledger.open({ path: join(dir, 'ledger.sqlite'), registry, readonly: true });
    const queries = new AidQueries(ledger);
    const states = caseIndex(ledger).countByState(PROGRAM);
    const paid = BigInt(queries.publicProgram(queries.programRecord(PROGRAM)).paid);
    if (states.closed !== n)
      firstFailure ??= `cases by state at the end: ${JSON.stringify(states)}`;
    if (paid !== BigInt(n) * perCase)
      firstFailure ??= `program paid ${paid}, expected ${BigInt(n) * perCase}`;
    const db = ledger.db;
    // Blocks are cut at the proposer's clock: those of the timed part.
    const blocks = db
      .prepare<[number], number>('SELECT count(*) FROM blocks WHERE time >= ?')
      .pluck()
      .get(wall0)!;
    const fileBytes = statSync(join(dir, 'ledger.sqlite')).size;
    ledger.close();

    const txs = 6 * n;
    const serverCores = serverCpu / seconds;
    // The node's main thread executes and writes every block: the share of the wall time it was
    // busy says whether it, rather than the cores, bounds the figure.
    const mainThreadCores = (threads1.main - threads0.main) / seconds;
    const otherThreadCores = (threads1.others - threads0.others) / seconds;
    const serverCpuUsPerTx = ok > 0 ? (serverCpu * 1e6) / ok : NaN;
    const lifecyclesPerSec = n / seconds;
    const txPerSec = ok / seconds;
    // Lifecycles/s of the first and of the last `lanes` groups, which run side by side: shows a
    // slowdown as the ledger (or a lot) grows.
    const k = Math.min(lanes, Math.floor(groupDone.length / 2));
    const last = groupDone.length - 1;
    const firstRound = k > 0 ? (k * PER_BODY) / groupDone[k - 1]! : NaN;
    const lastRound = k > 0 ? (k * PER_BODY) / (groupDone[last]! - groupDone[last - k]!) : NaN;
    const stages = Object.fromEntries(
      STAGES.map((s) => [
        s,
        { medianMs: median(stageMs.get(s)!), p90Ms: percentile(stageMs.get(s)!, 0.9) },
      ]),
    );
    log(
      `${n} cases (${txs} txs, ${ok} ok, ${failed} failed) in ${seconds.toFixed(2)}s = ` +
        `${lifecyclesPerSec.toFixed(0)} lifecycles/s, ${txPerSec.toFixed(0)} tx/s, ${blocks} blocks; ` +
        `first ${k * PER_BODY} cases ${firstRound.toFixed(0)}/s, last ${k * PER_BODY} ${lastRound.toFixed(0)}/s; ` +
        `reading the sources and signing the assessments took ${assessBuild.toFixed(2)}s; ` +
        `node VmHWM ${(serverMaxRssKB / 1024).toFixed(0)} MB, used ${serverCores.toFixed(2)} cores ` +
        `(${serverCpuUsPerTx.toFixed(0)} µs of CPU a transaction): its main thread ${mainThreadCores.toFixed(2)}, ` +
        `its other threads ${otherThreadCores.toFixed(2)}; the load generator used ${loadCores.toFixed(2)} cores`,
    );
    log(
      `stage body latency median (p90), ms: ` +
        STAGES.map(
          (s) => `${s} ${stages[s]!.medianMs.toFixed(0)} (${stages[s]!.p90Ms.toFixed(0)})`,
        ).join(', '),
    );
    log(`ledger file ${(fileBytes / 1e6).toFixed(0)} MB`);
    if (firstFailure) log(`first failure: ${firstFailure}`);
    return {
      cases: n,
      lanes,
      lines,
      txs,
      ok,
      failed,
      firstFailure,
      seconds,
      lifecyclesPerSec,
      txPerSec,
      oneLot,
      lots,
      roundCases: k * PER_BODY,
      firstRoundPerSec: firstRound,
      lastRoundPerSec: lastRound,
      assessBuildSeconds: assessBuild,
      serverMaxRssKB,
      serverCores,
      serverCpuUsPerTx,
      mainThreadCores,
      otherThreadCores,
      loadCores,
      blocks,
      stages,
      ledgerBytes: fileBytes,
    };
  } finally {
    agent.destroy();
    if (server) await server.stop(15_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Signs `who` in (challenge, signature, token) and returns a GET that carries the token.
 * @throws Error when the node refuses.
 */
async function signIn(
  agent: Agent,
  port: number,
  who: { pub: string; sign: (m: Uint8Array) => Uint8Array },
): Promise<(path: string) => Promise<PostResult>> {
  const call = async (path: string, body: unknown) => {
    const r = await httpCall(agent, port, 'POST', path, JSON.stringify(body));
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status} ${r.text}`);
    return JSON.parse(r.text) as Record<string, string>;
  };
  const { challenge } = await call('/v1/auth/challenge', { key: who.pub });
  const sig = Buffer.from(who.sign(Buffer.from(challengeText(DEMO_CHAIN, challenge!)))).toString(
    'hex',
  );
  const { token } = await call('/v1/auth/token', { key: who.pub, challenge, sig });
  return (path) =>
    httpCall(agent, port, 'GET', path, undefined, { authorization: `Bearer ${token}` });
}

main().then(finish, fail);
