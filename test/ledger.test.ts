/**
 * The ledger as an outsider and an operator see it: receipts checked offline, a witness that
 * catches a rewritten or forked log, erasure of private parts, governance and the policy that
 * follows membership, protocol versions replayed by `verify`, and a node that never signs two
 * roots for one size.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { erasePrivateParts } from '../src/runtime/erase.js';
import Database from 'better-sqlite3';
import { parsePolicy } from '../src/chain/policy.js';
import { verifyReceipt } from '../src/chain/receipt.js';
import { fromBase64, toBase64, toHex } from '../src/core/bytes.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import { encodeVerifierKey } from '../src/core/note.js';
import { isAidError } from '../src/core/errors.js';
import { refuse, type Protocol } from '../src/runtime/contract.js';
import { getProtocol, registry } from '../src/domains/protocols.js';
import { membership } from '../src/domains/membership/contracts/membership.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { writeDemoDir } from '../src/node/demo.js';
import { auditLog } from '../src/sdk/audit.js';
import { witnessStep } from '../src/sdk/witness.js';
import { proveKey } from '../src/domains/membership/possession.js';
import {
  body,
  enrolPayload,
  nodeKeyPayload,
  post,
  pubOf,
  rotatePayload,
  SEED,
  seedOf,
  startNode,
  tempDir,
  privateEnrol,
  txBy,
  type TestNode,
} from './helpers.js';
import { writeFileSync, readFileSync } from 'node:fs';
import { withProtocols } from '../src/runtime/registry.js';

let n = 0;
const enrolTx = (t: TestNode, signer: string, name = `e${++n}`) =>
  txBy(t.chain, signer, 'membership.enrol', enrolPayload(t.chain, signer.split('/')[0]!, name));
/** An enrolment as protocol 1 has it: a key and no proof of possession. */
const enrolTxV1 = (t: TestNode, signer: string, name = `e${++n}`) =>
  txBy(t.chain, signer, 'membership.enrol', { name, roles: ['clerk'], key: toHex(randomSeed()) });

async function submitAll(
  t: TestNode,
  count: number,
  signer = 'city-bureau/admin',
): Promise<string[]> {
  const r = await post(
    t.url,
    '/v1/txs',
    body(Array.from({ length: count }, () => ({ tx: enrolTx(t, signer) }))),
  );
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return (r.json.results as { id: string }[]).map((x) => x.id);
}

describe('receipts', () => {
  let t: TestNode;
  before(async () => (t = await startNode()));
  after(async () => t.close());

  it('verifies offline under the policy, and names the failing step when one byte is altered', async () => {
    const [id] = await submitAll(t, 3);
    const receipt = await t.client.receipt(id!);
    const policy = await t.client.policy();
    const ok = verifyReceipt(JSON.parse(JSON.stringify(receipt)), policy);
    assert.equal(ok.ok, true, JSON.stringify(ok.steps));
    assert.deepEqual(
      ok.steps.map((s) => s.step),
      ['format', 'leaf', 'txid', 'signature', 'checkpoint', 'inclusion'],
    );

    // One altered byte inside the leaf's payload: still a well-formed leaf, but the signature fails.
    const leaf = fromBase64(receipt.leaf);
    const text = new TextDecoder().decode(leaf);
    const at = text.indexOf('"name":"e') + 9;
    leaf[at] = 'f'.charCodeAt(0);
    const bad = verifyReceipt({ ...receipt, txid: undefined, leaf: toBase64(leaf) }, policy);
    assert.equal(bad.ok, false);
    assert.equal(bad.steps.at(-1)!.step, 'signature');

    // One altered bit of a proof hash: the inclusion step fails.
    const proof = [...receipt.proof];
    proof[0] = (proof[0]![0] === '0' ? '1' : '0') + proof[0]!.slice(1);
    const badProof = verifyReceipt({ ...receipt, proof }, policy);
    assert.equal(badProof.steps.at(-1)!.step, 'inclusion');
    assert.equal(badProof.ok, false);

    // A checkpoint signed by a key outside the policy fails the checkpoint step.
    const strangers = parsePolicy({
      ...policy,
      signers: [
        {
          org: 'city-bureau',
          vkey: encodeVerifierKey('city-bureau', publicKeyFromSeed(randomSeed())),
        },
      ],
    });
    const badCp = verifyReceipt(receipt, strangers);
    assert.equal(badCp.ok, false);
    assert.equal(badCp.steps.at(-1)!.step, 'checkpoint');
  });
});

