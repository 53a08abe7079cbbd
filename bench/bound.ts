/**
 * Figure 1, the bound: strict Ed25519 verifications per second on one core, through `verifyHex`
 * (node:crypto with cached KeyObjects, what the server uses), over distinct pre-made signatures.
 * Usage: node dist/bench/bound.js [signatures] [repetitions]
 */
import { verifyHex } from '../src/runtime/node-ed25519.js';
import { fail, finish, logger, median, secondsSince, SEED } from './common.js';
import { admins, DEMO_CHAIN, signEnrol, type SignedEnrol } from './txgen.js';

const log = logger('bound');

function main(): void {
  const n = Number(process.argv[2] ?? 20_000);
  const reps = Number(process.argv[3] ?? 5);
  const all = admins(SEED);
  const now = Date.now();
  const sigs: SignedEnrol[] = [];
  for (let i = 0; i < n; i++) sigs.push(signEnrol(all, DEMO_CHAIN, i, now));
  log(`${n} distinct signatures made; 1 warm-up + ${reps} timed passes`);

  const pass = (): number => {
    let bad = 0;
    const t0 = process.hrtime.bigint();
    for (const s of sigs) if (!verifyHex(s.signer, s.message, s.sig)) bad++;
    const secs = secondsSince(t0);
    if (bad > 0) throw new Error(`${bad} of ${n} signatures did not verify`);
    return n / secs;
  };
  pass();
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) rates.push(pass());
  const perSec = median(rates);
  log(`passes: ${rates.map((r) => Math.round(r)).join(', ')} verifications/s`);
  finish({ perSec, rates, signatures: n });
}

try {
  main();
} catch (e) {
  fail(e);
}
