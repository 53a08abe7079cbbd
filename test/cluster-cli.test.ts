/**
 * `aidledger cluster` as a user runs it, the compiled CLI in a child process: `cluster init`
 * writes node directories that open, with one genesis and one consortium key; `cluster demo`
 * brings up a real 3-member etcd cluster and three nodes as child processes, submits the demo's
 * activity through them (the members, then the medical aid's programs, money and cases), serves
 * cosigned checkpoints, stops every process it started on SIGINT, and starts the same cluster
 * again.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { verifyCheckpoint } from '../src/chain/policy.js';
import { toHex } from '../src/core/bytes.js';
import { publicKeyFromSeed } from '../src/core/ed25519.js';
import { paths, readConsortiumKey, readNodeDir } from '../src/node/config.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import { readKeyFile } from '../src/runtime/keyfile.js';
import { tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ORGS = ['city-bureau', 'hope-foundation', 'general-hospital'];
const TYPED = 'city-bureau:government,hope-foundation:charity,general-hospital:hospital';
const ENDPOINTS = ['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aidledger(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const show = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

const base = tempDir('aidledger-cluster-cli-');

void describe('aidledger cluster init', () => {
  void it('writes one node directory per organisation: one genesis, one consortium key, the cluster in node.json', async () => {
    const dir = join(base.dir, 'fresh');
    const r = await aidledger([
      'cluster',
      'init',
      '--dir',
      dir,
      '--orgs',
      TYPED,
      '--endpoints',
      ENDPOINTS.join(','),
      '--chain',
      'example.org/aid',
    ]);
    assert.equal(r.code, 0, show(r));
    const dirs = ORGS.map((o) => join(dir, o));
    for (const d of dirs) assert.ok(r.stdout.includes(d), r.stdout);
    const genesis = dirs.map((d) => readFileSync(paths.genesis(d)));
    for (const g of genesis.slice(1)) assert.ok(g.equals(genesis[0]!), 'identical genesis bytes');
    const consortium = dirs.map((d) => toHex(readConsortiumKey(d)!));
    assert.equal(new Set(consortium).size, 1);
    const nodeKeys = new Set<string>();
    for (const [i, d] of dirs.entries()) {
      const nd = readNodeDir(d);
      assert.equal(nd.config.org, ORGS[i]);
      assert.deepEqual(nd.config.cluster, { endpoints: ENDPOINTS });
      assert.equal(nd.etcdTls, undefined);
      assert.equal(nd.genesis.chain, 'example.org/aid');
      assert.equal(nd.genesis.checkpointQuorum, 2);
      const org = nd.genesis.orgs.find((o) => o.id === ORGS[i])!;
      assert.equal(org.nodeKey, nd.nodeKey.publicKey);
      nodeKeys.add(nd.nodeKey.publicKey);
      const admin = readKeyFile(join(paths.keys(d), `${ORGS[i]}.admin.json`));
      assert.equal(admin.publicKey, org.rootKey);
      assert.equal(admin.member, `${ORGS[i]}/admin`);
    }
    assert.equal(nodeKeys.size, 3, 'each node its own key');
  });

  void it('writes the demo consortium’s keys with --demo-seed', async () => {
    const dir = join(base.dir, 'demo-seed');
    const r = await aidledger([
      'cluster',
      'init',
      '--dir',
      dir,
      '--orgs',
      ORGS.join(','),
      '--endpoints',
      ENDPOINTS.join(','),
      '--demo-seed',
      'seed-1',
      '--quorum',
      '3',
    ]);
    assert.equal(r.code, 0, show(r));
    const genesis = ORGS.map((o) => readFileSync(paths.genesis(join(dir, o)), 'utf8'));
    for (const g of genesis.slice(1)) assert.equal(g, genesis[0]);
    for (const org of ORGS) {
      const nd = readNodeDir(join(dir, org));
      assert.equal(nd.genesis.checkpointQuorum, 3);
      assert.deepEqual(nd.config.cluster, { endpoints: ENDPOINTS });
      assert.equal(
        nd.nodeKey.publicKey,
        toHex(publicKeyFromSeed(demoSeed('seed-1', `${org}/node`))),
      );
      assert.equal(toHex(nd.consortiumKey!), toHex(demoSeed('seed-1', 'consortium')));
      // Organisations of the demo that run no node have no node key.
      assert.equal(nd.genesis.orgs.filter((o) => o.nodeKey !== undefined).length, 3);
    }
  });

  void it('copies each node’s TLS files for etcd and names them in node.json', async () => {
    const pem = join(base.dir, 'pem');
    mkdirSync(pem);
    const cert = (what: string) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(what).toString('base64')}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(pem, 'ca.pem'), cert('ca'));
    for (const org of ORGS) {
      writeFileSync(join(pem, `${org}.pem`), cert(org));
      writeFileSync(join(pem, `${org}-key.pem`), cert(`${org} key`));
    }
    const https = ENDPOINTS.map((e) => e.replace('http:', 'https:'));
    const dir = join(base.dir, 'tls');
    const init = (endpoints: string[]) =>
      aidledger([
        'cluster',
        'init',
        '--dir',
        dir,
        '--orgs',
        TYPED,
        '--endpoints',
        endpoints.join(','),
        '--chain',
        'example.org/aid',
        '--tls-ca',
        join(pem, 'ca.pem'),
        '--tls-dir',
        pem,
      ]);
    const plain = await init(ENDPOINTS);
    assert.equal(plain.code, 2, show(plain));
    assert.match(plain.stderr, /every endpoint is https/);
    const r = await init(https);
    assert.equal(r.code, 0, show(r));
    for (const org of ORGS) {
      const nd = readNodeDir(join(dir, org));
      assert.deepEqual(nd.config.cluster?.tls, {
        ca: 'tls/etcd-ca.pem',
        cert: 'tls/client.pem',
        key: 'tls/client-key.pem',
      });
      assert.equal(nd.etcdTls?.ca.toString(), cert('ca'));
      assert.equal(nd.etcdTls?.cert?.toString(), cert(org));
      assert.equal(nd.etcdTls?.key?.toString(), cert(`${org} key`));
      assert.equal(statSync(join(dir, org, 'tls', 'client-key.pem')).mode & 0o077, 0);
    }
  });

  void it('refuses a directory that already holds a node, and bad arguments, with exit 2', async () => {
    const dir = join(base.dir, 'fresh');
    const again = await aidledger([
      'cluster',
      'init',
      '--dir',
      dir,
      '--orgs',
      TYPED,
      '--endpoints',
      ENDPOINTS.join(','),
      '--chain',
      'example.org/aid',
    ]);
    assert.equal(again.code, 2, show(again));
    assert.match(again.stderr, /^aidledger: CONFIG: .*city-bureau already holds a node\n$/);
    for (const args of [
      ['--orgs', 'a1,b1', '--endpoints', ENDPOINTS[0]!, '--chain', 'x.org/a'],
      ['--orgs', TYPED, '--endpoints', 'not-a-url', '--chain', 'x.org/a'],
      ['--orgs', TYPED, '--endpoints', ENDPOINTS[0]!, '--chain', 'x.org/a', '--quorum', '4'],
      ['--orgs', 'nobody', '--endpoints', ENDPOINTS[0]!, '--demo-seed', 's'],
      ['--orgs', TYPED, '--endpoints', 'https://10.0.0.1:2379', '--chain', 'x.org/a'],
    ]) {
      const r = await aidledger(['cluster', 'init', '--dir', join(base.dir, 'bad'), ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${show(r)}`);
      assert.match(r.stderr, /^aidledger: (CONFIG|BAD_REQUEST): /);
    }
  });
});

interface Demo {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
  nodes: { org: string; url: string; pid: number }[];
  etcd: { name: string; url: string; pid: number }[];
}

const started: Demo[] = [];

/** Starts `cluster demo` and waits until it has printed its processes. */
async function startDemo(dir: string): Promise<Demo> {
  const child = spawn(process.execPath, [CLI, 'cluster', 'demo', '--nodes', '3', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const demo: Demo = { child, stdout: () => stdout, exited, nodes: [], etcd: [] };
  started.push(demo);
  // Generous for a loaded machine; the demo's activity takes some fifteen seconds on an idle one.
  const deadline = Date.now() + 240_000;
  while (!stdout.includes('Stop with Ctrl-C')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`cluster demo did not come up: ${stdout}\n${stderr}`);
    await sleep(50);
  }
  for (const m of stdout.matchAll(/^ {2}(node|etcd) +(\S+) +(http:\/\/\S+) +pid (\d+)/gm)) {
    const p = { org: m[2]!, name: m[2]!, url: m[3]!, pid: Number(m[4]) };
    (m[1] === 'node' ? demo.nodes : demo.etcd).push(p);
  }
  return demo;
}

/** SIGINT, then every process it printed must be gone. */
async function stopDemo(d: Demo): Promise<void> {
  d.child.kill('SIGINT');
  const code = await d.exited;
  assert.equal(code, 0, d.stdout());
  assert.match(d.stdout(), /\nstopped\n$/);
  for (const p of [...d.nodes, ...d.etcd]) assert.equal(alive(p.pid), false, `pid ${p.pid} left`);
}

after(() => {
  // After a failure: nothing the demos started may outlive the test.
  for (const d of started) {
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
    for (const p of [...d.nodes, ...d.etcd]) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
  }
  base.cleanup();
});

/**
 * The medical aid as each node's public API shows it: three programs whose money reconciles, and
 * some two hundred cases in every state of their lifecycle, the same on every node.
 */
async function medicalAidAgrees(d: Demo): Promise<void> {
  const views = await Promise.all(
    d.nodes.map(async (n) => ({
      org: n.org,
      programs: (await json<{ programs: Record<string, string>[] }>(`${n.url}/v1/public/programs`))
        .programs,
      flows: (await json<{ flows: unknown[] }>(`${n.url}/v1/public/flows`)).flows,
      cases: await publicCases(n.url),
    })),
  );
  const [first, ...others] = views;
  assert.equal(first!.programs.length, 3);
  for (const p of first!.programs)
    assert.equal(
      BigInt(p.received!),
      BigInt(p.available!) + BigInt(p.committed!) + BigInt(p.paid!),
      `${p.id}: received = available + committed + paid`,
    );
  assert.ok(
    first!.programs.some((p) => BigInt(p.paid!) > 0n),
    'money reached hospitals',
  );
  assert.ok(first!.flows.length > 0, 'money flows between sources, programs and hospitals');
  assert.ok(first!.cases.length >= 190, `${first!.cases.length} cases`);
  const states = new Set(first!.cases.map((c) => c.state));
  assert.equal(states.size, 13, `cases in ${[...states].join(', ')}`);
  for (const v of others) {
    assert.deepEqual(v.programs, first!.programs, `${v.org} shows the programs' money alike`);
    assert.deepEqual(v.flows, first!.flows, `${v.org} shows the same flows`);
    assert.deepEqual(v.cases, first!.cases, `${v.org} lists the same cases`);
  }
}

/** The log size every node reached, as the demo prints it. */
const printedSize = (d: Demo): number => {
  const m = /every node at height \d+, (\d+) log entries/.exec(d.stdout());
  assert.ok(m, d.stdout());
  return Number(m[1]);
};

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as T;
}

