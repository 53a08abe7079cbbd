/**
 * Figure 6, the claims guard with CLAIMS_LINES (1,000,000) invoice lines already recorded: what
 * the guard of `cases` costs a new case, through the contract's own functions over the ledger's
 * real state view. The cached ledger (claims-build.ts) is opened read-only; each claim runs, as
 * `executeTx` would run it, on a transaction overlay over a block overlay over `Ledger.stateGet`
 * (the state table's Bloom filter, its LRU cache, then SQLite), and is merged into the block on
 * success; a block holds 500 claims and is never committed.
 *
 * A claim is: the keyed fingerprint of each line (`fingerprint`, timed apart), then
 * `remaining`, `spread` of all that is left, and `claim`: what `approve` does (the median of
 * `remaining` alone, the lookups, is reported too). Three kinds of
 * new case, interleaved, `lines` lines each:
 *   miss    every line is new (a new invoice): the Bloom filter answers, no SQLite read
 *   hit     every line is a recorded line of a random earlier case, so fully covered already
 *           (a resubmitted invoice): each line is a cold read from SQLite
 *   mixed   half of each
 * Usage: node dist/bench/claims.js [claims per kind] [lines per claim]
 */
import { randomBytes } from 'node:crypto';
import {
  claim,
  fingerprint,
  remaining,
  spread,
  type CaseLine,
} from '../src/domains/aid/contracts/claims.js';
import { Ledger } from '../src/runtime/ledger.js';
import { Overlay } from '../src/runtime/overlay.js';
import {
  benchSecrets,
  CLAIMS_LINE,
  CLAIMS_LINES_PER_CASE,
  claimsHospital,
  claimsInvoice,
} from './aid.js';
import {
  CLAIMS_PATH,
  fail,
  finish,
  logger,
  median,
  percentile,
  readClaimsMarker,
  rng,
  secondsSince,
} from './common.js';
import { registry } from '../src/domains/protocols.js';

const log = logger('claims');
const KINDS = ['miss', 'hit', 'mixed'] as const;
type Kind = (typeof KINDS)[number];
const PER_BLOCK = 500;
const WARM_UP = 200;

interface LineRef {
  hospital: string;
  invoice: string;
  line: number;
}