describe('witness', () => {
  it('follows a growing log, and detects a fork and a rewritten log', async () => {
    const { dir, cleanup } = tempDir();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeDemoDir(a, SEED, Date.now() - 1000);
    const honest = await startNode({ dir: a });
    await submitAll(honest, 5);
    await honest.close();
    // The operator keeps a copy of the node at this point, with its keys...
    cpSync(a, b, { recursive: true });
    const node1 = await startNode({ dir: a });
    const policy = await node1.client.policy();
    let w = await witnessStep(node1.client, policy);
    await submitAll(node1, 4);
    const step = await witnessStep(node1.client, policy, w.state);
    assert.equal(step.grew, true);
    w = step;
    await node1.close();

    // ...and later serves a different history from it, signed with the same node key.
    const forger = await startNode({ dir: b });
    await submitAll(forger, 4, 'hope-foundation/admin');
    assert.equal(forger.node.ledger.size, w.state.size);
    await assert.rejects(witnessStep(forger.client, policy, w.state), (e) => isAidError(e, 'FORK'));
    await submitAll(forger, 3, 'hope-foundation/admin');
    await assert.rejects(witnessStep(forger.client, policy, w.state), (e) =>
      isAidError(e, 'INCONSISTENT'),
    );
    const shrunk = { ...w.state, size: w.state.size + 100 };
    await assert.rejects(witnessStep(forger.client, policy, shrunk), (e) =>
      isAidError(e, 'INCONSISTENT'),
    );
    await forger.close();
    cleanup();
  });
});

describe('erasure of private parts', () => {
  it('erases the facts, and both verify --dir and the outsider audit still pass', async () => {
    const t = await startNode();
    const sub = privateEnrol(t.chain, 'east-hospital/admin', 'leaver', {
      fullName: 'Erasable Person',
      email: 'erase@example.org',
    });
    const r = await post(t.url, '/v1/tx', body(sub));
    assert.deepEqual(r.json.result, { ok: true });
    await submitAll(t, 3);
    const id = r.json.id as string;
    assert.ok(t.node.ledger.privatePart(id));
    // Commits record no transaction's writes; erasing replays the file and records this one's.
    const recorded = t.node.ledger.db.prepare('SELECT count(*) FROM tx_writes').pluck();
    assert.equal(recorded.get(), 0);
    assert.deepEqual(await erasePrivateParts(t.node.ledger, [id, '00'.repeat(32)]), [id]);
    assert.equal(t.node.ledger.privatePart(id), undefined);
    assert.ok((recorded.get() as number) > 0);
    assert.deepEqual(await erasePrivateParts(t.node.ledger, [id]), []);
    const audit = await auditLog(t.client, await t.client.policy());
    assert.equal(audit.size, t.node.ledger.size);
    const dir = t.dir;
    const path = join(dir, 'ledger.sqlite');
    const report = await verifyLedgerFile(path, { registry });
    assert.equal(report.erased, 1);
    await t.close();
  });
});

