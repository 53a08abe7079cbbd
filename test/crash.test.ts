/**
 * Crash safety with real parts: the compiled `aidledger start` runs as a child process on a demo
 * node directory, concurrent clients submit batches over HTTP, and the node is killed with
 * SIGKILL at a random moment of each round and restarted on the same directory. Every
 * transaction the node acknowledged must survive, and `aidledger verify --dir` must pass.
 *
 * Reproduce a failure with AIDLEDGER_CRASH_SEED=<the printed seed>.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { txIdOf, type SignedTx } from '../src/chain/tx.js';
import { possessionText } from '../src/domains/membership/possession.js';
import { toHex, utf8 } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { sha256 } from '../src/core/hash.js';
import { Ledger } from '../src/runtime/ledger.js';
import { nodeSigner, publicKeyOfSeed } from '../src/runtime/node-ed25519.js';
import { paths } from '../src/node/config.js';
import { writeDemoDir } from '../src/node/demo.js';
import { body, SEED, tempDir, txBy } from './helpers.js';
import { NodeProcess } from '../tools/node-process.js';
import { registry } from '../src/domains/protocols.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ROUNDS = 20;
const CLIENTS = 4;
const ADMINS = [
  'city-bureau/admin',
  'hope-foundation/admin',
  'general-hospital/admin',
  'children-hospital/admin',
  'east-hospital/admin',
  'audit-office/admin',
];

/** mulberry32: a small seeded PRNG, so the kill moments of a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts `aidledger start` on `dir` and waits until GET /v1/health answers 200. */
async function startChild(dir: string): Promise<NodeProcess> {
  const node = new NodeProcess({ dir, cwd: ROOT, startTimeoutMs: 15_000 });
  live.add(node);
  await node.start();
  return node;
}

async function kill9(node: NodeProcess): Promise<void> {
  await node.kill('SIGKILL');
  live.delete(node);
}

const live = new Set<NodeProcess>();

interface Ack {
  height: number;
  index: number;
  round: number;
}

