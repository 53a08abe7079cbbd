/**
 * Figure 2, ingest: pre-signed transactions through `POST /v1/txs` of a real node process
 * (admission, signature verification, execution, commit, log append). This process generates the
 * load: it signs N enrolments first (not timed), serialises them into bodies of 1,000, then sends
 * them over a few keep-alive connections and times first send to last response. The server's
 * peak RSS is read from /proc/<pid>/status (VmHWM) before it is stopped.
 * Usage: node dist/bench/ingest.js [transactions] [connections]
 * Set AIDLEDGER_BENCH_SERVER_PROF=<dir> to run the server under --cpu-prof.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { writeDemoDir } from '../src/node/demo.js';
import {
  cpuSeconds,
  fail,
  finish,
  logger,
  median,
  percentile,
  post,
  secondsSince,
  SEED,
  startNodeProcess,
  vmHwmKB,
} from './common.js';
import { DEMO_CHAIN, SignPool } from './txgen.js';
import type { NodeProcess } from '../tools/node-process.js';
import { freePort } from '../tools/ports.js';

const log = logger('ingest');
const PER_BODY = 1000;

async function main(): Promise<Record<string, unknown>> {
  const n = Number(process.argv[2] ?? 120_000);
  const connections = Number(process.argv[3] ?? 4);
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-bench-ingest-'));
  let server: NodeProcess | undefined;
  try {
    writeDemoDir(dir, SEED, Date.now() - 1000);
    const port = await freePort();
    server = await startNodeProcess('ingest', dir, port);
    log(`node pid ${server.pid} on port ${port}; signing ${n} transactions`);

    // Sign just before sending: `time` must be within 5 minutes of the node's clock.
    const tSign = process.hrtime.bigint();
    const pool = new SignPool();
    const texts = await pool.signMany({ seed: SEED, chain: DEMO_CHAIN, time: Date.now() }, 0, n);
    await pool.close();
    const bodies: string[] = [];
    for (let at = 0; at < n; at += PER_BODY) {
      const subs = texts.slice(at, at + PER_BODY).map((t) => ({ tx: JSON.parse(t) as SignedTx }));
      bodies.push(canonicalJson(subs));
    }
    texts.length = 0;
    const bytes = bodies.reduce((s, b) => s + b.length, 0);
    log(
      `signed and serialised in ${secondsSince(tSign).toFixed(1)}s: ${bodies.length} bodies, ` +
        `${(bytes / 1e6).toFixed(1)} MB; sending over ${connections} connections`,
    );
    (globalThis as { gc?: () => void }).gc?.();

    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    let next = 0;
    let ok = 0;
    let failed = 0;
    let firstError: string | undefined;
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    const cpu0 = cpuSeconds(server.pid);
    const own0 = process.cpuUsage();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= bodies.length) return;
        const tr = process.hrtime.bigint();
        const res = await post(agent, port, '/v1/txs', bodies[i]!);
        latencies.push(secondsSince(tr) * 1000);
        const expected = Math.min(PER_BODY, n - i * PER_BODY);
        if (res.status !== 200) {
          failed += expected;
          firstError ??= `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
          continue;
        }
        const { results } = JSON.parse(res.text) as {
          results: { result: { ok: boolean; code?: string }; duplicate?: boolean }[];
        };
        for (const r of results) {
          if (r.result.ok && !r.duplicate) ok++;
          else {
            failed++;
            firstError ??= JSON.stringify(r);
          }
        }
        if (results.length !== expected) {
          failed += Math.max(0, expected - results.length);
          firstError ??= `${results.length} results for ${expected} submissions`;
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, () => worker()));
    const seconds = secondsSince(t0);
    // How much of the machine the node used, and what one transaction cost it in CPU: with the
    // load generator's share beside it, this tells a node short of cores from one that waits.
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const serverCores = serverCpu / seconds;
    const serverCpuUsPerTx = ok > 0 ? (serverCpu * 1e6) / ok : NaN;
    const own = process.cpuUsage(own0);
    const clientCores = (own.user + own.system) / 1e6 / seconds;
    agent.destroy();
    const serverMaxRssKB = vmHwmKB(server.pid);
    const txPerSec = ok / seconds;
    log(
      `${ok} committed ok, ${failed} failed in ${seconds.toFixed(2)}s = ${Math.round(txPerSec)} tx/s; ` +
        `request latency median ${median(latencies).toFixed(0)} ms, p90 ${percentile(latencies, 0.9).toFixed(0)} ms; ` +
        `server VmHWM ${(serverMaxRssKB / 1024).toFixed(0)} MB; server used ${serverCores.toFixed(2)} ` +
        `cores (${serverCpuUsPerTx.toFixed(0)} µs of CPU a transaction), load generator ${clientCores.toFixed(2)}`,
    );
    if (firstError) log(`first failure: ${firstError}`);
    await server.stop(15_000);
    return {
      txs: n,
      ok,
      failed,
      firstError,
      seconds,
      txPerSec,
      connections,
      serverMaxRssKB,
      serverCores,
      serverCpuUsPerTx,
      clientCores,
      latencyMedianMs: median(latencies),
    };
  } finally {
    if (server) await server.stop(15_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(finish, fail);