describe('governance and the verifier policy', () => {
  let t: TestNode;
  before(async () => (t = await startNode()));
  after(async () => t.close());
  const res = async (signer: string, type: string, payload: Record<string, unknown>) =>
    (await tx(signer, type, payload)).json.result;
  const tx = (signer: string, type: string, payload: Record<string, unknown>) =>
    post(t.url, '/v1/tx', body({ tx: txBy(t.chain, signer, type, payload) }));

  it('admits a new organisation only with the votes of the quorum of organisations', async () => {
    const org = {
      id: 'new-clinic',
      type: 'hospital',
      names: { 'zh-Hant': '新診所', 'zh-Hans': '新诊所', en: 'New Clinic' },
      rootKey: pubOf('new-clinic/admin'),
    };
    assert.deepEqual(
      await res('city-bureau/admin', 'membership.propose', {
        id: 'admit-new-clinic',
        change: {
          kind: 'admitOrg',
          org,
          proofs: { root: proveKey(t.chain, 'new-clinic/admin', seedOf('new-clinic/admin')) },
        },
      }),
      { ok: true },
    );
    assert.deepEqual(
      await res('hope-foundation/admin', 'membership.vote', {
        proposal: 'admit-new-clinic',
        approve: true,
      }),
      { ok: true },
    );
    assert.deepEqual(
      await res('hope-foundation/admin', 'membership.vote', {
        proposal: 'admit-new-clinic',
        approve: true,
      }),
      { ok: false, code: 'ALREADY_VOTED' },
    );
    assert.deepEqual(
      await res('east-hospital/admin', 'membership.vote', {
        proposal: 'admit-new-clinic',
        approve: true,
      }),
      { ok: true },
    );
    // Three of the four votes needed: not admitted, its admin cannot act.
    assert.equal(t.node.ledger.stateGet('membership/org/new-clinic'), undefined);
    assert.equal(
      (await post(t.url, '/v1/tx', body({ tx: enrolTx(t, 'new-clinic/admin') }))).json.error?.code,
      'UNKNOWN_KEY',
    );
    assert.deepEqual(
      await res('audit-office/admin', 'membership.vote', {
        proposal: 'admit-new-clinic',
        approve: true,
      }),
      { ok: true },
    );
    assert.ok(t.node.ledger.stateGet('membership/org/new-clinic'));
    assert.deepEqual(
      (await post(t.url, '/v1/tx', body({ tx: enrolTx(t, 'new-clinic/admin') }))).json.result,
      { ok: true },
    );
    assert.deepEqual(
      await res('audit-office/admin', 'membership.vote', {
        proposal: 'admit-new-clinic',
        approve: true,
      }),
      { ok: false, code: 'INVALID_STATE' },
    );
  });

  it('refuses governance from members who are not admins, and revocation across organisations', async () => {
    await tx(
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(
        t.chain,
        'city-bureau',
        'reviewer-1',
        ['reviewer'],
        seedOf('city-bureau/reviewer-1'),
      ),
    );
    assert.deepEqual(
      await res('city-bureau/reviewer-1', 'membership.propose', {
        id: 'p2',
        change: { kind: 'setGovernanceQuorum', quorum: 2 },
      }),
      { ok: false, code: 'FORBIDDEN_ROLE' },
    );
    assert.deepEqual(
      (await tx('east-hospital/admin', 'membership.revoke', { member: 'city-bureau/reviewer-1' }))
        .json.result,
      { ok: false, code: 'WRONG_ORG' },
    );
    assert.deepEqual(
      (await tx('city-bureau/admin', 'membership.revoke', { member: 'city-bureau/admin' })).json
        .result,
      { ok: false, code: 'LAST_ADMIN' },
    );
  });

  it('lets a member rotate their key; the old key signs nothing more', async () => {
    assert.deepEqual(
      await res(
        'city-bureau/reviewer-1',
        'membership.rotateKey',
        rotatePayload(t.chain, 'city-bureau/reviewer-1', seedOf('city-bureau/reviewer-1#2')),
      ),
      { ok: true },
    );
    // The old key is turned away at the door: nothing of it reaches the log.
    const size = t.node.ledger.size;
    const old = await tx(
      'city-bureau/reviewer-1',
      'membership.rotateKey',
      rotatePayload(t.chain, 'city-bureau/reviewer-1', seedOf('city-bureau/reviewer-1#3')),
    );
    assert.deepEqual([old.status, old.json.error?.code], [403, 'KEY_REVOKED']);
    assert.equal(t.node.ledger.size, size);
    assert.deepEqual(
      await res(
        'city-bureau/reviewer-1#2',
        'membership.rotateKey',
        rotatePayload(t.chain, 'city-bureau/reviewer-1', seedOf('city-bureau/reviewer-1#3')),
      ),
      { ok: true },
    );
  });

  it('derives the verifier policy from membership', async () => {
    const before = await t.client.policy();
    assert.deepEqual(
      before.signers.map((s) => s.org),
      ['city-bureau'],
    );
    assert.deepEqual(
      await res(
        'hope-foundation/admin',
        'membership.setNodeKey',
        nodeKeyPayload(t.chain, 'hope-foundation', seedOf('hope-foundation/node')),
      ),
      { ok: true },
    );
    const after = await t.client.policy();
    assert.deepEqual(after.signers.map((s) => s.org).sort(), ['city-bureau', 'hope-foundation']);
    assert.equal(after.quorum, 1);
  });
});

