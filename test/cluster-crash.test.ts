/**
 * Crashes in a consortium, with real parts only: a three-member etcd cluster on loopback and three
 * `aidledger start` child processes ordered by it, under continuous load from clients on every
 * node. The etcd leader is killed with SIGKILL and restarted, then one node is, on its own
 * directory. A client whose request was cut short sends the identical transactions again, to
 * another node if its own is down. Afterwards every acknowledged transaction is on every node
 * with its original outcome, the nodes agree on size, root, blocks and state digest, and
 * `aidledger verify --dir` passes on each directory.
 *
 * Then a fork: two of the three organisations run a second history on their own etcd prefix from
 * the same genesis, with their real node keys, until their log has the honest log's size. Both
 * checkpoints of that size are signed by a quorum; `aidledger witness` that saw one and is served
 * the other exits 1 naming the fork.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { verifyCheckpoint, type Policy } from '../src/chain/policy.js';
import { possessionText } from '../src/domains/membership/possession.js';
import { signingText, txIdOf, type SignedTx } from '../src/chain/tx.js';
import { toHex, utf8 } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { publicKeyFromSeed } from '../src/core/ed25519.js';
import { sha256 } from '../src/core/hash.js';
import { nodeSigner, publicKeyOfSeed } from '../src/runtime/node-ed25519.js';
import { demoActivity, writeDemoConsortium, writeDemoDir, DEMO_CHAIN } from '../src/node/demo.js';
import { NodeProcess } from '../tools/node-process.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import { etcdClient, startEtcdCluster, type EtcdCluster } from '../tools/etcd.js';
import { SEED, tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ORGS = ['city-bureau', 'hope-foundation', 'general-hospital'] as const;
const ADMINS = [
  'city-bureau',
  'hope-foundation',
  'general-hospital',
  'children-hospital',
  'east-hospital',
  'audit-office',
].map((o) => `${o}/admin`);
/** Load clients per node, and transactions a request. */
const CLIENTS_PER_NODE = 2;
const PER_REQUEST = 20;
/** Acknowledgements to see in each phase (with the etcd leader down, with a node down, …). */
const PHASE_ACKS = 300;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One `aidledger start` child process on `dir`; its output appends to `<dir>.log`. */
const nodeAt = (dir: string, name?: string) =>
  new NodeProcess({ dir, logFile: `${dir}.log`, cwd: ROOT, ...(name ? { name } : {}) });

interface Health {
  ok: boolean;
  height: number;
  size: number;
  code?: string;
}

async function getJson<T>(url: string): Promise<{ status: number; json: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, json: (await res.json()) as T };
}

async function health(n: NodeProcess): Promise<Health> {
  return (await getJson<Health>(`${n.url}/v1/health`)).json;
}

async function checkpointOf(n: NodeProcess, policy: Policy) {
  const res = await fetch(`${n.url}/v1/log/checkpoint`, { signal: AbortSignal.timeout(10_000) });
  return verifyCheckpoint(await res.text(), policy);
}

/** Runs the compiled CLI to completion. */
async function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, out, err };
}

/** The index of the etcd member that its peers follow, asked of every live member. */
async function etcdLeader(etcd: EtcdCluster): Promise<number> {
  for (const [i, m] of etcd.members.entries()) {
    if (!m.running) continue;
    const c = etcdClient(m.clientUrl, { attempts: 2 });
    try {
      const s = await c.maintenance.status();
      if (s.leader === s.header.member_id) return i;
    } catch {
      // ask the next member
    } finally {
      c.close();
    }
  }
  throw new Error('no etcd member says it is the leader');
}

interface Ack {
  tx: SignedTx;
  height: number;
  index: number;
  result: unknown;
}

