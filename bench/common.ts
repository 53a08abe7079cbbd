/**
 * Shared helpers of the benchmark children: how a child reports its figure (with its peak RSS),
 * progress lines, medians, and where the cached 1M-transaction ledger lives.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { join } from 'node:path';
import { NodeProcess } from '../tools/node-process.js';

/** The demo seed every benchmark consortium is derived from. */
export const SEED = 'bench';

/** A fixed genesis time for the cached ledger, so its content does not depend on the day. */
export const LEDGER_GENESIS_TIME = Date.UTC(2025, 0, 1);

/** Where the 1M ledger is cached between runs (override for quick trials). */
export const LEDGER_DIR = process.env.AIDLEDGER_BENCH_1M_DIR ?? '/tmp/aidledger-bench-1m';
export const LEDGER_PATH = join(LEDGER_DIR, 'ledger.sqlite');
export const LEDGER_MARKER = join(LEDGER_DIR, 'built.json');
/** Transactions in the cached ledger. */
export const LEDGER_TXS = Number(process.env.AIDLEDGER_BENCH_1M_N ?? 1_000_000);
/** Marker format; bump when the way the ledger is built changes. */
export const LEDGER_FORMAT = 1;

export interface Marker {
  format: number;
  /** Fingerprint of the store schema the file was built under (see schemaFingerprint). */
  schema: string;
  txs: number;
  blocks: number;
  leaves: number;
  buildSeconds: number;
  /** Of the build time, seconds spent in commitBatch (the rest overlaps signing). */
  commitSeconds?: number;
  builtAt: string;
}

export type ChildResult = Record<string, unknown> & { maxRssKB: number };

/** Sends the child's result (with its peak RSS in KB) to the parent, or prints it as JSON. */
export function finish(result: Record<string, unknown>): void {
  const out: ChildResult = { ...result, maxRssKB: process.resourceUsage().maxRSS };
  if (process.send) {
    process.send(out, () => process.exit(0));
  } else {
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(0);
  }
}

/** Reports a failure the same way, so the parent prints it instead of a figure. */
export function fail(e: unknown): void {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(`${e instanceof Error ? (e.stack ?? message) : message}\n`);
  finish({ error: message });
}

export function logger(name: string): (msg: string) => void {
  const t0 = Date.now();
  return (msg) =>
    process.stderr.write(`  [${name} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** A small deterministic generator (mulberry32), so runs draw the same samples. */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(x * n);
  };
}

/** Seconds since `t0` (from process.hrtime.bigint()). */
export function secondsSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The cached marker when it describes a finished build of the wanted size, else undefined. */
export function readMarker(): Marker | undefined {
  if (!existsSync(LEDGER_MARKER) || !existsSync(LEDGER_PATH)) return undefined;
  try {
    const m = JSON.parse(readFileSync(LEDGER_MARKER, 'utf8')) as Marker;
    return m.format === LEDGER_FORMAT && m.txs === LEDGER_TXS && m.schema === schemaFingerprint()
      ? m
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SHA-256 (first 16 hex) of the SQL schema in the compiled src/runtime/store.js, so a cached ledger
 * is rebuilt when the file layout changes (a changed leaf or state format shows up as a verify
 * failure instead, which makes run.js rebuild once).
 */
export function schemaFingerprint(): string {
  const h = createHash('sha256');
  // The store's tables and the projections written beside them.
  for (const [file, name] of [
    ['../src/runtime/store.js', 'SCHEMA'],
    ['../src/domains/aid/projections.js', 'PROJECTION_SCHEMA'],
  ] as const) {
    const js = readFileSync(new URL(file, import.meta.url), 'utf8');
    const m = new RegExp(`const ${name} = \`([^\`]*)\``).exec(js);
    h.update(m ? m[1]! : js);
  }
  return h.digest('hex').slice(0, 16);
}

/** Invoice lines recorded in the cached claims ledger (figure 6); smaller for quick runs. */
export const CLAIMS_LINES = Number(process.env.AIDLEDGER_BENCH_CLAIMS_N ?? 1_000_000);
/** Where it is cached: by default one directory per size, so a quick run keeps the 1M one. */
export const CLAIMS_DIR =
  process.env.AIDLEDGER_BENCH_CLAIMS_DIR ??
  `/tmp/aidledger-bench-claims-${CLAIMS_LINES === 1_000_000 ? '1m' : CLAIMS_LINES}`;
