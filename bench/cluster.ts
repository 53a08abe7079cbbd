/**
 * Figure 7, the consortium on this one machine: a real three-member etcd cluster on loopback and
 * three `aidledger start` child processes ordered by it (checkpoint quorum 2 of 3), as in the
 * cluster tests.
 *
 * Throughput: N pre-signed enrolments (signed before the clock starts) go through `POST /v1/txs`
 * of all three nodes at once, 1,000 a body, two connections a node. Timed from the first send
 * until the last node has applied the last transaction: every response names the block its
 * transactions committed in, and the clock stops when every node's height has reached the
 * highest of them. Each node verifies every signature (the proposer at admission, the others
 * when they apply the batch), so three nodes on two cores approach two thirds of the bound.
 *
 * Latency, under a separate light load (so it is not queueing): one transaction every 20 ms,
 * to the nodes in turn, through `POST /v1/tx`; from its send until the submitting node serves a
 * checkpoint covering its log index that `verifyCheckpoint` (src/chain/policy.ts) accepts with
 * the policy's quorum of signers. One poller a node fetches `/v1/log/checkpoint` back to back
 * and verifies a note only when it would settle a pending transaction.
 *
 * The bound (Ed25519 verifications/s on one core) is measured here too, before the cluster
 * starts, so a run of this file alone reports its ratio; bench/run.ts uses the bound of its run.
 * Usage: node dist/bench/cluster.js [transactions] [latency seconds]
 * Set AIDLEDGER_BENCH_SERVER_PROF=<dir> to run the nodes under --cpu-prof.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCheckpoint, type Policy } from '../src/chain/policy.js';
import type { SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { verifyHex } from '../src/runtime/node-ed25519.js';
import { writeDemoConsortium } from '../src/node/demo.js';
import type { NodeProcess } from '../tools/node-process.js';
import { startEtcdCluster, type EtcdCluster } from '../tools/etcd.js';
import {
  fail,
  finish,
  httpCall,
  logger,
  median,
  percentile,
  secondsSince,
  SEED,
  startNodeProcess,
  vmHwmKB,
  cpuSeconds,
} from './common.js';
import { admins, DEMO_CHAIN, SignPool, signEnrol } from './txgen.js';
import { freePort } from '../tools/ports.js';

const log = logger('cluster');
const ORGS = ['city-bureau', 'hope-foundation', 'general-hospital'] as const;
const PER_BODY = 1000;
const CONNECTIONS_PER_NODE = 2;
const LATENCY_INTERVAL_MS = 20;

interface Server {
  org: string;
  child: NodeProcess;
  port: number;
  agent: Agent;
}

async function startServer(org: string, dir: string, port: number): Promise<Server> {
  const child = await startNodeProcess(org, dir, port);
  return { org, child, port, agent: new Agent({ keepAlive: true, maxSockets: 4 }) };
}
async function stopServer(s: Server): Promise<void> {
  s.agent.destroy();
  await s.child.stop(15_000);
}
function call(s: Server, method: 'GET' | 'POST', path: string, body?: string) {
  return httpCall(s.agent, s.port, method, path, body);
}

async function health(s: Server): Promise<{ height: number; size: number; ok: boolean }> {
  const r = await call(s, 'GET', '/v1/health');
  return JSON.parse(r.text) as { height: number; size: number; ok: boolean };
}

/** Ed25519 verifications/s on one core, as bench/bound.ts measures it (fewer passes). */
function quickBound(): number {
  const all = admins(SEED);
  const now = Date.now();
  const sigs = Array.from({ length: 10_000 }, (_, i) => signEnrol(all, DEMO_CHAIN, i, now));
  const rates: number[] = [];
  for (let pass = 0; pass < 4; pass++) {
    const t0 = process.hrtime.bigint();
    for (const s of sigs)
      if (!verifyHex(s.signer, s.message, s.sig)) throw new Error('a signature did not verify');
    if (pass > 0) rates.push(sigs.length / secondsSince(t0));
  }
  return median(rates);
}