describe('a consortium under kill -9 of an etcd member and of a node', () => {
  let etcd: EtcdCluster;
  const base = tempDir('aidledger-cluster-crash-');
  const time = Date.now() - 1000;
  const nodes: NodeProcess[] = [];
  const forks: NodeProcess[] = [];
  const chain = DEMO_CHAIN;
  let policy: Policy;
  const signers = new Map(
    ADMINS.map((a) => [
      a,
      { pub: toHex(publicKeyFromSeed(demoSeed(SEED, a))), sign: nodeSigner(demoSeed(SEED, a)) },
    ]),
  );
  let counter = 0;

  /** A fresh enrolment signed with node:crypto by one of the six organisations' admins. */
  function enrol(prefix: string): SignedTx {
    const c = ++counter;
    const admin = ADMINS[c % ADMINS.length]!;
    const a = signers.get(admin)!;
    const org = admin.split('/')[0]!;
    // The new member's key, proving possession of itself (protocol 2).
    const seed = sha256(utf8(`${prefix}-key:${process.pid}:${c}`));
    const key = toHex(publicKeyOfSeed(seed));
    const name = `${prefix}-${c}`;
    const body = {
      alg: 'ed25519' as const,
      chain,
      nonce: `${prefix}-${process.pid}-${c}`,
      payload: {
        key,
        name,
        pop: toHex(nodeSigner(seed)(utf8(possessionText(chain, `${org}/${name}`, key)))),
        // The audit office may give its members only admin and operator.
        roles: [org === 'audit-office' ? 'operator' : 'clerk'],
      },
      signer: a.pub,
      time: Date.now(),
      type: 'membership.enrol',
    };
    const sig = toHex(a.sign(utf8(signingText(body as Omit<SignedTx, 'sig'>))));
    return { ...body, sig } as SignedTx;
  }

  before(async () => {
    etcd = await startEtcdCluster();
    const dirs = writeDemoConsortium(base.dir, {
      seed: SEED,
      time,
      orgs: ORGS,
      checkpointQuorum: 2,
      endpoints: etcd.endpoints,
    });
    for (const dir of dirs) nodes.push(nodeAt(dir));
    // Two of the three organisations, with the same genesis and node keys, on a prefix of
    // their own: started only for the fork test.
    for (const org of ORGS.slice(0, 2)) {
      const dir = join(base.dir, `fork-${org}`);
      writeDemoDir(dir, SEED, time, {
        org,
        nodes: ORGS,
        checkpointQuorum: 2,
        cluster: { endpoints: etcd.endpoints, prefix: 'aidledger-fork/' },
      });
      forks.push(nodeAt(dir, org));
    }
    await Promise.all(nodes.map((n) => n.start()));
    policy = (await getJson<Policy>(`${nodes[0]!.url}/v1/policy`)).json;
  });

  after(async () => {
    for (const n of [...nodes, ...forks]) await n.kill();
    await etcd?.stop();
    base.cleanup();
  });

  // Set by the first test, read by the later ones.
  const acked = new Map<string, Ack>();
  let final = { size: 0, height: 0, root: '' };

  it('loses no acknowledged transaction when the etcd leader and then a node are killed under load', async () => {
    // The demo's members first, so the log has the demo's signers besides the admins.
    const [members] = demoActivity(SEED, chain, Date.now());
    const res = await fetch(`${nodes[0]!.url}/v1/txs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: canonicalJson(members!.map((tx) => ({ tx }))),
    });
    const enrolled = (await res.json()) as { results: { result: { ok: boolean } }[] };
    assert.equal(res.status, 200, JSON.stringify(enrolled));
    assert.ok(enrolled.results.every((r) => r.result.ok));

    let stop = false;
    const errors: unknown[] = [];
    const answeredBy = [0, 0, 0];
    /** The highest block height each node acknowledged a transaction in. */
    const highest = [0, 0, 0];
    let cutShort = 0;
    let unavailable = 0;
    let resent = 0;
    let duplicates = 0;

    /** Sends `txs` to its home node, then to the others in turn, until one answers 200. */
    const send = async (home: number, txs: SignedTx[]): Promise<void> => {
      const text = canonicalJson(txs.map((tx) => ({ tx })));
      const deadline = Date.now() + 60_000;
      for (let attempt = 0; ; attempt++) {
        // Back to the home node first each time; after a failure, the next node in turn.
        const k = (home + attempt) % nodes.length;
        const n = nodes[k]!;
        if (attempt > 0) resent++;
        let status = 0;
        let json: { results?: (Omit<Ack, 'tx'> & { id: string; duplicate?: boolean })[] } = {};
        try {
          const r = await fetch(`${n.url}/v1/txs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: text,
            signal: AbortSignal.timeout(20_000),
          });
          status = r.status;
          json = (await r.json()) as typeof json;
        } catch {
          cutShort++;
        }
        if (status === 200) {
          const results = json.results ?? [];
          assert.equal(results.length, txs.length);
          results.forEach((r, i) => {
            const tx = txs[i]!;
            assert.equal(r.id, txIdOf(canonicalJson(tx), sha256), 'acknowledged id');
            assert.deepEqual(r.result, { ok: true }, `enrolment ${r.id} was refused`);
            if (r.duplicate) duplicates++;
            const before = acked.get(r.id);
            if (before)
              assert.deepEqual(
                [r.height, r.index],
                [before.height, before.index],
                `${r.id} answered twice with different outcomes`,
              );
            acked.set(r.id, { tx, height: r.height, index: r.index, result: r.result });
            highest[k] = Math.max(highest[k]!, r.height);
          });
          answeredBy[k]! += results.length;
          return;
        }
        if (status !== 0) {
          // The ordering service was unavailable: the one refusal a client retries.
          assert.equal(status, 503, `node ${n.name} answered ${status}: ${JSON.stringify(json)}`);
          unavailable++;
        }
        if (Date.now() > deadline) throw new Error(`no node took a request for 60 s`);
        await sleep(100);
      }
    };
    const client = async (home: number) => {
      while (!stop)
        await send(
          home,
          Array.from({ length: PER_REQUEST }, () => enrol('load')),
        );
    };
    const loops = nodes.flatMap((_, home) =>
      Array.from({ length: CLIENTS_PER_NODE }, () =>
        client(home).catch((e: unknown) => {
          stop = true;
          errors.push(e);
        }),
      ),
    );

    const phases: string[] = [];
    /** Waits until `more` transactions were acknowledged, by every node in `by` among them. */
    const progress = async (what: string, more: number, by: number[] = []) => {
      const t0 = Date.now();
      const from = acked.size;
      const fromBy = [...answeredBy];
      const deadline = Date.now() + 30_000;
      while (acked.size < from + more || by.some((k) => answeredBy[k]! === fromBy[k]!)) {
        if (errors.length > 0) throw errors[0];
        if (Date.now() > deadline)
          throw new Error(
            `${what}: ${acked.size - from} acknowledged in 30 s, by node ${answeredBy.map((a, k) => a - fromBy[k]!).join('/')}\n` +
              nodes.map((n) => `${n.name}: ${n.output(1500)}`).join('\n'),
          );
        await sleep(50);
      }
      phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    };

    try {
      await progress('load before any kill', PHASE_ACKS, [0, 1, 2]);

      // The etcd leader, killed; every node keeps committing on the other two members.
      const leader = await etcdLeader(etcd);
      await etcd.members[leader]!.kill('SIGKILL');
      await progress(`with etcd leader ${etcd.members[leader]!.name} down`, PHASE_ACKS, [0, 1, 2]);
      await etcd.members[leader]!.restart();
      await progress('after the etcd member came back', PHASE_ACKS, [0, 1, 2]);

      // A node killed with requests in flight; its clients turn to the other nodes.
      const victim = nodes[1]!;
      await victim.kill('SIGKILL');
      const answeredBefore = highest[1]!;
      await progress(`with node ${victim.name} down`, PHASE_ACKS, [0, 2]);
      await victim.start();
      const h = await health(victim);
      assert.ok(h.ok, JSON.stringify(h));
      // It comes back at or past everything it had acknowledged.
      assert.ok(
        h.height >= answeredBefore,
        `restarted at height ${h.height}, below ${answeredBefore} that it acknowledged`,
      );
      await progress(`after node ${victim.name} came back`, PHASE_ACKS, [0, 1, 2]);
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    if (errors.length > 0) throw errors[0];
    console.log(
      `cluster crash: ${acked.size} transactions acknowledged (by node ${answeredBy.join('/')}); ` +
        `${cutShort} requests had no answer (cut short or refused), ${unavailable} answered 503, ${resent} sent again, ` +
        `${duplicates} answered as duplicates; ${PHASE_ACKS}+ acknowledged ${phases.join(', ')}`,
    );

    // Every node reaches the same height and size, and serves a checkpoint of that size signed by
    // all three organisations.
    const deadline = Date.now() + 30_000;
    let hs: Health[] = [];
    for (;;) {
      hs = await Promise.all(nodes.map(health));
      if (hs.every((x) => x.ok && x.size === hs[0]!.size && x.height === hs[0]!.height)) break;
      if (Date.now() > deadline) assert.fail(`nodes did not converge: ${JSON.stringify(hs)}`);
      await sleep(50);
    }
    const { size, height } = hs[0]!;
    const maxAcked = Math.max(...[...acked.values()].map((a) => a.height));
    assert.ok(height >= maxAcked, `height ${height} is below an acknowledged ${maxAcked}`);
    const cps = await Promise.all(
      nodes.map(async (n) => {
        for (;;) {
          const cp = await checkpointOf(n, policy);
          if (cp.size === size && cp.orgs.length === ORGS.length) return cp;
          if (Date.now() > deadline)
            assert.fail(`${n.name} serves size ${cp.size} signed by ${cp.orgs.join(', ')}`);
          await sleep(50);
        }
      }),
    );
    const root = toHex(cps[0]!.root);
    for (const cp of cps) assert.equal(toHex(cp.root), root);
    // The same head block (which chains every earlier one and carries the state digest).
    const heads = await Promise.all(
      nodes.map(async (n) => (await getJson<unknown>(`${n.url}/v1/blocks/${height}`)).json),
    );
    for (const b of heads.slice(1)) assert.deepEqual(b, heads[0]);
    // Every node proposed blocks.
    const proposers = new Set<string>();
    for (let from = Math.max(0, height - 300); from <= height; from += 100) {
      const page = await getJson<{ blocks: { proposer: string }[] }>(
        `${nodes[0]!.url}/v1/blocks?from=${from}&limit=100`,
      );
      for (const b of page.json.blocks) proposers.add(b.proposer);
    }
    assert.deepEqual([...proposers].filter((p) => p !== 'genesis').sort(), [...ORGS].sort());
    final = { size, height, root };

    // Every acknowledged transaction, on every node, with the outcome it was acknowledged with.
    const ids = [...acked.keys()];
    const problems: string[] = [];
    for (const n of nodes) {
      let at = 0;
      const reader = async () => {
        while (at < ids.length) {
          const id = ids[at++]!;
          const r = await fetch(`${n.url}/v1/tx/${id}`);
          if (r.status !== 200) {
            await r.body?.cancel();
            problems.push(`${n.name}: ${id} HTTP ${r.status}`);
            continue;
          }
          const rec = (await r.json()) as { height: number; index: number; result: unknown };
          const a = acked.get(id)!;
          if (rec.height !== a.height || rec.index !== a.index)
            problems.push(
              `${n.name}: ${id} acknowledged at ${a.height}/${a.index}, served at ${rec.height}/${rec.index}`,
            );
          else if (canonicalJson(rec.result) !== canonicalJson(a.result))
            problems.push(`${n.name}: ${id} served with result ${JSON.stringify(rec.result)}`);
        }
      };
      await Promise.all(Array.from({ length: 16 }, reader));
    }
    assert.deepEqual(
      problems.slice(0, 20),
      [],
      `${problems.length} acknowledged transactions wrong`,
    );

    // An identical transaction sent again, to any node, answers its original outcome.
    const sample = ids.filter((_, i) => i % Math.ceil(ids.length / 150) === 0);
    for (const n of nodes) {
      const r = await fetch(`${n.url}/v1/txs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: canonicalJson(sample.map((id) => ({ tx: acked.get(id)!.tx }))),
      });
      const json = (await r.json()) as {
        results: {
          id: string;
          height: number;
          index: number;
          result: unknown;
          duplicate?: boolean;
        }[];
      };
      assert.equal(r.status, 200, JSON.stringify(json));
      json.results.forEach((x, i) => {
        const a = acked.get(sample[i]!)!;
        assert.equal(x.id, sample[i]);
        assert.deepEqual(
          [x.height, x.index, x.result, x.duplicate],
          [a.height, a.index, a.result, true],
        );
      });
    }
    const again = await Promise.all(nodes.map(health));
    assert.deepEqual(
      again.map((x) => x.size),
      nodes.map(() => size),
      'a resubmission added nothing',
    );
  });

  it('reports a fork: aidledger witness exits 1 when a quorum signed another root for a size it saw', async () => {
    assert.ok(final.size > 0, 'the first test ran');
    const honest = nodes[0]!;
    // The witness follows the honest consortium first.
    const seen = join(base.dir, 'witness-honest.json');
    let w = await cli(['witness', honest.url, '--state', seen]);
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, new RegExp(`ok: size ${final.size} root ${final.root}`));

    // city-bureau and hope-foundation, a quorum, run a second history with the same node keys
    // until their log has the same size.
    await Promise.all(forks.map((n) => n.start()));
    const f = forks[0]!;
    for (;;) {
      const left = final.size - (await health(f)).size;
      assert.ok(left >= 0, `the fork overshot by ${-left}`);
      if (left === 0) break;
      // A request is one block: its transactions and one block leaf.
      let n = Math.min(1000, left - 1);
      if (left - (n + 1) === 1) n--;
      const r = await fetch(`${f.url}/v1/txs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: canonicalJson(Array.from({ length: n }, () => ({ tx: enrol('fork') }))),
      });
      assert.equal(r.status, 200, await r.text());
    }
    let forked: ReturnType<typeof verifyCheckpoint> | undefined;
    const deadline = Date.now() + 20_000;
    while (!forked) {
      const cp = await checkpointOf(f, policy).catch(() => undefined);
      if (cp?.size === final.size) forked = cp;
      else if (Date.now() > deadline) assert.fail(`the fork served ${cp?.size ?? 'no'} checkpoint`);
      else await sleep(50);
    }
    // Two checkpoints of one size, each signed by a quorum, and both by city-bureau's node key.
    const honestNote = (await checkpointOf(honest, policy)).note;
    const forkedRoot = toHex(forked.root);
    assert.notEqual(forkedRoot, final.root);
    assert.ok(forked.orgs.includes('city-bureau') && forked.orgs.length >= policy.quorum);
    assert.ok(verifyCheckpoint(honestNote, policy).orgs.includes('city-bureau'));

    // The witness that saw the honest checkpoint is served the forked one.
    const kept = readFileSync(seen, 'utf8');
    w = await cli(['witness', f.url, '--state', seen]);
    assert.equal(w.code, 1, `${w.out}${w.err}`);
    assert.match(
      w.err,
      new RegExp(`FORK: two signed checkpoints of size ${final.size} with different roots`),
    );
    assert.equal(readFileSync(seen, 'utf8'), kept, 'the witness keeps the evidence it had');

    // And the other way round: one that followed the fork is served the honest checkpoint.
    const other = join(base.dir, 'witness-fork.json');
    w = await cli(['witness', forks[1]!.url, '--state', other]);
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, new RegExp(`ok: size ${final.size} root ${forkedRoot}`));
    w = await cli(['witness', nodes[2]!.url, '--state', other]);
    assert.equal(w.code, 1, `${w.out}${w.err}`);
    assert.match(w.err, /FORK/);
    // The saved state is the witness's own evidence: the forked note, quorum-signed.
    const state = JSON.parse(readFileSync(other, 'utf8')) as { checkpoint: { note: string } };
    assert.equal(toHex(verifyCheckpoint(state.checkpoint.note, policy).root), forkedRoot);
    await Promise.all(forks.map((n) => n.stop()));
  });

  it('passes aidledger verify --dir on every node directory, with the same root and state', async () => {
    assert.ok(final.size > 0, 'the first test ran');
    await Promise.all(nodes.map((n) => n.stop()));
    const roots = new Set<string>();
    const states = new Set<string>();
    const runs = await Promise.all(nodes.map((n) => cli(['verify', '--dir', n.dir])));
    for (const [i, n] of nodes.entries()) {
      const v = runs[i]!;
      assert.equal(v.code, 0, `verify ${n.name}: ${v.err}${v.out}`);
      const m = /^sound: (\d+) blocks, (\d+) transactions[^\n]*, (\d+) log entries$/m.exec(v.out);
      assert.ok(m, v.out);
      assert.equal(Number(m[1]), final.height + 1);
      assert.equal(Number(m[3]), final.size);
      assert.ok(Number(m[2]) >= acked.size);
      roots.add(/^root (\S+)$/m.exec(v.out)![1]!);
      states.add(/^state (\S+)$/m.exec(v.out)![1]!);
    }
    assert.deepEqual([...roots], [final.root]);
    assert.equal(states.size, 1);
  });
});