void describe('crash safety', () => {
  const seed = Number(process.env.AIDLEDGER_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
  const rand = prng(seed);
  const t = tempDir('aidledger-crash-');
  const dir = t.dir;
  let chain = '';
  let counter = 0;

  before(() => {
    console.log(`crash safety: seed ${seed} (set AIDLEDGER_CRASH_SEED=${seed} to replay)`);
    chain = writeDemoDir(dir, SEED, Date.now() - 1000).chain;
  });

  after(async () => {
    for (const r of [...live]) await kill9(r);
    t.cleanup();
  });

  /**
   * An enrolment payload with its proof of possession signed through node:crypto: the same bytes
   * as `enrolPayload` (Ed25519 is deterministic), at a fraction of the portable signer's cost, so
   * that building batches does not eat the short window before each kill.
   */
  function fastEnrolPayload(org: string, name: string, roles: string[], seed: Uint8Array) {
    const key = toHex(publicKeyOfSeed(seed));
    const pop = toHex(nodeSigner(seed)(utf8(possessionText(chain, `${org}/${name}`, key))));
    return { name, roles, key, pop };
  }

  /** A batch of fresh enrolments: unique member names and keys, signed by the six admins. */
  function batch(n: number): SignedTx[] {
    const txs: SignedTx[] = [];
    for (let i = 0; i < n; i++) {
      const c = ++counter;
      const admin = ADMINS[c % ADMINS.length]!;
      const org = admin.split('/')[0]!;
      txs.push(
        txBy(
          chain,
          admin,
          'membership.enrol',
          fastEnrolPayload(
            org,
            `crash-${process.pid}-${c}`,
            // The audit office may give its members only admin and operator.
            [org === 'audit-office' ? 'operator' : 'clerk'],
            sha256(utf8(`crash-member-key:${process.pid}:${c}`)),
          ),
        ),
      );
    }
    return txs;
  }

  void it('kill -9 of the node at 20 random moments while batches are being submitted, restarting each time: every acknowledged transaction is present and verify passes', async () => {
    const acked = new Map<string, Ack>();
    const perRound: number[] = [];
    let failedRequests = 0;
    let maxAcked = -1;

    for (let round = 0; round < ROUNDS; round++) {
      const node = await startChild(dir);
      // After every restart, the node's head is at or past everything acknowledged so far.
      const health = (await (await fetch(`${node.url}/v1/health`)).json()) as { height: number };
      assert.ok(
        health.height >= maxAcked,
        `seed ${seed} round ${round}: restarted at height ${health.height} below acknowledged ${maxAcked}`,
      );

      // The kill falls at a random moment after the round's first acknowledgement, so every
      // round kills a node with batches in flight however fast or loaded the machine is.
      const killAt = Math.floor(rand() * 351);
      let firstAck = (): void => undefined;
      const acknowledged = new Promise<void>((r) => (firstAck = r));
      const sizes = Array.from({ length: 64 }, () => 20 + Math.floor(rand() * 31));
      let stop = false;
      let roundAcks = 0;
      const loop = async (k: number) => {
        for (let j = k; !stop; j += CLIENTS) {
          const txs = batch(sizes[j % sizes.length]!);
          let status: number;
          let json: { results?: { id: string; height: number; index: number; result: unknown }[] };
          try {
            const res = await fetch(`${node.url}/v1/txs`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: body(txs.map((tx) => ({ tx }))),
              signal: AbortSignal.timeout(20_000),
            });
            status = res.status;
            json = (await res.json()) as typeof json;
          } catch {
            // The kill cut this request short: it is not acknowledged.
            failedRequests++;
            continue;
          }
          assert.equal(
            status,
            200,
            `seed ${seed} round ${round}: refused batch: ${JSON.stringify(json)}`,
          );
          const results = json.results ?? [];
          assert.equal(results.length, txs.length);
          results.forEach((r, i) => {
            assert.equal(r.id, txIdOf(canonicalJson(txs[i]), sha256), 'acknowledged id');
            assert.deepEqual(r.result, { ok: true }, `enrolment ${r.id} was refused`);
            assert.ok(!acked.has(r.id), `transaction ${r.id} acknowledged twice`);
            acked.set(r.id, { height: r.height, index: r.index, round });
            maxAcked = Math.max(maxAcked, r.height);
          });
          roundAcks += results.length;
          firstAck();
        }
      };
      const errors: unknown[] = [];
      const loops = Array.from({ length: CLIENTS }, (_, k) =>
        loop(k).catch((e: unknown) => {
          stop = true;
          errors.push(e);
        }),
      );
      await Promise.race([acknowledged, sleep(30_000)]);
      await sleep(killAt);
      stop = true;
      await kill9(node);
      await Promise.all(loops);
      if (errors.length > 0) throw errors[0];
      perRound.push(roundAcks);
    }

    const total = acked.size;
    const roundsWithAcks = perRound.filter((n) => n > 0).length;
    console.log(
      `crash safety: seed ${seed}: ${total} transactions acknowledged over ${ROUNDS} kills (per round ${perRound.join(' ')}), ${failedRequests} requests cut short`,
    );
    assert.equal(
      roundsWithAcks,
      ROUNDS,
      `seed ${seed}: only ${roundsWithAcks} of ${ROUNDS} rounds had acknowledged transactions`,
    );
    assert.ok(total >= 200, `seed ${seed}: only ${total} transactions acknowledged`);

    // With the node up again: every acknowledged transaction is served where it was acknowledged.
    const node = await startChild(dir);
    const ids = [...acked.keys()];
    const missing: string[] = [];
    const moved: string[] = [];
    let at = 0;
    const reader = async () => {
      while (at < ids.length) {
        const id = ids[at++]!;
        const res = await fetch(`${node.url}/v1/tx/${id}`);
        if (res.status !== 200) {
          await res.body?.cancel();
          missing.push(`${id} (round ${acked.get(id)!.round}, HTTP ${res.status})`);
          continue;
        }
        const rec = (await res.json()) as { id: string; height: number; index: number };
        const a = acked.get(id)!;
        if (rec.id !== id || rec.height !== a.height || rec.index !== a.index)
          moved.push(
            `${id}: acknowledged at ${a.height}/${a.index}, served at ${rec.height}/${rec.index}`,
          );
      }
    };
    await Promise.all(Array.from({ length: 8 }, reader));
    assert.deepEqual(missing, [], `seed ${seed}: acknowledged transactions lost`);
    assert.deepEqual(moved, [], `seed ${seed}: acknowledged transactions moved`);

    // One more crash, then the file itself: every acknowledged id is indexed, and verify passes.
    await kill9(node);
    const ledger = Ledger.open({ registry, path: paths.ledger(dir), readonly: true });
    try {
      for (const [id, a] of acked) {
        const rec = ledger.tx(id);
        assert.ok(rec, `seed ${seed}: ${id} is not in the ledger file`);
        assert.equal(rec.height, a.height);
        assert.equal(rec.index, a.index);
      }
      assert.ok(ledger.size > total, 'the log holds every acknowledged transaction');
    } finally {
      ledger.close();
    }

    const verify = spawn(process.execPath, [CLI, 'verify', '--dir', dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    verify.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    verify.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const timer = setTimeout(() => verify.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) =>
      verify.once('exit', (c) => resolve(c)),
    );
    clearTimeout(timer);
    assert.equal(code, 0, `seed ${seed}: verify failed: ${err}${out}`);
    assert.match(out, /^sound: \d+ blocks, (\d+) transactions/);
    const txCount = Number(/^sound: \d+ blocks, (\d+) transactions/.exec(out)![1]);
    assert.ok(txCount >= total, `verify saw ${txCount} transactions, ${total} were acknowledged`);
  });
});
