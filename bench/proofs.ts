/**
 * Figure 4: inclusion and consistency proofs on the cached ledger (1M+ leaves), opened read-only,
 * timed one call at a time over random (index, size) and (first, second) pairs.
 * Usage: node dist/bench/proofs.js [pairs] [ledger.sqlite]
 */
import { verifyConsistency, verifyInclusion } from '../src/core/merkle.js';
import { Ledger } from '../src/runtime/ledger.js';
import { fastSha256 } from '../src/runtime/node-hash.js';
import { fail, finish, LEDGER_PATH, logger, median, percentile, rng } from './common.js';
import { registry } from '../src/domains/protocols.js';

const log = logger('proofs');

function timeEach<T>(pairs: readonly T[], f: (p: T) => unknown): number[] {
  const us: number[] = [];
  for (const p of pairs) {
    const t0 = process.hrtime.bigint();
    f(p);
    us.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return us;
}

function main(): void {
  const pairs = Number(process.argv[2] ?? 2000);
  const path = process.argv[3] ?? LEDGER_PATH;
  const ledger = Ledger.open({ registry, path, readonly: true });
  const size = ledger.size;
  const rand = rng(9162);
  const incl = (k: number) =>
    Array.from({ length: k }, () => {
      const s = 1 + rand(size);
      return [rand(s), s] as const;
    });
  const cons = (k: number) =>
    Array.from({ length: k }, () => {
      const second = 1 + rand(size);
      return [1 + rand(second), second] as const;
    });

  // Correctness spot checks (untimed) against roots computed by the ledger.
  let bad = 0;
  for (const [i, s] of incl(20)) {
    const p = ledger.log.inclusionProof(i, s);
    if (!verifyInclusion(i, s, p.leafHash, p.proof, ledger.log.rootAt(s), fastSha256)) bad++;
  }
  for (const [a, b] of cons(20)) {
    const p = ledger.log.consistencyProof(a, b);
    if (!verifyConsistency(a, b, ledger.log.rootAt(a), ledger.log.rootAt(b), p, fastSha256)) bad++;
  }
  if (bad > 0) throw new Error(`${bad} of 40 spot-checked proofs do not verify`);

  // Cold: the first proofs on a freshly opened file; then the timed set.
  const coldIncl = timeEach(incl(200), ([i, s]) => ledger.log.inclusionProof(i, s));
  const coldCons = timeEach(cons(200), ([a, b]) => ledger.log.consistencyProof(a, b));
  const inclusionUs = timeEach(incl(pairs), ([i, s]) => ledger.log.inclusionProof(i, s));
  const consistencyUs = timeEach(cons(pairs), ([a, b]) => ledger.log.consistencyProof(a, b));
  ledger.close();
  const r = {
    leaves: size,
    pairs,
    inclusionMedianUs: median(inclusionUs),
    inclusionP99Us: percentile(inclusionUs, 0.99),
    consistencyMedianUs: median(consistencyUs),
    consistencyP99Us: percentile(consistencyUs, 0.99),
    coldInclusionMedianUs: median(coldIncl),
    coldConsistencyMedianUs: median(coldCons),
  };
  log(
    `${size} leaves: inclusion median ${r.inclusionMedianUs.toFixed(1)} µs ` +
      `(p99 ${r.inclusionP99Us.toFixed(1)}), consistency median ${r.consistencyMedianUs.toFixed(1)} µs ` +
      `(p99 ${r.consistencyP99Us.toFixed(1)}); first 200 after open: ` +
      `${r.coldInclusionMedianUs.toFixed(1)} / ${r.coldConsistencyMedianUs.toFixed(1)} µs`,
  );
  finish(r);
}

try {
  main();
} catch (e) {
  fail(e);
}
