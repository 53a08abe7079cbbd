/**
 * Powers come from the consortium, keys have one holder (issue 14, findings 2 and 5), and a
 * running ledger adopts such fixes by a vote that schedules a protocol version: all through real
 * HTTP against a real node, each refusal logged with its code and changing nothing else.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { proveKey, nodeHolder } from '../src/domains/membership/possession.js';
import { txIdOf } from '../src/chain/tx.js';
import { toHex } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import { NONCE_PREFIX } from '../src/runtime/execute.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { signIn } from '../src/domains/aid/client.js';
import { buildSubmission } from '../src/sdk/build.js';
import { protocolOneDir, startAidNode, voteThrough, type AidNode } from './aid-fixtures.js';
import { pubOf, seedOf, tempDir } from './helpers.js';
import { LATEST_PROTOCOL, registry } from '../src/domains/protocols.js';

/** A version this build does not know. */
const NEXT = LATEST_PROTOCOL + 1;

/** A fresh key for `holder`, with its proof of possession. */
function freshKey(chain: string, holder: string): { key: string; pop: string; seed: Uint8Array } {
  const seed = randomSeed();
  return { key: toHex(publicKeyFromSeed(seed)), pop: proveKey(chain, holder, seed), seed };
}

/** Every state entry but the nonces. */
function snapshot(n: AidNode): string {
  return n.node.ledger
    .stateScan('', 1_000_000)
    .filter((r) => !r.key.startsWith(NONCE_PREFIX))
    .map((r) => `${r.key}=${r.value}`)
    .join('\n');
}

/** Submits, expects the execution code, and checks that only the nonce changed. */
async function refused(
  n: AidNode,
  code: string,
  signer: string,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const before = snapshot(n);
  const r = await n.send(signer, type, payload);
  assert.equal(r.status, 200, `${type} was not admitted: ${JSON.stringify(r)}`);
  assert.equal(r.code, code, `${type} by ${signer}: ${JSON.stringify(r)}`);
  assert.equal(snapshot(n), before, `${type} refused with ${code} changed the state`);
}

async function ok(n: AidNode, signer: string, type: string, payload: Record<string, unknown>) {
  const r = await n.send(signer, type, payload);
  assert.ok(r.ok, `${type} by ${signer}: ${JSON.stringify(r)}`);
  return r;
}

/** Votes a change through, and checks it was adopted. */
async function adopt(n: AidNode, id: string, change: Record<string, unknown>): Promise<void> {
  assert.equal(await voteThrough(n, id, change), 'adopted');
}

