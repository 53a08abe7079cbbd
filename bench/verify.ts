/**
 * Figure 3: full verification of the cached ledger with `verifyLedgerFile` (re-execution, every
 * signature on the worker pool, the stored tree, checkpoints, the final state).
 * Usage: node dist/bench/verify.js [ledger.sqlite]
 */
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { fail, finish, LEDGER_PATH, logger, secondsSince } from './common.js';
import { registry } from '../src/domains/protocols.js';
import { keepHeapNearLive } from '../src/runtime/heap.js';

// As `aidledger verify` runs it.
keepHeapNearLive();

const log = logger('verify');

async function main(): Promise<void> {
  const path = process.argv[2] ?? LEDGER_PATH;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let lastLog = 0;
  const report = await verifyLedgerFile(path, {
    registry,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - lastLog < 15_000) return;
      lastLog = now;
      const s = secondsSince(t0);
      log(`${done}/${total} leaves, ${Math.round(done / s)} leaves/s`);
    },
  });
  const seconds = secondsSince(t0);
  // The whole process, the signature workers included.
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerTx = (cpu.user + cpu.system) / report.txs;
  log(
    `sound: ${report.blocks} blocks, ${report.txs} txs in ${seconds.toFixed(1)}s; ` +
      `${cpuUsPerTx.toFixed(0)} µs of CPU a transaction (${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores)`,
  );
  finish({ seconds, txPerSec: report.txs / seconds, cpuUsPerTx, ...report });
}

main().catch(fail);