function main(): Record<string, unknown> {
  const perKind = Number(process.argv[2] ?? 3000);
  const lines = Number(process.argv[3] ?? 10);
  const marker = readClaimsMarker();
  if (!marker) throw new Error(`no finished claims ledger at ${CLAIMS_PATH}: run claims-build`);
  const secrets = benchSecrets();
  const tOpen = process.hrtime.bigint();
  const ledger = Ledger.open({ registry, path: CLAIMS_PATH, readonly: true, secrets });
  const openSeconds = secondsSince(tOpen);
  const stateKeys = ledger.db.prepare<[], number>('SELECT count(*) FROM state').pluck().get()!;
  log(
    `${CLAIMS_PATH}: ${marker.recordedLines} lines of ${marker.cases} cases, ${stateKeys} state ` +
      `keys, ${ledger.size} leaves; opened (Bloom filters loaded) in ${openSeconds.toFixed(1)}s`,
  );

  const rand = rng(6162);
  let nextNew = marker.cases;
  const seen = new Set<string>();
  const recordedLine = (): LineRef => {
    for (;;) {
      const c = rand(marker.cases);
      const line = 1 + rand(CLAIMS_LINES_PER_CASE);
      if (seen.has(`${c}:${line}`)) continue;
      seen.add(`${c}:${line}`);
      return { hospital: claimsHospital(c), invoice: claimsInvoice(c), line };
    }
  };
  const newCase = (kind: Kind): LineRef[] => {
    const c = nextNew++;
    const hits = kind === 'miss' ? 0 : kind === 'hit' ? lines : lines >> 1;
    return Array.from({ length: lines }, (_, l) =>
      l < hits
        ? recordedLine()
        : { hospital: claimsHospital(c), invoice: claimsInvoice(c), line: l + 1 },
    );
  };
  const net = BigInt(CLAIMS_LINE.net);
  const expectedLeft = (kind: Kind) =>
    BigInt(kind === 'miss' ? lines : kind === 'hit' ? 0 : lines - (lines >> 1)) * net;

  let block = new Overlay((k) => ledger.stateGet(k));
  let inBlock = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  const run = (
    kind: Kind,
    refs: LineRef[],
  ): { fpUs: number; guardUs: number; remainingUs: number } => {
    if (inBlock++ === PER_BLOCK) {
      block = new Overlay((k) => ledger.stateGet(k));
      inBlock = 1;
    }
    const caseId = randomBytes(32).toString('hex');
    const base = block;
    const tx = new Overlay((k) => base.read(k));
    const view = tx.view(['cases/', 'funds/', 'claims/']);
    const t0 = process.hrtime.bigint();
    const caseLines: CaseLine[] = refs.map((r) => ({
      fp: fingerprint(secrets, r.hospital, r.invoice, r.line),
      net: CLAIMS_LINE.net,
    }));
    const t1 = process.hrtime.bigint();
    const rem = remaining(view, caseId, caseLines);
    const tr = process.hrtime.bigint();
    const left = rem.reduce((a, r) => a + r, 0n);
    claim(view, caseId, caseLines, spread(left, rem));
    const t2 = process.hrtime.bigint();
    tx.mergeInto(block);
    if (left !== expectedLeft(kind)) {
      wrong++;
      firstWrong ??= `a ${kind} claim found ${left} left, ${expectedLeft(kind)} expected`;
    }
    return {
      fpUs: Number(t1 - t0) / 1000,
      guardUs: Number(t2 - t1) / 1000,
      remainingUs: Number(tr - t1) / 1000,
    };
  };

  // Each claim's lines are drawn before the clock runs; kinds take turns.
  const draw = (k: number) =>
    Array.from({ length: k }, () => KINDS.map((kind) => ({ kind, refs: newCase(kind) })));
  for (const round of draw(WARM_UP)) for (const c of round) run(c.kind, c.refs);
  const rounds = draw(perKind);
  const guard = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  const reads = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  const fp: number[] = [];
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = process.hrtime.bigint();
  for (const round of rounds)
    for (const c of round) {
      const r = run(c.kind, c.refs);
      guard.get(c.kind)!.push(r.guardUs);
      reads.get(c.kind)!.push(r.remainingUs);
      fp.push(r.fpUs);
    }
  const seconds = secondsSince(t0);
  ledger.close();
  if (wrong > 0) throw new Error(`${wrong} claims found the wrong amount left: ${firstWrong}`);

  const out: Record<string, unknown> = {
    lines: marker.recordedLines,
    cases: marker.cases,
    stateKeys,
    openSeconds,
    perKind,
    linesPerClaim: lines,
    seconds,
    fingerprintMedianUsPerLine: median(fp) / lines,
  };
  for (const kind of KINDS) {
    const us = guard.get(kind)!;
    out[`${kind}MedianUs`] = median(us);
    out[`${kind}P99Us`] = percentile(us, 0.99);
    out[`${kind}MedianUsPerLine`] = median(us) / lines;
    out[`${kind}RemainingMedianUs`] = median(reads.get(kind)!);
  }
  log(
    `${perKind} claims of each kind, ${lines} lines each, over ${marker.recordedLines} recorded lines: ` +
      KINDS.map(
        (k) =>
          `${k} median ${(out[`${k}MedianUs`] as number).toFixed(1)} µs ` +
          `(p99 ${(out[`${k}P99Us`] as number).toFixed(1)}, ` +
          `${(out[`${k}MedianUsPerLine`] as number).toFixed(2)} a line; ` +
          `remaining ${(out[`${k}RemainingMedianUs`] as number).toFixed(1)})`,
      ).join('; ') +
      `; fingerprints ${(out.fingerprintMedianUsPerLine as number).toFixed(2)} µs a line, apart`,
  );
  return out;
}

try {
  finish(main());
} catch (e) {
  fail(e);
}