describe('roles follow the organisation (protocol 2)', () => {
  let n: AidNode;
  before(async () => {
    n = await startAidNode();
  });
  after(() => n.close());

  it("refuses a role outside the organisation's type with ROLE_NOT_ALLOWED", async () => {
    // A hospital holds no oversight role; an audit office holds no reviewer or finance role.
    for (const [org, roles] of [
      ['general-hospital', ['regulator']],
      ['general-hospital', ['auditor', 'clerk']],
      ['audit-office', ['reviewer']],
      ['audit-office', ['finance']],
    ] as const) {
      const k = freshKey(n.chain, `${org}/x-${roles.join('-')}`);
      await refused(n, 'ROLE_NOT_ALLOWED', `${org}/admin`, 'membership.enrol', {
        name: `x-${roles.join('-')}`,
        roles: [...roles],
        key: k.key,
        pop: k.pop,
      });
    }
    await refused(n, 'ROLE_NOT_ALLOWED', 'general-hospital/admin', 'membership.setRoles', {
      member: 'general-hospital/clerk-1',
      roles: ['clerk', 'regulator'],
    });
  });

  it('gives regulator powers only by an adopted grant, and takes them back with it', async () => {
    // The demo's audit office was granted oversight by a vote: its regulator freezes.
    const target = { kind: 'program', id: 'nonexistent' };
    await refused(n, 'NOT_FOUND', 'audit-office/auditor-1', 'audit.freeze', {
      target,
      reason: 'records-under-audit',
    });
    const granted = await n.read(`/v1/keys/${pubOf('audit-office/auditor-1')}`);
    assert.deepEqual(granted.json.roles, ['auditor', 'regulator']);

    // A government body without a grant cannot enrol a regulator …
    const k = freshKey(n.chain, 'city-bureau/inspector-1');
    await refused(n, 'ROLE_NOT_ALLOWED', 'city-bureau/admin', 'membership.enrol', {
      name: 'inspector-1',
      roles: ['regulator'],
      key: k.key,
      pop: k.pop,
    });
    // … and a pharmacy or hospital cannot even be granted oversight: the proposal fails.
    await ok(n, 'city-bureau/admin', 'membership.propose', {
      id: 'grant-hospital',
      change: { kind: 'grantOversight', org: 'general-hospital', roles: ['regulator'] },
    });
    for (const org of ['hope-foundation', 'general-hospital', 'children-hospital'])
      await ok(n, `${org}/admin`, 'membership.vote', { proposal: 'grant-hospital', approve: true });
    const g = await n.read('/v1/public/governance');
    assert.equal(
      g.json.proposals.find((p: { id: string }) => p.id === 'grant-hospital').status,
      'failed',
    );

    // Revoking the audit office's grant takes the power away from its enrolled regulator.
    await adopt(n, 'revoke-audit-office', { kind: 'revokeOversight', org: 'audit-office' });
    await refused(n, 'FORBIDDEN_ROLE', 'audit-office/auditor-1', 'audit.freeze', {
      target: { kind: 'org', id: 'city-bureau' },
      reason: 'records-under-audit',
    });
    // The key signs, and signs in, with no oversight role left: the API's view of every case
    // follows the same roles.
    const holder = await n.read(`/v1/keys/${pubOf('audit-office/auditor-1')}`);
    assert.deepEqual(holder.json.roles, []);
    await adopt(n, 'regrant-audit-office', {
      kind: 'grantOversight',
      org: 'audit-office',
      roles: ['auditor', 'regulator'],
    });
  });

  it('lets only the freezing organisation, or an adopted proposal, lift a freeze', async () => {
    // The city bureau is granted oversight too, so two organisations have regulators.
    await adopt(n, 'grant-city-bureau', {
      kind: 'grantOversight',
      org: 'city-bureau',
      roles: ['regulator'],
    });
    const k = freshKey(n.chain, 'city-bureau/inspector-2');
    await ok(n, 'city-bureau/admin', 'membership.enrol', {
      name: 'inspector-2',
      roles: ['regulator'],
      key: k.key,
      pop: k.pop,
    });
    const target = { kind: 'org', id: 'east-hospital' };
    const f = await ok(n, 'audit-office/auditor-1', 'audit.freeze', {
      target,
      reason: 'complaint',
    });
    const inspector = await n.send('city-bureau/admin', 'membership.revoke', {
      member: 'city-bureau/nobody',
    });
    assert.equal(inspector.code, 'NOT_FOUND');
    // The other organisation's regulator cannot lift it by itself.
    const other = await sendAs(n, k.seed, 'audit.unfreeze', { target, reason: 'resolved' });
    assert.equal(other.code, 'NOT_FREEZER');
    // Nor by citing a proposal that lifts some other freeze, or one not adopted.
    await ok(n, 'city-bureau/admin', 'membership.propose', {
      id: 'lift-open',
      change: { kind: 'liftFreeze', freeze: f.id },
    });
    const open = await sendAs(n, k.seed, 'audit.unfreeze', {
      target,
      reason: 'consortium-decision',
      proposal: 'lift-open',
    });
    assert.equal(open.code, 'NOT_FREEZER');
    // With the consortium's adopted decision, it can.
    await adopt(n, 'lift-east', { kind: 'liftFreeze', freeze: f.id });
    const lifted = await sendAs(n, k.seed, 'audit.unfreeze', {
      target,
      reason: 'consortium-decision',
      proposal: 'lift-east',
    });
    assert.ok(lifted.ok, JSON.stringify(lifted));
    // The freezer lifts its own freeze without a vote.
    await ok(n, 'audit-office/auditor-1', 'audit.freeze', { target, reason: 'complaint' });
    await ok(n, 'audit-office/auditor-1', 'audit.unfreeze', { target, reason: 'no-finding' });
  });
});

/** Signs with a raw seed (a member enrolled in the test) and submits. */
async function sendAs(
  n: AidNode,
  seed: Uint8Array,
  type: string,
  payload: Record<string, unknown>,
): Promise<{ ok: boolean; code: string | undefined }> {
  const sub = buildSubmission(
    { chain: n.chain, type, payload, nonce: `s${process.pid}-${Math.random()}` },
    seed,
  );
  const r = await fetch(`${n.url}/v1/tx`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: canonicalJson(sub),
  });
  const j = (await r.json()) as {
    result?: { ok: boolean; code?: string };
    error?: { code: string };
  };
  return { ok: j.result?.ok === true, code: j.result?.code ?? j.error?.code };
}

