/**
 * `aidledger cluster`: the node directories of a consortium whose nodes are ordered by an etcd
 * cluster (`cluster init`), and a whole consortium on this machine to try (`cluster demo`): a
 * three-member etcd cluster and one node per organisation, each a child process on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { genesisHash, ORG_TYPES, parseGenesis, type Genesis } from '../chain/genesis.js';
import { OrgIdSchema } from '../chain/schemas.js';
import { toHex } from '../core/bytes.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../core/ed25519.js';
import { AidError } from '../core/errors.js';
import { paths, readNodeDir, writeConsortiumKey } from '../node/config.js';
import { keyFileFromSeed, writeKeyFile } from '../runtime/keyfile.js';
import { freePorts } from '../node/ports.js';
import { LATEST_PROTOCOL } from '../domains/protocols.js';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The smallest majority of `n`. */
const majority = (n: number): number => Math.floor(n / 2) + 1;

function int(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(v) || Number(v) < min || Number(v) > max)
      throw new AidError('BAD_REQUEST', `${name} must be an integer from ${min} to ${max}`);
    return Number(v);
  };
}

/** Whether a directory exists with something in it. */
function nonEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

// ---- cluster init ----------------------------------------------------------------------------

interface OrgArg {
  id: string;
  type?: string;
}

/** `a:government,b:charity` (or bare ids with --demo-seed). */
function parseOrgs(text: string): OrgArg[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new AidError('CONFIG', '--orgs names no organisation');
  const orgs = items.map((item): OrgArg => {
    const [id = '', type, ...rest] = item.split(':');
    if (rest.length > 0) throw new AidError('CONFIG', `--orgs: "${item}" is not id:type`);
    if (!OrgIdSchema.safeParse(id).success)
      throw new AidError(
        'CONFIG',
        `--orgs: "${id}" is not an organisation id (lowercase letters, digits and "-", 2 to 63 characters)`,
      );
    if (type !== undefined && !(ORG_TYPES as readonly string[]).includes(type))
      throw new AidError(
        'CONFIG',
        `--orgs: "${type}" is not an organisation type (${ORG_TYPES.join(', ')})`,
      );
    return type === undefined ? { id } : { id, type };
  });
  const ids = new Set(orgs.map((o) => o.id));
  if (ids.size !== orgs.length) throw new AidError('CONFIG', '--orgs names an organisation twice');
  return orgs;
}

function parseEndpoints(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s !== '');
  if (list.length === 0 || list.length > 15)
    throw new AidError('CONFIG', '--endpoints names 1 to 15 etcd client URLs');
  for (const e of list) {
    let u: URL;
    try {
      u = new URL(e);
    } catch {
      throw new AidError('CONFIG', `--endpoints: ${e} is not a URL`);
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.pathname !== '/' || !u.port)
      throw new AidError(
        'CONFIG',
        `--endpoints: ${e} is not an etcd client URL such as https://10.0.0.1:2379`,
      );
  }
  return list;
}

/** The TLS files an organisation's node gets: the etcd CA and its client pair. */
interface TlsSource {
  ca: string;
  cert: string;
  key: string;
}

function readPem(path: string, what: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AidError('CONFIG', `cannot read ${what} ${path}`, { cause });
  }
  if (!text.includes('-----BEGIN ')) throw new AidError('CONFIG', `${path} is not a PEM file`);
}

function tlsSources(
  o: { tlsCa?: string; tlsDir?: string },
  orgs: OrgArg[],
): Map<string, TlsSource> | undefined {
  if (o.tlsCa === undefined && o.tlsDir === undefined) return undefined;
  if (o.tlsCa === undefined || o.tlsDir === undefined)
    throw new AidError('CONFIG', 'TLS to etcd needs both --tls-ca and --tls-dir');
  readPem(o.tlsCa, 'the etcd CA certificate');
  const m = new Map<string, TlsSource>();
  for (const { id } of orgs) {
    const cert = join(o.tlsDir, `${id}.pem`);
    const key = join(o.tlsDir, `${id}-key.pem`);
    readPem(cert, `the client certificate of ${id}`);
    readPem(key, `the client key of ${id}`);
    m.set(id, { ca: o.tlsCa, cert, key });
  }
  return m;
}

