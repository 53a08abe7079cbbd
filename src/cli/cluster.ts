/**
 * `aidledger cluster`: the node directories of a consortium whose nodes are ordered by an etcd
 * cluster (`cluster init`), and a whole consortium on this machine to try (`cluster demo`): a
 * three-member etcd cluster and one node per organisation, each a child process on loopback.
 */
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { genesisHash, ORG_TYPES, parseGenesis, type Genesis } from '../chain/genesis.js';
import { OrgIdSchema } from '../chain/schemas.js';
import { toHex } from '../core/bytes.js';
import { parseJson } from '../core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../core/ed25519.js';
import { AidError } from '../core/errors.js';
import { paths, readNodeDir, writeConsortiumKey } from '../node/config.js';
import { keyFileFromSeed, writeKeyFile } from '../runtime/keyfile.js';
import { printLine as out } from '../runtime/commands.js';
import { LATEST_PROTOCOL } from '../domains/protocols.js';
import { getJson } from '../../tools/child.js';
import type { EtcdCluster, EtcdMemberSpec } from '../../tools/etcd.js';
import { CLI_MAIN, NodeProcess } from '../../tools/node-process.js';
import { freePorts } from '../../tools/ports.js';

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

/** What `cluster demo` remembers in its directory, to start the same cluster again. */
interface DemoState {
  version: 1;
  seed: string;
  /** The etcd cluster token of its first start. */
  token: string;
  checkpointQuorum: number;
  /** Whether the demo activity was submitted (or begun) already. */
  seeded: boolean;
  etcd: EtcdMemberSpec[];
  nodes: { org: string; port: number }[];
}

const STATE_FILE = 'cluster-demo.json';
const ETCD_MEMBERS = 3;

/**
 * The demo's nodes take every account registration of the demo's applicants from this machine's
 * one address, many to a request (a node's defaults allow one a request and ten an hour).
 */
const DEMO_SPAM_LIMITS = { registrationsPerRequest: 1000, registrationsPerAddressPerHour: 1000 };

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
  const { demoGenesis, writeDemoConsortium } = await import('../node/demo.js');
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
  const checkpointQuorum = majority(n);
  writeDemoConsortium(o.dir, {
    seed: o.seed,
    time: Date.now() - 1000,
    orgs,
    checkpointQuorum,
    endpoints: etcd.map((m) => `http://127.0.0.1:${m.client}`),
    spamLimits: DEMO_SPAM_LIMITS,
  });
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

const health = async (url: string) =>
  (await getJson(`${url}/v1/health`)).json as { chain: string; height: number; size: number };