export const CLAIMS_PATH = join(CLAIMS_DIR, 'ledger.sqlite');
export const CLAIMS_MARKER = join(CLAIMS_DIR, 'built.json');
/** Marker format of the claims ledger; bump when the way it is built changes. */
export const CLAIMS_FORMAT = 1;

export interface ClaimsMarker {
  format: number;
  schema: string;
  /** Fingerprint of the compiled contracts that wrote the state (see codeFingerprint). */
  code: string;
  lines: number;
  /** `claims/line/` keys in the state: `lines` rounded up to whole cases. */
  recordedLines: number;
  cases: number;
  linesPerCase: number;
  txs: number;
  blocks: number;
  buildSeconds: number;
  builtAt: string;
}

/** The cached claims marker when it describes a finished build of the wanted size. */
export function readClaimsMarker(): ClaimsMarker | undefined {
  if (!existsSync(CLAIMS_MARKER) || !existsSync(CLAIMS_PATH)) return undefined;
  try {
    const m = JSON.parse(readFileSync(CLAIMS_MARKER, 'utf8')) as ClaimsMarker;
    return m.format === CLAIMS_FORMAT &&
      m.lines === CLAIMS_LINES &&
      m.schema === schemaFingerprint() &&
      m.code === codeFingerprint()
      ? m
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SHA-256 (first 16 hex) of the compiled contracts whose state the claims benchmark reads
 * (claims, cases, case records, the journal), so a change to them rebuilds the cached ledger.
 */
export function codeFingerprint(): string {
  const h = createHash('sha256');
  for (const f of ['claims', 'cases', 'case-record', 'journal'])
    h.update(readFileSync(new URL(`../src/domains/aid/contracts/${f}.js`, import.meta.url)));
  return h.digest('hex').slice(0, 16);
}

export interface PostResult {
  status: number;
  text: string;
}

/** One HTTP request to a local node over a keep-alive agent; a body makes it JSON. */
export function httpCall(
  agent: Agent,
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers:
          body === undefined
            ? headers
            : {
                ...headers,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
              },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a JSON body over a keep-alive agent. */
export function post(agent: Agent, port: number, path: string, body: string): Promise<PostResult> {
  return httpCall(agent, port, 'POST', path, body);
}

/**
 * Starts `aidledger start --dir DIR --port PORT` as a child process and resolves once it answers.
 * Its output (the request log) is read and dropped so the pipe never fills. With
 * AIDLEDGER_BENCH_SERVER_PROF=<dir> it runs under --cpu-prof (as `<name>.cpuprofile`). Stop it
 * with `stop(15_000)`: SIGTERM, then SIGKILL after 15 s.
 */
export async function startNodeProcess(
  name: string,
  dir: string,
  port: number,
): Promise<NodeProcess> {
  const prof = process.env.AIDLEDGER_BENCH_SERVER_PROF;
  const node = new NodeProcess({
    dir,
    name,
    port,
    execArgv: prof
      ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [],
  });
  await node.start();
  return node;
}

/**
 * CPU seconds (user + system, every thread) a process has used so far, from /proc/<pid>/stat;
 * NaN where it cannot be read. Clock ticks are 100 a second on Linux.
 */
export function cpuSeconds(pid: number): number {
  try {
    return statSeconds(`/proc/${pid}/stat`);
  } catch {
    return NaN;
  }
}

/** User + system seconds from a /proc `stat` file (a process's or one of its threads'). */
function statSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * The CPU seconds of a process's main thread (whose thread id is the process id) and of all its
 * other threads together (signature workers, V8's helpers, libuv's pool); NaN when it is gone.
 */
export function threadCpuSeconds(pid: number): { main: number; others: number } {
  try {
    const main = statSeconds(`/proc/${pid}/task/${pid}/stat`);
    let all = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`))
      all += statSeconds(`/proc/${pid}/task/${tid}/stat`);
    return { main, others: all - main };
  } catch {
    return { main: NaN, others: NaN };
  }
}

/** A process's peak RSS in kB (VmHWM), NaN when it is gone. */
export function vmHwmKB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}