/** Where `cluster init` puts each node's TLS files, relative to its directory. */
const TLS_FILES = { ca: 'tls/etcd-ca.pem', cert: 'tls/client.pem', key: 'tls/client-key.pem' };

interface InitOpts {
  dir: string;
  orgs: string;
  endpoints: string;
  quorum?: number;
  governanceQuorum?: number;
  chain?: string;
  prefix?: string;
  demoSeed?: string;
  tlsCa?: string;
  tlsDir?: string;
}

function refuseUsed(dirs: string[]): void {
  for (const d of dirs) {
    if (existsSync(paths.genesis(d)) || existsSync(paths.config(d)))
      throw new AidError('CONFIG', `${d} already holds a node`);
    if (nonEmpty(d)) throw new AidError('CONFIG', `${d} is not empty`);
  }
}

async function clusterInit(o: InitOpts): Promise<void> {
  const orgs = parseOrgs(o.orgs);
  const endpoints = parseEndpoints(o.endpoints);
  const tls = tlsSources(o, orgs);
  const https = endpoints.filter((e) => e.startsWith('https:')).length;
  if (tls && https !== endpoints.length)
    throw new AidError('CONFIG', 'with --tls-ca and --tls-dir every endpoint is https://');
  if (!tls && https > 0)
    throw new AidError('CONFIG', 'https:// endpoints need --tls-ca and --tls-dir');
  const n = orgs.length;
  const quorum = o.quorum ?? majority(n);
  if (quorum < 1 || quorum > n)
    throw new AidError('CONFIG', `--quorum must be from 1 to ${n}, the number of nodes`);
  const dirs = orgs.map((org) => join(o.dir, org.id));
  refuseUsed(dirs);

  const cluster = { endpoints, ...(o.prefix !== undefined ? { prefix: o.prefix } : {}) };
  const time = Date.now();
  let genesis: Genesis;
  const adminFiles = new Map<string, string>();
  if (o.demoSeed !== undefined) {
    const { demoGenesis, writeDemoDir, DEMO_CHAIN } = await import('../node/demo.js');
    if (o.chain !== undefined && o.chain !== DEMO_CHAIN)
      throw new AidError('CONFIG', `with --demo-seed the chain is the demo's, ${DEMO_CHAIN}`);
    if (o.governanceQuorum !== undefined)
      throw new AidError('CONFIG', 'with --demo-seed the governance quorum is the demo’s (4)');
    const known = new Map(demoGenesis(o.demoSeed, time).orgs.map((g) => [g.id as string, g]));
    for (const org of orgs) {
      const g = known.get(org.id);
      if (!g)
        throw new AidError(
          'CONFIG',
          `${org.id} is not an organisation of the demo consortium (${[...known.keys()].join(', ')})`,
        );
      if (org.type !== undefined && org.type !== g.type)
        throw new AidError('CONFIG', `${org.id} is a ${g.type} in the demo consortium`);
    }
    const ids = orgs.map((x) => x.id);
    genesis = demoGenesis(o.demoSeed, time, { nodes: ids, checkpointQuorum: quorum });
    for (const [i, org] of orgs.entries()) {
      writeDemoDir(dirs[i]!, o.demoSeed, time, {
        org: org.id,
        nodes: ids,
        checkpointQuorum: quorum,
        cluster,
      });
      adminFiles.set(org.id, join(paths.keys(dirs[i]!), `${org.id}.admin.json`));
    }
  } else {
    if (o.chain === undefined)
      throw new AidError('CONFIG', 'cluster init needs --chain (or --demo-seed)');
    const untyped = orgs.find((x) => x.type === undefined);
    if (untyped)
      throw new AidError(
        'CONFIG',
        `--orgs: give each organisation as id:type, e.g. ${untyped.id}:government (types: ${ORG_TYPES.join(', ')})`,
      );
    const governanceQuorum = o.governanceQuorum ?? majority(n);
    if (governanceQuorum > n)
      throw new AidError('CONFIG', `--governance-quorum must be from 1 to ${n}`);
    const admins = orgs.map(() => randomSeed());
    const nodeSeeds = orgs.map(() => randomSeed());
    genesis = parseGenesis({
      chain: o.chain,
      time,
      orgs: orgs.map((org, i) => ({
        id: org.id,
        type: org.type,
        names: { 'zh-Hant': org.id, 'zh-Hans': org.id, en: org.id },
        rootKey: toHex(publicKeyFromSeed(admins[i]!)),
        nodeKey: toHex(publicKeyFromSeed(nodeSeeds[i]!)),
      })),
      governanceQuorum,
      checkpointQuorum: quorum,
      protocol: [{ version: LATEST_PROTOCOL, fromHeight: 0 }],
    });
    const genesisText = JSON.stringify(genesis, null, 2) + '\n';
    // One consortium key for all: each organisation's node needs the same one.
    const consortium = randomSeed();
    for (const [i, org] of orgs.entries()) {
      const dir = dirs[i]!;
      mkdirSync(paths.keys(dir), { recursive: true });
      writeFileSync(paths.genesis(dir), genesisText, { flag: 'wx' });
      writeFileSync(
        paths.config(dir),
        JSON.stringify({ org: org.id, maxTxs: 1000, maxWaitMs: 20, cluster }, null, 2) + '\n',
        { flag: 'wx' },
      );
      writeKeyFile(paths.nodeKey(dir), keyFileFromSeed(nodeSeeds[i]!));
      writeConsortiumKey(dir, consortium);
      const admin = join(paths.keys(dir), `${org.id}.admin.json`);
      writeKeyFile(admin, keyFileFromSeed(admins[i]!, `${org.id}/admin`));
      adminFiles.set(org.id, admin);
    }
  }

  if (tls) {
    for (const [i, org] of orgs.entries()) {
      const dir = dirs[i]!;
      const src = tls.get(org.id)!;
      mkdirSync(join(dir, 'tls'), { recursive: true, mode: 0o700 });
      copyFileSync(src.ca, join(dir, TLS_FILES.ca));
      copyFileSync(src.cert, join(dir, TLS_FILES.cert));
      writeFileSync(join(dir, TLS_FILES.key), readFileSync(src.key), { mode: 0o600, flag: 'wx' });
      const config = parseJson(readFileSync(paths.config(dir), 'utf8')) as {
        cluster: Record<string, unknown>;
      };
      config.cluster.tls = TLS_FILES;
      writeFileSync(paths.config(dir), JSON.stringify(config, null, 2) + '\n');
    }
  }
  // Each directory must open as a node directory, TLS files and all.
  for (const d of dirs) readNodeDir(d);

  out(
    `consortium of ${n} nodes on chain ${genesis.chain} written to ${resolve(o.dir)} (genesis ${genesisHash(genesis)}):`,
  );
  const width = Math.max(...orgs.map((x) => x.id.length));
  for (const [i, org] of orgs.entries()) {
    const nodeKey = genesis.orgs.find((g) => g.id === org.id)?.nodeKey ?? '';
    out(
      `  ${org.id.padEnd(width)}  node key ${nodeKey.slice(0, 16)}…  ${resolve(dirs[i]!)}  (admin key ${relative(dirs[i]!, adminFiles.get(org.id)!)})`,
    );
  }
  out(
    [
      `etcd endpoints ${endpoints.join(', ')}${tls ? ' (TLS: tls/ in each directory)' : ''}; prefix ${o.prefix ?? `aidledger/${genesis.chain}/`}`,
      `checkpoints are final once ${genesis.checkpointQuorum} of ${n} nodes signed; ${genesis.governanceQuorum} organisations' votes change the membership`,
      o.demoSeed !== undefined
        ? 'demo keys: derived from the seed, public knowledge, never for production'
        : 'every directory holds the same consortium key (keys/consortium.json) and its organisation’s admin key: hand each directory to its organisation over a channel you trust',
      `start each node with: aidledger start --dir <its directory> --port <port>`,
    ].join('\n'),
  );
}