describe('protocol versions', () => {
  // A version this build does not have (1000) changes one rule from height 4: no member may be
  // named "temp-…".
  const v1 = getProtocol(1);
  const enrol = membership.actions.enrol!;
  const v2: Protocol = {
    ...v1,
    version: 1000,
    contracts: new Map([
      [
        'membership',
        {
          ...membership,
          actions: {
            ...membership.actions,
            enrol: {
              ...enrol,
              apply(ctx, p) {
                if ((p as { name: string }).name.startsWith('temp-'))
                  refuse('INVALID_STATE', 'no temporary members from v2');
                enrol.apply(ctx, p);
              },
            },
          },
        },
      ],
    ]),
  };
  const protocols = new Map([[1000, v2]]);

  it('executes each block with the rules of its height, and verify replays them so', async () => {
    const { dir, cleanup } = tempDir();
    writeDemoDir(dir, SEED, Date.now() - 1000);
    const gpath = join(dir, 'genesis.json');
    const g = JSON.parse(readFileSync(gpath, 'utf8')) as { protocol: unknown };
    g.protocol = [
      { version: 1, fromHeight: 0 },
      { version: 1000, fromHeight: 4 },
    ];
    writeFileSync(gpath, JSON.stringify(g));
    const t = await startNode({ dir, protocols });
    const results: unknown[] = [];
    for (let h = 1; h <= 5; h++) {
      const r = await post(
        t.url,
        '/v1/tx',
        body({ tx: enrolTxV1(t, 'city-bureau/admin', `temp-${h}`) }),
      );
      results.push([r.json.height, r.json.result]);
    }
    assert.deepEqual(results, [
      [1, { ok: true }],
      [2, { ok: true }],
      [3, { ok: true }],
      [4, { ok: false, code: 'INVALID_STATE' }],
      [5, { ok: false, code: 'INVALID_STATE' }],
    ]);
    assert.equal(t.node.ledger.block(4)!.protocol, 1000);
    await t.close();
    const report = await verifyLedgerFile(join(dir, 'ledger.sqlite'), {
      registry: withProtocols(registry, protocols),
    });
    assert.equal(report.refused, 2);
    // Without the code of version 1000, a replay cannot reproduce the log.
    await assert.rejects(verifyLedgerFile(join(dir, 'ledger.sqlite'), { registry }), (e) =>
      isAidError(e, 'CONFIG'),
    );
    cleanup();
  });
});

describe('blocks and checkpoints', () => {
  it('clamps a block time to at least the previous block time + 1 ms', async () => {
    const t = await startNode();
    const before = t.node.ledger.headTime;
    const outcomes = t.node.ledger.commitBatch(
      { id: 'a'.repeat(32), proposer: 'test', time: before - 60_000 },
      [],
    );
    assert.deepEqual(outcomes, []);
    assert.equal(t.node.ledger.headTime, before + 1);
    await t.close();
  });

  it('never signs a second root for one size: the commit is refused and nothing changes', async () => {
    const t = await startNode();
    await submitAll(t, 2);
    const size = t.node.ledger.size;
    // Something was already signed for the size the next block would reach (say, before a
    // restore from an old backup): a different root there would be a fork.
    const db = new Database(join(t.dir, 'ledger.sqlite'));
    db.prepare('INSERT INTO checkpoints (size, root, note) VALUES (?, ?, ?)').run(
      size + 2,
      Buffer.alloc(32, 7),
      'earlier note\n',
    );
    db.close();
    const r = await post(t.url, '/v1/tx', body({ tx: enrolTx(t, 'city-bureau/admin') }));
    assert.equal(r.status, 503);
    assert.equal(r.json.error?.code, 'FORK');
    assert.equal(t.node.ledger.size, size);
    assert.equal(t.node.healthy.ok, false);
    await t.close();
  });
});

describe('verify --dir', () => {
  it('names the block of a tampered state value, tree node or checkpoint', async () => {
    const { dir, cleanup } = tempDir();
    after(cleanup);
    writeDemoDir(dir, SEED, Date.now() - 1000);
    const t = await startNode({ dir });
    for (let i = 0; i < 4; i++) await submitAll(t, 5);
    await t.close();
    const path = join(t.dir, 'ledger.sqlite');
    const good = await verifyLedgerFile(path, { registry });
    assert.equal(good.blocks, 5);
    const tamper = async (sql: string, args: unknown[], expect: RegExp) => {
      const copy = path + '.copy';
      cpSync(path, copy);
      const db = new Database(copy);
      assert.equal(db.prepare(sql).run(...args).changes, 1, sql);
      db.close();
      await assert.rejects(
        verifyLedgerFile(copy, { registry }),
        (e) => isAidError(e, 'VERIFY_FAILED') && expect.test(e.message),
      );
    };
    await tamper(
      "UPDATE state SET value = replace(value, '\"clerk\"', '\"admin\"') WHERE key = (SELECT key FROM state WHERE key LIKE 'membership/member/city-bureau/e%' LIMIT 1)",
      [],
      /stored state differs/,
    );
    await tamper(
      'UPDATE nodes SET hash = zeroblob(32) WHERE id = ?',
      [2 ** 40 * 1 + 3],
      /block \d+: stored tree node 1\/3/,
    );
    await tamper(
      'UPDATE checkpoints SET root = zeroblob(32) WHERE size = (SELECT leaf + 1 FROM blocks WHERE height = 3)',
      [],
      /block 3: the signed checkpoint/,
    );
    await tamper(
      'DELETE FROM txs WHERE leaf = (SELECT first FROM blocks WHERE height = 2)',
      [],
      /block 2: transaction/,
    );
  });
});