async function clusterDemo(o: DemoOpts): Promise<void> {
  // Loaded here, not at start-up: the etcd client library is large, and only the demo needs it.
  const { findEtcd, startEtcdCluster } = await import('../../tools/etcd.js');
  const bin = findEtcd(undefined, 'the cluster demo runs a local 3-member etcd cluster');
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

  // Each child in a process group of its own: Ctrl-C in a terminal reaches only the demo, which
  // then stops the nodes before etcd.
  const nodes = state.nodes.map(
    (s) =>
      new NodeProcess({
        dir: join(dir, s.org),
        name: s.org,
        port: s.port,
        host: '127.0.0.1',
        logFile: join(logs, `${s.org}.log`),
        detached: true,
      }),
  );
  let etcd: Promise<EtcdCluster> | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      await Promise.all(nodes.map((n) => n.stop(10_000)));
      // An etcd start still under way ends first (started or failed), then its members stop.
      await (await etcd?.catch(() => undefined))?.stop();
    })();
    return stopping;
  };
  const report = (kind: string, name: string, pid: number, exited: Promise<void>, log: string) => {
    void exited.then(() => {
      if (!stopping)
        process.stderr.write(
          `aidledger cluster demo: ${kind} ${name} (pid ${pid}) exited; its log: ${log}\n`,
        );
    });
  };

  // Ctrl-C (or SIGTERM) at any time, even while the demo starts or submits its activity, stops
  // what it started: the children's process groups do not get the terminal's signal.
  const signalled = new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  const up = async () => {
    etcd = startEtcdCluster({
      bin,
      dir: join(dir, 'etcd'),
      logDir: logs,
      members: state.etcd,
      token: state.token,
      detached: true,
    });
    const members = (await etcd).members;
    for (const n of nodes) {
      // Stopped while starting: no node starts after the others were stopped.
      if (stopping) return;
      await n.spawn();
    }
    const deadline = Date.now() + 60_000;
    await Promise.all(nodes.map((n) => n.ready(deadline)));
    for (const m of members) report('etcd', m.name, m.pid, m.exited, m.logFile);
    for (const n of nodes) report('node', n.name, n.pid, n.exited, join(logs, `${n.name}.log`));

    const first = nodes[0]!;
    const { chain } = await health(first.url);
    const activity: string[] = [];
    if (o.activity && !state.seeded) {
      // Every domain's part of the demo, through the first node: the members, then the medical
      // aid, each round committed by the consortium before the next is chosen.
      const { remoteDemoTarget, runDemo } = await import('../node/demo.js');
      // Submitted at most once: run again on a log it began (say it was interrupted), the
      // activity would be refused its nonces and keys. A fresh directory starts afresh.
      state.seeded = true;
      writeState(stateFile, state);
      const target = remoteDemoTarget(first.url, first.dir);
      try {
        activity.push(
          `demo activity submitted through ${first.name}:`,
          ...(await runDemo(target, state.seed, chain)),
        );
      } finally {
        target.close();
      }
    }
    // Every node reaches the first node's size: the cluster orders and applies.
    const target = (await health(first.url)).size;
    const until = Date.now() + 30_000;
    await Promise.all(
      nodes.map((n) =>
        n.waitUntil(
          `reach log size ${target}`,
          async () => (await health(n.url)).size >= target,
          until,
        ),
      ),
    );
    const now = await health(first.url);

    const width = Math.max(
      ...state.etcd.map((m) => m.name.length),
      ...nodes.map((n) => n.name.length),
    );
    const line = (kind: string, name: string, url: string, pid: number, where: string) =>
      `  ${kind.padEnd(4)} ${name.padEnd(width)}  ${url}  pid ${pid}  ${where}`;
    const cli = `node ${CLI_MAIN}`;
    const other = nodes[1] ?? first;
    out(
      [
        `AidLedger cluster demo in ${dir}${reused ? ' (restarted)' : ''}: chain ${chain}, ${nodes.length} nodes, checkpoints final once ${state.checkpointQuorum} have signed`,
        ...members.map((m) => line('etcd', m.name, m.clientUrl, m.pid, `data ${m.dataDir}`)),
        ...nodes.map((n) => line('node', n.name, n.url, n.pid, `dir ${n.dir}`)),
        ...activity,
        `every node at height ${now.height}, ${now.size} log entries; logs in ${logs}`,
        `try:`,
        `  curl ${first.url}/v1/log/checkpoint`,
        `  ${cli} verify --remote ${other.url}`,
        `  ${cli} witness ${other.url} --interval 2`,
        `Stop with Ctrl-C (nodes first, then etcd); run the same command again to restart this demo.`,
      ].join('\n'),
    );
  };
  let signal: NodeJS.Signals;
  try {
    signal = (await Promise.race([up().then(() => undefined), signalled])) ?? (await signalled);
  } catch (e) {
    await stopAll();
    throw e;
  }
  // A second Ctrl-C while stopping ends everything at once (this process's exit kills them).
  const force = () => process.exit(130);
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
    .option(
      '--no-activity',
      'do not submit the demo’s activity (its members, then the medical aid: programs, money, cases)',
    )
    .action(async (o: DemoOpts) => {
      await clusterDemo(o);
    });
}