// ---- cluster demo ----------------------------------------------------------------------------

/** The etcd binary: `AIDLEDGER_ETCD`, otherwise `etcd` on PATH. @throws AidError CONFIG. */
export function findEtcd(): string {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const explicit = process.env.AIDLEDGER_ETCD;
  if (explicit !== undefined && explicit !== '') {
    if (executable(explicit)) return explicit;
    throw new AidError('CONFIG', `AIDLEDGER_ETCD=${explicit} is not an executable file`);
  }
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d !== '' && executable(join(d, 'etcd'))) return join(d, 'etcd');
  }
  throw new AidError(
    'CONFIG',
    'etcd is not installed: the cluster demo runs a local 3-member etcd cluster. Install etcd 3.4 or later ' +
      '(Debian/Ubuntu: sudo apt-get install etcd-server, then sudo systemctl disable --now etcd), ' +
      'or set AIDLEDGER_ETCD to an etcd binary',
  );
}

/** What `cluster demo` remembers in its directory, to start the same cluster again. */
interface DemoState {
  version: 1;
  seed: string;
  /** The etcd cluster token of its first start. */
  token: string;
  checkpointQuorum: number;
  /** Whether the demo activity was submitted already. */
  seeded: boolean;
  etcd: { name: string; client: number; peer: number }[];
  nodes: { org: string; port: number }[];
}