describe('a key has one holder (protocol 2)', () => {
  let n: AidNode;
  before(async () => {
    n = await startAidNode();
  });
  after(() => n.close());

  const nodeKey = () => pubOf('city-bureau/node');

  it("refuses to enrol or rotate to another organisation's node key", async () => {
    // Even with a valid proof (the node's own seed, which only its operator has), the key is
    // the city bureau's node key and nobody else's.
    const pop = proveKey(n.chain, 'general-hospital/thief', seedOf('city-bureau/node'));
    await refused(n, 'KEY_IN_USE', 'general-hospital/admin', 'membership.enrol', {
      name: 'thief',
      roles: ['clerk'],
      key: nodeKey(),
      pop,
    });
    await refused(n, 'KEY_IN_USE', 'general-hospital/clerk-2', 'membership.rotateKey', {
      key: nodeKey(),
      pop: proveKey(n.chain, 'general-hospital/clerk-2', seedOf('city-bureau/node')),
    });
    await refused(n, 'KEY_IN_USE', 'hope-foundation/admin', 'membership.setNodeKey', {
      key: nodeKey(),
      pop: proveKey(n.chain, nodeHolder('hope-foundation'), seedOf('city-bureau/node')),
    });
    // The key is still named as the city bureau's node key, and signs it in as its node.
    const who = await n.read(`/v1/keys/${nodeKey()}`);
    assert.deepEqual([who.json.kind, who.json.org], ['node', 'city-bureau']);
  });

  it('refuses a key whose holder did not prove possession, with NO_POSSESSION', async () => {
    const k = freshKey(n.chain, 'general-hospital/clerk-9');
    const other = freshKey(n.chain, 'general-hospital/clerk-9');
    // A proof by another key, a proof for another holder, a proof for another chain.
    for (const pop of [
      other.pop,
      proveKey(n.chain, 'general-hospital/clerk-8', k.seed),
      proveKey('other.chain/ledger', 'general-hospital/clerk-9', k.seed),
    ])
      await refused(n, 'NO_POSSESSION', 'general-hospital/admin', 'membership.enrol', {
        name: 'clerk-9',
        roles: ['clerk'],
        key: k.key,
        pop,
      });
    await ok(n, 'general-hospital/admin', 'membership.enrol', {
      name: 'clerk-9',
      roles: ['clerk'],
      key: k.key,
      pop: k.pop,
    });
    const next = freshKey(n.chain, 'general-hospital/clerk-9');
    const bad = await sendAs(n, k.seed, 'membership.rotateKey', { key: next.key, pop: other.pop });
    assert.equal(bad.code, 'NO_POSSESSION');
    const good = await sendAs(n, k.seed, 'membership.rotateKey', { key: next.key, pop: next.pop });
    assert.ok(good.ok, JSON.stringify(good));
  });

  it('refuses a node key as an applicant account, at the door and in the contract', async () => {
    const sub = buildSubmission(
      { chain: n.chain, type: 'accounts.register', payload: { lang: 'en' }, nonce: 'reg-node' },
      seedOf('city-bureau/node'),
    );
    const r = await fetch(`${n.url}/v1/tx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: canonicalJson(sub),
    });
    const j = (await r.json()) as { error?: { code: string } };
    assert.deepEqual([r.status, j.error?.code], [403, 'UNKNOWN_KEY']);
    // A batch that reaches execution without that door (say, written to etcd by a dishonest
    // member) meets the contract's own rule.
    const text = canonicalJson(sub.tx);
    const [out] = n.node.ledger.commitBatch(
      { id: 'f'.repeat(32), proposer: 'test', time: Date.now() },
      [{ id: txIdOf(text), text, tx: sub.tx, private: undefined }],
    );
    assert.deepEqual(out!.result, { ok: false, code: 'KEY_IN_USE' });
  });
});

describe('proof of possession with the aidledger command', () => {
  const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const run = (args: string[]) => promisify(execFile)(process.execPath, [CLI, ...args]);

  it('makes a key, proves it for its holder, and the admin enrols it', async () => {
    const n = await startAidNode();
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'clerk-7.json');
      await run(['keys', 'new', '--out', file, '--member', 'general-hospital/clerk-7']);
      const proof = JSON.parse(
        (
          await run([
            'keys',
            'prove',
            '--key',
            file,
            '--holder',
            'general-hospital/clerk-7',
            '--url',
            n.url,
          ])
        ).stdout,
      ) as { key: string; pop: string };
      await ok(n, 'general-hospital/admin', 'membership.enrol', {
        name: 'clerk-7',
        roles: ['clerk'],
        ...proof,
      });
      // The same proof names its holder: it enrols nobody else.
      await refused(n, 'NO_POSSESSION', 'general-hospital/admin', 'membership.enrol', {
        name: 'clerk-8',
        roles: ['clerk'],
        key: freshKey(n.chain, 'x/y').key,
        pop: proof.pop,
      });
      await assert.rejects(
        run(['keys', 'prove', '--key', file, '--holder', 'not a holder']),
        (e) => ((e as { code: number }).code === 2 ? true : assert.fail(String(e))),
      );
    } finally {
      cleanup();
      await n.close();
    }
  });
});

describe('a running ledger adopts protocol 2 by a vote', () => {
  it('runs old blocks under 1 and new ones under 2, takes back what 1 let through, and verifies', async () => {
    const { dir, cleanup } = protocolOneDir();
    const n = await startAidNode({ dir, members: false });
    try {
      assert.equal(n.node.ledger.protocolFor(n.node.ledger.height + 1).version, 1);
      // Under protocol 1, a hospital's admin makes itself a regulator, and members and
      // organisations take the city bureau's node key: all accepted then (the faults found).
      const thief = {
        name: 'thief',
        roles: ['regulator'],
        key: pubOf('city-bureau/node'),
      };
      // Another hospital names the city bureau's node key as its own node key …
      await ok(n, 'children-hospital/admin', 'membership.setNodeKey', {
        key: pubOf('city-bureau/node'),
      });
      await ok(n, 'general-hospital/admin', 'membership.enrol', thief);
      // … and an organisation is proposed with a key nobody proved (it waits for votes).
      await ok(n, 'city-bureau/admin', 'membership.propose', {
        id: 'admit-rogue',
        change: {
          kind: 'admitOrg',
          org: {
            id: 'rogue-bureau',
            type: 'government',
            names: { 'zh-Hant': '假局', 'zh-Hans': '假局', en: 'Rogue Bureau' },
            rootKey: pubOf('east-hospital/clerk-1'),
          },
        },
      });
      const target = { kind: 'org', id: 'city-bureau' };
      const stolen = seedOf('city-bureau/node');
      for (const type of ['audit.freeze', 'audit.unfreeze']) {
        const r = await sendAs(n, stolen, type, { target, reason: 'anything' });
        assert.ok(r.ok, JSON.stringify(r));
      }

      // The consortium schedules protocol 2 a few blocks ahead.
      const from = n.node.ledger.height + 6;
      await adopt(n, 'adopt-v2', { kind: 'scheduleProtocol', version: 2, fromHeight: from });
      // A step must start after the block that adopts it: such a proposal fails.
      await ok(n, 'city-bureau/admin', 'membership.propose', {
        id: 'too-early',
        change: { kind: 'scheduleProtocol', version: 3, fromHeight: 1 },
      });
      for (const org of ['hope-foundation', 'general-hospital', 'children-hospital'])
        await ok(n, `${org}/admin`, 'membership.vote', { proposal: 'too-early', approve: true });
      const g = await n.read('/v1/public/governance');
      assert.equal(
        g.json.proposals.find((p: { id: string }) => p.id === 'too-early').status,
        'failed',
      );
      // Blocks go by (each a refused second vote) until the step's height.
      while (n.node.ledger.height + 1 < from)
        await n.send('city-bureau/admin', 'membership.vote', {
          proposal: 'adopt-v2',
          approve: true,
        });
      assert.equal(n.node.ledger.protocolFor(n.node.ledger.height + 1).version, 2);
      // Before the first block of 2 is written (its upgrade indexes the node keys), the city
      // bureau's node signs in as itself.
      const me = async () =>
        (
          (await (
            await fetch(`${n.url}/v1/me`, {
              headers: { authorization: `Bearer ${await signIn(n.url, n.chain, stolen)}` },
            })
          ).json()) as { viewer: { org: string } }
        ).viewer.org;
      assert.equal(await me(), 'city-bureau');

      // From then on: the thief's key is retired, its holder's powers gone.
      const r = await sendAs(n, stolen, 'audit.freeze', { target, reason: 'records-under-audit' });
      assert.equal(r.code, 'KEY_REVOKED');
      const k = freshKey(n.chain, 'general-hospital/inspector');
      await refused(n, 'ROLE_NOT_ALLOWED', 'general-hospital/admin', 'membership.enrol', {
        name: 'inspector',
        roles: ['regulator'],
        key: k.key,
        pop: k.pop,
      });
      // The city bureau's node still signs in as its node, and is named as such; the hospital
      // that named the same key lost it, and signs no checkpoint with it.
      assert.equal(await me(), 'city-bureau');
      const who = await n.read(`/v1/keys/${pubOf('city-bureau/node')}`);
      assert.deepEqual([who.json.kind, who.json.org], ['node', 'city-bureau']);
      const orgs = (await n.read('/v1/orgs')).json.orgs as { id: string; nodeKey: string | null }[];
      assert.equal(orgs.find((o) => o.id === 'children-hospital')!.nodeKey, null);
      const policy = (await n.read('/v1/policy')).json as { signers: { org: string }[] };
      assert.deepEqual(
        policy.signers.map((x) => x.org),
        ['city-bureau'],
      );
      // The organisation proposed under 1 without proofs is not admitted under 2.
      for (const org of ['hope-foundation', 'general-hospital', 'children-hospital'])
        await ok(n, `${org}/admin`, 'membership.vote', { proposal: 'admit-rogue', approve: true });
      const gov = await n.read('/v1/public/governance');
      assert.equal(
        gov.json.proposals.find((p: { id: string }) => p.id === 'admit-rogue').status,
        'failed',
      );
      const versions = new Set<number>();
      for (let h = 0; h <= n.node.ledger.height; h++)
        versions.add(n.node.ledger.block(h)!.protocol);
      assert.deepEqual([...versions], [1, 2]);
      assert.equal(n.node.ledger.block(from)!.protocol, 2);
      assert.equal(n.node.ledger.block(from - 1)!.protocol, 1);
    } finally {
      await n.close();
    }
    // verify replays every block under the rules of its time, the upgrade's writes included.
    const report = await verifyLedgerFile(join(dir, 'ledger.sqlite'), { registry });
    assert.ok(report.blocks > 0);
    assert.ok(report.refused > 0);
    cleanup();
  });

  it('stops a node whose software lacks a version the consortium adopted, rather than run old rules', async () => {
    const n = await startAidNode({ members: false });
    try {
      const from = n.node.ledger.height + 6;
      await adopt(n, 'adopt-next', { kind: 'scheduleProtocol', version: NEXT, fromHeight: from });
      const health = await n.read('/v1/health');
      assert.deepEqual(health.json.protocol.schedule.at(-1), { version: NEXT, fromHeight: from });
      assert.equal(health.json.protocol.known, LATEST_PROTOCOL);
      while (n.node.ledger.height + 1 < from) {
        const r = await n.send('city-bureau/admin', 'membership.vote', {
          proposal: 'adopt-next',
          approve: true,
        });
        assert.equal(r.code, 'INVALID_STATE');
      }
      const size = n.node.ledger.size;
      const r = await n.send('city-bureau/admin', 'membership.vote', {
        proposal: 'adopt-next',
        approve: true,
      });
      assert.deepEqual([r.status, r.code], [503, 'UNAVAILABLE']);
      const after = await n.read('/v1/health');
      assert.deepEqual(
        [after.status, after.json.code, after.json.protocol.next],
        [503, 'CONFIG', NEXT],
      );
      assert.equal(n.node.ledger.size, size);
    } finally {
      await n.close();
    }
  });

  it('lets the consortium withdraw a step before it takes effect, and no vote locks the schedule', async () => {
    const n = await startAidNode({ members: false });
    try {
      const h = n.node.ledger.height;
      // Not at the end of time, nor a version far beyond any software: such votes fail.
      assert.equal(
        await voteThrough(n, 'lock', {
          kind: 'scheduleProtocol',
          version: NEXT,
          fromHeight: h + 2_000_000,
        }),
        'failed',
      );
      assert.equal(
        await voteThrough(n, 'jump', {
          kind: 'scheduleProtocol',
          version: 40,
          fromHeight: h + 100,
        }),
        'failed',
      );
      // A step to a version this build lacks, withdrawn before its height: nothing stops.
      const at = n.node.ledger.height + 30;
      assert.equal(
        await voteThrough(n, 'next-soon', {
          kind: 'scheduleProtocol',
          version: NEXT,
          fromHeight: at,
        }),
        'adopted',
      );
      assert.equal(
        await voteThrough(n, 'next-withdrawn', { kind: 'cancelProtocol', version: NEXT }),
        'adopted',
      );
      const health = await n.read('/v1/health');
      assert.deepEqual(health.json.protocol.schedule, [
        { version: LATEST_PROTOCOL, fromHeight: 0 },
      ]);
      while (n.node.ledger.height <= at)
        await n.send('city-bureau/admin', 'membership.vote', { proposal: 'jump', approve: true });
      assert.equal((await n.read('/v1/health')).status, 200);
      assert.equal(n.node.ledger.block(n.node.ledger.height)!.protocol, LATEST_PROTOCOL);
    } finally {
      await n.close();
    }
  });
});