interface PublicCase {
  id: string;
  program: string;
  state: string;
  amount?: string;
}

/** Every case a node lists publicly, page by page. */
async function publicCases(url: string): Promise<PublicCase[]> {
  const all: PublicCase[] = [];
  let cursor: string | undefined;
  do {
    const page = await json<{ cases: PublicCase[]; nextCursor?: string }>(
      `${url}/v1/public/cases?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    all.push(...page.cases);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

void describe('aidledger cluster demo', () => {
  const dir = join(base.dir, 'demo');
  /** The log size of the first run, which a restart keeps. */
  let size = 0;

  void it('says how to install etcd when there is none (exit 2)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '' };
    delete env.AIDLEDGER_ETCD;
    const r = await aidledger(['cluster', 'demo', '--dir', join(base.dir, 'no-etcd')], env);
    assert.equal(r.code, 2, show(r));
    assert.match(
      r.stderr,
      /^aidledger: CONFIG: etcd is not installed.*apt-get install etcd-server/,
    );
  });

  void it('runs 3 etcd members and 3 nodes, submits the medical-aid demo through them, serves cosigned checkpoints; SIGINT stops them all', async () => {
    const d = await startDemo(dir);
    assert.equal(d.nodes.length, 3, d.stdout());
    assert.equal(d.etcd.length, 3, d.stdout());
    assert.deepEqual(
      d.nodes.map((n) => n.org),
      ORGS,
    );
    size = printedSize(d);
    // The membership's rounds and the medical aid's: over a thousand transactions.
    assert.ok(size > 1000, d.stdout());
    assert.match(d.stdout(), /^medical aid: 3 programs, \d+ cases, \d+ transactions/m);
    assert.doesNotMatch(d.stdout(), /unexpected/, 'every transaction had the outcome it meant');
    for (const n of d.nodes) {
      const res = await fetch(`${n.url}/v1/health`);
      assert.equal(res.status, 200);
      const h = (await res.json()) as { ok: boolean; org: string; size: number };
      assert.equal(h.ok, true);
      assert.equal(h.org, n.org);
      assert.equal(h.size, size, 'every node holds the whole log the demo printed');
      const policy = (await (await fetch(`${n.url}/v1/policy`)).json()) as Parameters<
        typeof verifyCheckpoint
      >[1];
      // The checkpoint becomes final once the quorum has signed: 2 of the 3 nodes.
      for (let tries = 0; ; tries++) {
        const cp = await fetch(`${n.url}/v1/log/checkpoint`);
        assert.equal(cp.status, 200);
        const note = await cp.text();
        let cosigned = 0;
        try {
          cosigned = verifyCheckpoint(note, policy).size;
        } catch {
          // not signed by the quorum yet
        }
        if (cosigned === size) break;
        assert.ok(tries < 100, `no cosigned checkpoint on ${n.org}`);
        await sleep(100);
      }
    }
    await medicalAidAgrees(d);
    await stopDemo(d);
  });

  void it('starts the same cluster again on the same directory, and submits nothing twice', async () => {
    const d = await startDemo(dir);
    assert.match(d.stdout(), /\(restarted\)/);
    assert.doesNotMatch(d.stdout(), /demo activity/);
    assert.equal(d.nodes.length, 3);
    for (const n of d.nodes) {
      const h = (await (await fetch(`${n.url}/v1/health`)).json()) as { ok: boolean; size: number };
      assert.deepEqual([h.ok, h.size], [true, size]);
    }
    try {
      await medicalAidAgrees(d);
    } finally {
      await stopDemo(d);
    }
  });
});