const STATE_FILE = 'cluster-demo.json';
const ETCD_MEMBERS = 3;
const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

function tail(file: string, bytes = 3000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > bytes ? `…${text.slice(-bytes)}` : text;
  } catch {
    return '(no log)';
  }
}

/** A child process whose output goes to a log file. */
class Child {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private error: Error | undefined;
  stopping = false;

  constructor(
    readonly kind: 'etcd' | 'node',
    readonly name: string,
    readonly url: string,
    readonly logFile: string,
    bin: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    const fd = openSync(logFile, 'a');
    try {
      // A process group of its own: Ctrl-C in a terminal reaches only the demo, which then
      // stops the nodes before etcd.
      this.child = spawn(bin, args, { stdio: ['ignore', fd, fd], env, detached: true });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise<void>((done) => {
      this.child.once('exit', () => done());
      this.child.once('error', (e) => {
        this.error = e;
        done();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return (
      this.error === undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Why it is not running, with the end of its log. */
  failure(why: string): AidError {
    const how = this.error
      ? `could not be started (${this.error.message})`
      : `exited (code ${this.child.exitCode ?? '-'}, signal ${this.child.signalCode ?? '-'})`;
    return new AidError(
      'UNAVAILABLE',
      `${this.kind} ${this.name} ${why}: it ${how}; the end of ${this.logFile}:\n${tail(this.logFile)}`,
    );
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!ended) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** Polls `check` until it is true, failing when the child exits or the deadline passes. */
async function waitFor(c: Child, what: string, check: () => Promise<boolean>, deadline: number) {
  for (;;) {
    if (!c.running) {
      await c.exited;
      throw c.failure(`did not come up`);
    }
    try {
      if (await check()) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw c.failure(`did not ${what} in time`);
    await sleep(100);
  }
}

async function getJson(url: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function readState(file: string): DemoState {
  const s = parseJson(readFileSync(file, 'utf8')) as DemoState;
  if (s?.version !== 1 || !Array.isArray(s.etcd) || !Array.isArray(s.nodes))
    throw new AidError('CONFIG', `${file} is not a cluster demo state file`);
  return s;
}

function writeState(file: string, s: DemoState): void {
  writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
}

interface DemoOpts {
  dir: string;
  nodes?: number;
  basePort?: number;
  seed: string;
  activity: boolean;
}

/** Writes a fresh demo: the node directories and the state file. */
async function newDemo(o: DemoOpts): Promise<DemoState> {
  const { demoGenesis, writeDemoDir } = await import('../node/demo.js');
  const n = o.nodes ?? 3;
  const orgs = demoGenesis(o.seed, 0)
    .orgs.slice(0, n)
    .map((g) => g.id as string);
  const count = 2 * ETCD_MEMBERS + n;
  let ports: number[];
  if (o.basePort !== undefined) {
    if (o.basePort + count - 1 > 65535)
      throw new AidError('CONFIG', `--base-port leaves no room for ${count} ports`);
    ports = Array.from({ length: count }, (_, i) => o.basePort! + i);
  } else {
    ports = await freePorts(count);
  }
  const etcd = Array.from({ length: ETCD_MEMBERS }, (_, i) => ({
    name: `etcd${i + 1}`,
    client: ports[2 * i]!,
    peer: ports[2 * i + 1]!,
  }));
  const nodes = orgs.map((org, i) => ({ org, port: ports[2 * ETCD_MEMBERS + i]! }));
  const endpoints = etcd.map((m) => `http://127.0.0.1:${m.client}`);
  const checkpointQuorum = majority(n);
  const time = Date.now() - 1000;
  for (const [i, org] of orgs.entries()) {
    writeDemoDir(join(o.dir, org), o.seed, time, {
      org,
      nodes: orgs,
      checkpointQuorum,
      // Each node talks to a different etcd member first.
      cluster: { endpoints: [...endpoints.slice(i), ...endpoints.slice(0, i)] },
    });
  }
  return {
    version: 1,
    seed: o.seed,
    token: `aidledger-demo-${randomUUID()}`,
    checkpointQuorum,
    seeded: false,
    etcd,
    nodes,
  };
}

function etcdArgs(dir: string, s: DemoState, m: DemoState['etcd'][number]): string[] {
  const client = `http://127.0.0.1:${m.client}`;
  const peer = `http://127.0.0.1:${m.peer}`;
  return [
    '--name',
    m.name,
    '--data-dir',
    join(dir, 'etcd', m.name),
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    // Read on the first start only; later starts take the membership from the data directory.
    '--initial-cluster',
    s.etcd.map((x) => `${x.name}=http://127.0.0.1:${x.peer}`).join(','),
    '--initial-cluster-state',
    'new',
    '--initial-cluster-token',
    s.token,
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
  ];
}

async function clusterDemo(o: DemoOpts): Promise<void> {
  const bin = findEtcd();
  const dir = resolve(o.dir);
  const stateFile = join(dir, STATE_FILE);
  let state: DemoState;
  const reused = existsSync(stateFile);
  if (reused) {
    state = readState(stateFile);
    if (o.nodes !== undefined && o.nodes !== state.nodes.length)
      throw new AidError(
        'CONFIG',
        `${dir} holds a cluster demo of ${state.nodes.length} nodes, not ${o.nodes}`,
      );
    if (o.basePort !== undefined && o.basePort !== state.etcd[0]?.client)
      out(`${dir} holds a cluster demo: it keeps the ports of its first start`);
  } else {
    if (nonEmpty(dir))
      throw new AidError('CONFIG', `${dir} is not empty and holds no cluster demo`);
    mkdirSync(dir, { recursive: true });
    state = await newDemo(o);
    writeState(stateFile, state);
  }
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  mkdirSync(join(dir, 'etcd'), { recursive: true, mode: 0o700 });

  const etcd: Child[] = [];
  const nodes: Child[] = [];
  const all = () => [...nodes, ...etcd];
  const onExit = () => {
    for (const c of all()) c.killNow();
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      await Promise.all(nodes.map((c) => c.stop(10_000)));
      // One member after another: a leader told to stop hands over to a live follower first.
      for (const c of etcd) await c.stop(5_000);
      process.removeListener('exit', onExit);
    })();
    return stopping;
  };
  const report = (c: Child) => {
    void c.exited.then(() => {
      if (!c.stopping && !stopping)
        process.stderr.write(
          `aidledger cluster demo: ${c.kind} ${c.name} (pid ${c.pid}) exited; its log: ${c.logFile}\n`,
        );
    });
  };

  try {
    // etcd reads ETCD_* variables as flags: a stray one must not change the demo cluster.
    const etcdEnv: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ETCD_')) etcdEnv[k] = v;
    if (process.arch === 'arm64') etcdEnv.ETCD_UNSUPPORTED_ARCH = 'arm64';
    for (const m of state.etcd) {
      etcd.push(
        new Child(
          'etcd',
          m.name,
          `http://127.0.0.1:${m.client}`,
          join(logs, `${m.name}.log`),
          bin,
          etcdArgs(dir, state, m),
          etcdEnv,
        ),
      );
    }
    let deadline = Date.now() + 30_000;
    await Promise.all(
      etcd.map((c) =>
        waitFor(
          c,
          'become healthy',
          async () => (await getJson(`${c.url}/health`)).json.health === 'true',
          deadline,
        ),
      ),
    );
    for (const s of state.nodes) {
      nodes.push(
        new Child(
          'node',
          s.org,
          `http://127.0.0.1:${s.port}`,
          join(logs, `${s.org}.log`),
          process.execPath,
          [
            MAIN,
            'start',
            '--dir',
            join(dir, s.org),
            '--port',
            String(s.port),
            '--host',
            '127.0.0.1',
          ],
          process.env,
        ),
      );
    }
    deadline = Date.now() + 60_000;
    await Promise.all(
      nodes.map((c) =>
        waitFor(
          c,
          'answer /v1/health',
          async () => (await getJson(`${c.url}/v1/health`)).status === 200,
          deadline,
        ),
      ),
    );
    for (const c of all()) report(c);

    const first = nodes[0]!;
    const health = (await getJson(`${first.url}/v1/health`)).json as {
      chain: string;
      height: number;
      size: number;
    };
    let activity = '';
    if (o.activity && !state.seeded) {
      const { demoActivity } = await import('../node/demo.js');
      const round = demoActivity(state.seed, health.chain, Date.now())[0]!;
      const res = await fetch(`${first.url}/v1/txs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: canonicalJson(round.map((tx) => ({ tx }))),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 200)
        throw new AidError(
          'UNAVAILABLE',
          `the demo activity was refused by ${first.name}: ${res.status} ${await res.text()}`,
        );
      await res.body?.cancel();
      state.seeded = true;
      writeState(stateFile, state);
      activity = `demo activity: ${round.filter((t) => t.type === 'membership.enrol').length} members enrolled (the audit office's oversight granted by a vote) through ${first.name}`;
    }
    // Every node reaches the first node's size: the cluster orders and applies.
    const target = ((await getJson(`${first.url}/v1/health`)).json as { size: number }).size;
    deadline = Date.now() + 30_000;
    await Promise.all(
      nodes.map((c) =>
        waitFor(
          c,
          `reach log size ${target}`,
          async () => ((await getJson(`${c.url}/v1/health`)).json.size as number) >= target,
          deadline,
        ),
      ),
    );
    const now = (await getJson(`${first.url}/v1/health`)).json as { height: number; size: number };

    const width = Math.max(...all().map((c) => c.name.length));
    const line = (c: Child, where: string) =>
      `  ${c.kind.padEnd(4)} ${c.name.padEnd(width)}  ${c.url}  pid ${c.pid}  ${where}`;
    const cli = `node ${MAIN}`;
    const other = nodes[1] ?? first;
    out(
      [
        `AidLedger cluster demo in ${dir}${reused ? ' (restarted)' : ''}: chain ${health.chain}, ${nodes.length} nodes, checkpoints final once ${state.checkpointQuorum} have signed`,
        ...etcd.map((c) => line(c, `data ${join(dir, 'etcd', c.name)}`)),
        ...nodes.map((c) => line(c, `dir ${join(dir, c.name)}`)),
        ...(activity ? [activity] : []),
        `every node at height ${now.height}, ${now.size} log entries; logs in ${logs}`,
        `try:`,
        `  curl ${first.url}/v1/log/checkpoint`,
        `  ${cli} verify --remote ${other.url}`,
        `  ${cli} witness ${other.url} --interval 2`,
        `Stop with Ctrl-C (nodes first, then etcd); run the same command again to restart this demo.`,
      ].join('\n'),
    );
  } catch (e) {
    await stopAll();
    throw e;
  }

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  // A second Ctrl-C while stopping ends everything at once.
  const force = () => {
    for (const c of all()) c.killNow();
    process.exit(130);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  out(`${signal}: stopping the nodes, then etcd`);
  await stopAll();
  process.removeListener('SIGINT', force);
  process.removeListener('SIGTERM', force);
  out('stopped');
}

export function registerClusterCommands(cli: Command): void {
  const cluster = cli
    .command('cluster')
    .description('a consortium of nodes ordered by an etcd cluster (see docs/cluster.md)');

  cluster
    .command('init')
    .description(
      'write one node directory per organisation under --dir: the same genesis and consortium key in each, its own node key and admin key, and the etcd cluster in node.json',
    )
    .requiredOption('--dir <dir>', 'parent directory; each organisation gets <dir>/<org>')
    .requiredOption(
      '--orgs <list>',
      'organisations, each running a node: id:type,… (types: government, hospital, charity, auditor, supplier, pharmacy); with --demo-seed, demo organisation ids',
    )
    .requiredOption('--endpoints <urls>', 'the etcd client URLs, comma-separated')
    .option(
      '--quorum <n>',
      'nodes that must sign a checkpoint for it to be final (default: a majority)',
      int('quorum', 1, 1000),
    )
    .option(
      '--governance-quorum <n>',
      'organisations whose votes change the membership (default: a majority)',
      int('governance quorum', 1, 1000),
    )
    .option('--chain <id>', 'chain id, e.g. example.org/aid')
    .option('--prefix <prefix>', 'etcd key prefix of the chain (default aidledger/<chain>/)')
    .option(
      '--demo-seed <seed>',
      'the demo consortium with keys derived from the seed (public knowledge: never for production)',
    )
    .option('--tls-ca <file>', 'PEM: the CA that signed the etcd members’ certificates')
    .option(
      '--tls-dir <dir>',
      'PEM client pairs for etcd, <org>.pem and <org>-key.pem for each organisation',
    )
    .action(async (o: InitOpts) => {
      await clusterInit(o);
    });

  cluster
    .command('demo')
    .description(
      'run a 3-member etcd cluster and one node per organisation of the demo consortium on loopback, until Ctrl-C; run it again on the same --dir to restart the same cluster',
    )
    .requiredOption('--dir <dir>', 'directory for the nodes, etcd’s data and the logs')
    .option('--nodes <n>', 'nodes, one per demo organisation (default 3)', int('nodes', 1, 6))
    .option(
      '--base-port <port>',
      'etcd members on ports P to P+5 (client, peer), nodes from P+6 (default: free ports)',
      int('base port', 1024, 65535),
    )
    .option('--seed <seed>', 'seed for the demo keys', 'demo')
    .option('--no-activity', 'do not submit the demo’s first round of enrolments')
    .action(async (o: DemoOpts) => {
      await clusterDemo(o);
    });
}