/** Throughput: every body sent, then the time until all nodes applied the highest block. */
async function throughput(servers: Server[], n: number) {
  const tSign = process.hrtime.bigint();
  const pool = new SignPool();
  // Signed just before sending: `time` must be within 5 minutes of the nodes' clocks.
  const texts = await pool.signMany({ seed: SEED, chain: DEMO_CHAIN, time: Date.now() }, 0, n);
  await pool.close();
  const bodies: string[] = [];
  for (let at = 0; at < n; at += PER_BODY)
    bodies.push(
      canonicalJson(texts.slice(at, at + PER_BODY).map((t) => ({ tx: JSON.parse(t) as SignedTx }))),
    );
  texts.length = 0;
  log(`${n} transactions signed in ${secondsSince(tSign).toFixed(1)}s: ${bodies.length} bodies`);
  (globalThis as { gc?: () => void }).gc?.();

  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  let top = 0;
  const perNode = servers.map(() => 0);
  const nodesCpu = () => servers.reduce((a, s) => a + cpuSeconds(s.child.pid!), 0);
  const cpu0 = nodesCpu();
  const t0 = process.hrtime.bigint();
  // Bodies go to the nodes in turn; each node has its own connections.
  const worker = async (k: number, c: number) => {
    const s = servers[k]!;
    for (
      let i = k + c * servers.length;
      i < bodies.length;
      i += servers.length * CONNECTIONS_PER_NODE
    ) {
      const expected = Math.min(PER_BODY, n - i * PER_BODY);
      let res: { status: number; text: string };
      try {
        res = await call(s, 'POST', '/v1/txs', bodies[i]!);
      } catch (e) {
        failed += expected;
        firstError ??= `${s.org}: ${(e as Error).message}`;
        continue;
      }
      if (res.status !== 200) {
        failed += expected;
        firstError ??= `${s.org}: HTTP ${res.status}: ${res.text.slice(0, 300)}`;
        continue;
      }
      const { results } = JSON.parse(res.text) as {
        results: { height: number; result: { ok: boolean }; duplicate?: boolean }[];
      };
      for (const r of results) {
        top = Math.max(top, r.height);
        if (r.result.ok && !r.duplicate) {
          ok++;
          perNode[k]!++;
        } else {
          failed++;
          firstError ??= JSON.stringify(r);
        }
      }
    }
  };
  await Promise.all(
    servers.flatMap((_, k) =>
      Array.from({ length: CONNECTIONS_PER_NODE }, (__, c) => worker(k, c)),
    ),
  );
  const answeredSeconds = secondsSince(t0);
  // Until every node has applied the highest block any node answered with.
  const behind = new Set(servers);
  while (behind.size > 0) {
    for (const s of [...behind]) if ((await health(s)).height >= top) behind.delete(s);
    if (behind.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = secondsSince(t0);
  // Every node checks and executes every transaction: what one costs a node, on average.
  const serverCpuUsPerTx = ok > 0 ? ((nodesCpu() - cpu0) * 1e6) / servers.length / ok : NaN;
  // The nodes hold the same block at that height.
  const heads = await Promise.all(
    servers.map(
      async (s) =>
        (JSON.parse((await call(s, 'GET', `/v1/blocks/${top}`)).text) as { hash: string }).hash,
    ),
  );
  if (new Set(heads).size !== 1)
    throw new Error(`the nodes differ at height ${top}: ${heads.join(' ')}`);
  log(
    `${ok} committed ok (${perNode.join('/')} by node), ${failed} failed; all answered in ` +
      `${answeredSeconds.toFixed(2)}s, applied on all 3 nodes in ${seconds.toFixed(2)}s = ` +
      `${Math.round(ok / seconds)} tx/s; height ${top}; ${serverCpuUsPerTx.toFixed(0)} µs of CPU ` +
      `a transaction on each node`,
  );
  if (firstError) log(`first failure: ${firstError}`);
  return {
    ok,
    failed,
    firstError,
    seconds,
    answeredSeconds,
    txPerSec: ok / seconds,
    height: top,
    serverCpuUsPerTx,
  };
}

interface Pending {
  index: number;
  sent: number;
}

/** Latency under a light load: send → a quorum-signed checkpoint covering the transaction. */
async function latency(servers: Server[], policy: Policy, seconds: number, from: number) {
  const count = Math.round((seconds * 1000) / LATENCY_INTERVAL_MS);
  const all = admins(SEED);
  const now = Date.now();
  const bodies = Array.from({ length: count }, (_, i) =>
    canonicalJson({ tx: JSON.parse(signEnrol(all, DEMO_CHAIN, from + i, now).text) as SignedTx }),
  );
  const pending = servers.map(() => [] as Pending[]);
  const cosigned: number[] = [];
  const committed: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let verified = 0;
  let sending = true;

  const poller = async (k: number) => {
    const s = servers[k]!;
    let last = '';
    /** The size of the newest note that verified with the quorum. */
    let final = 0;
    while (sending || pending[k]!.length > 0) {
      let note: string;
      try {
        note = (await call(s, 'GET', '/v1/log/checkpoint')).text;
      } catch {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const seen = performance.now();
      // The size line, read before any signature is checked: only notes that would settle a
      // pending transaction are verified.
      const size = Number(note.split('\n', 2)[1]);
      if (note !== last && pending[k]!.some((p) => p.index >= final && p.index < size)) {
        last = note;
        try {
          final = verifyCheckpoint(note, policy).size;
          verified++;
        } catch {
          // not signed by the quorum
        }
      }
      if (pending[k]!.some((p) => p.index < final))
        pending[k] = pending[k]!.filter((p) => {
          if (p.index >= final) return true;
          cosigned.push(seen - p.sent);
          return false;
        });
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const pollers = servers.map((_, k) => poller(k));

  const sends: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + i * LATENCY_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const k = i % servers.length;
    const sent = performance.now();
    sends.push(
      call(servers[k]!, 'POST', '/v1/tx', bodies[i]!).then(
        (res) => {
          const out = JSON.parse(res.text) as { index?: number; result?: { ok: boolean } };
          if (res.status !== 200 || !out.result?.ok || out.index === undefined) {
            failed++;
            firstError ??= `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
            return;
          }
          committed.push(performance.now() - sent);
          pending[k]!.push({ index: out.index, sent });
        },
        (e: unknown) => {
          failed++;
          firstError ??= (e as Error).message;
        },
      ),
    );
  }
  await Promise.all(sends);
  sending = false;
  const settle = setTimeout(() => {
    for (const p of pending) {
      failed += p.length;
      firstError ??= `${p.length} transactions saw no cosigned checkpoint within 10 s`;
      p.length = 0;
    }
  }, 10_000);
  await Promise.all(pollers);
  clearTimeout(settle);
  const r = {
    latencySamples: cosigned.length,
    latencyFailed: failed,
    latencyFirstError: firstError,
    cosignedP50Ms: percentile(cosigned, 0.5),
    cosignedP99Ms: percentile(cosigned, 0.99),
    cosignedMaxMs: Math.max(...cosigned),
    committedP50Ms: percentile(committed, 0.5),
    committedP99Ms: percentile(committed, 0.99),
    checkpointsVerified: verified,
  };
  log(
    `latency over ${cosigned.length} transactions (one every ${LATENCY_INTERVAL_MS} ms, ${failed} failed): ` +
      `to a cosigned checkpoint p50 ${r.cosignedP50Ms.toFixed(0)} ms, p99 ${r.cosignedP99Ms.toFixed(0)} ms, ` +
      `max ${r.cosignedMaxMs.toFixed(0)} ms; to the committed answer p50 ${r.committedP50Ms.toFixed(0)} ms, ` +
      `p99 ${r.committedP99Ms.toFixed(0)} ms`,
  );
  if (firstError) log(`first failure: ${firstError}`);
  return r;
}

async function main(): Promise<Record<string, unknown>> {
  const n = Number(process.argv[2] ?? 60_000);
  const latencySeconds = Number(process.argv[3] ?? 15);
  const boundPerSec = quickBound();
  log(`bound ${Math.round(boundPerSec)} verifications/s on one core`);
  const base = mkdtempSync(join(tmpdir(), 'aidledger-bench-cluster-'));
  let etcd: EtcdCluster | undefined;
  const servers: Server[] = [];
  try {
    etcd = await startEtcdCluster();
    const time = Date.now() - 1000;
    const dirs = writeDemoConsortium(base, {
      seed: SEED,
      time,
      orgs: ORGS,
      checkpointQuorum: 2,
      endpoints: etcd.endpoints,
    });
    for (const [i, org] of ORGS.entries())
      servers.push(await startServer(org, dirs[i]!, await freePort()));
    log(
      `etcd ${etcd.endpoints.join(' ')}; nodes ${servers.map((s) => `${s.org} pid ${s.child.pid} port ${s.port}`).join(', ')}`,
    );
    const policy = JSON.parse((await call(servers[0]!, 'GET', '/v1/policy')).text) as Policy;

    const t = await throughput(servers, n);
    log(`ratio ${(t.txPerSec / boundPerSec).toFixed(2)} x this run's bound (target >= 0.35)`);
    const l = await latency(servers, policy, latencySeconds, n);
    const serverMaxRssKB = Math.max(...servers.map((s) => vmHwmKB(s.child.pid)));
    return {
      txs: n,
      ...t,
      ...l,
      boundPerSec,
      nodes: servers.length,
      etcdMembers: etcd.members.length,
      serverMaxRssKB,
    };
  } finally {
    for (const s of servers) await stopServer(s);
    await etcd?.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

main().then(finish, fail);
