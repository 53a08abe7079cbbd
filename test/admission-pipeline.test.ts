/**
 * The admission pipeline hands execution what the signature workers checked: the payload and the
 * private facts as their schemas output them, and the proofs of possession that passed. Neither may let a transaction
 * through that the checks made during execution would refuse, nor change any result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { canonicalJson } from '../src/core/canonical.js';
import { privateCommitment, signTx, txIdOf, type SignedTx } from '../src/chain/tx.js';
import { registry } from '../src/domains/protocols.js';
import {
  admitBody,
  admittedOf,
  checkItem,
  DEFAULT_LIMITS,
  proveAhead,
} from '../src/runtime/admission.js';
import { action, type Protocol } from '../src/runtime/contract.js';
import { executeTx, type AdmittedItem } from '../src/runtime/execute.js';
import { Overlay } from '../src/runtime/overlay.js';
import { NO_SECRETS } from '../src/runtime/secrets.js';
import { z } from 'zod';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { enrolPayload, seedOf, startNode, txBy, type TestNode } from './helpers.js';
import { proveKey } from '../src/domains/membership/possession.js';

function itemOf(tx: SignedTx): AdmittedItem {
  const text = canonicalJson(tx);
  return { id: txIdOf(text), text, tx, private: undefined };
}

describe('proofs of possession checked ahead', () => {
  let t: TestNode;
  before(async () => {
    t = await startNode();
  });
  after(() => t.close());

  const prove = (items: AdmittedItem[]) => {
    const ledger = t.node.ledger;
    return proveAhead(
      items,
      ledger.protocolFor(ledger.height + 1),
      ledger.chain,
      (k) => ledger.keyStatus(k),
      (jobs) => t.node.pool.verify(jobs),
    );
  };
  const commit = (items: AdmittedItem[]) =>
    t.node.ledger.commitBatch(
      {
        id: `${Date.now()}${Math.random()}`.replace('.', '').slice(0, 32),
        proposer: 't',
        time: Date.now(),
      },
      items,
    );

  it('records a passed proof, and the enrolment it proves commits', async () => {
    const tx = txBy(
      t.chain,
      'city-bureau/admin',
      'membership.enrol',
      enrolPayload(t.chain, 'city-bureau', 'ahead-1'),
    );
    const [item] = await prove([itemOf(tx)]);
    assert.equal(item!.proven?.length, 1);
    assert.deepEqual(
      commit([item!]).map((o) => o.result),
      [{ ok: true }],
    );
  });

  it('records nothing for a proof the new key did not sign, and execution refuses it', async () => {
    const p = enrolPayload(t.chain, 'city-bureau', 'ahead-2');
    // Signed by another key than the one enrolled.
    const pop = proveKey(t.chain, 'city-bureau/ahead-2', seedOf('general-hospital/admin'));
    const tx = txBy(t.chain, 'city-bureau/admin', 'membership.enrol', { ...p, pop });
    const [item] = await prove([itemOf(tx)]);
    assert.equal(item!.proven, undefined);
    assert.deepEqual(
      commit([item!]).map((o) => o.result),
      [{ ok: false, code: 'NO_POSSESSION' }],
    );
  });

  it('does not let a proof passed for one holder stand for another', async () => {
    // A proof for ahead-3, carried by an enrolment that names ahead-4 with the same key and pop.
    const p = enrolPayload(t.chain, 'city-bureau', 'ahead-3');
    const proven = (
      await prove([itemOf(txBy(t.chain, 'city-bureau/admin', 'membership.enrol', p))])
    )[0]!.proven;
    assert.equal(proven?.length, 1);
    const other = txBy(t.chain, 'city-bureau/admin', 'membership.enrol', { ...p, name: 'ahead-4' });
    assert.deepEqual(
      commit([{ ...itemOf(other), proven: proven! }]).map((o) => o.result),
      [{ ok: false, code: 'NO_POSSESSION' }],
    );
  });

  it('parses again a payload checked under another protocol version', async () => {
    const tx = txBy(t.chain, 'city-bureau/admin', 'membership.enrol', {
      ...enrolPayload(t.chain, 'city-bureau', 'ahead-5'),
      roles: ['no-such-role'],
    });
    // A payload output claimed for another version is not taken: the schema refuses the role.
    const item = { ...itemOf(tx), checked: { version: 999, payload: { anything: true } } };
    assert.deepEqual(
      commit([item]).map((o) => o.result),
      [{ ok: false, code: 'MALFORMED' }],
    );
  });

  it('admits a body through the workers to the same results a replay finds', async () => {
    const txs = Array.from({ length: 20 }, (_, i) =>
      txBy(
        t.chain,
        'general-hospital/admin',
        'membership.enrol',
        enrolPayload(t.chain, 'general-hospital', `ahead-b${i}`),
      ),
    );
    const items = await admitBody(
      t.node.ledger,
      canonicalJson(txs.map((tx) => ({ tx }))),
      true,
      Date.now(),
      t.node.pool,
    );
    assert.equal(items.length, 20);
    for (const item of items) {
      assert.equal(item.proven?.length, 1);
      assert.equal(
        item.checked?.version,
        t.node.ledger.protocolFor(t.node.ledger.height + 1).version,
      );
      assert.equal(item.itemText, canonicalJson({ tx: item.tx }));
    }
    assert.ok(commit(items).every((o) => o.result.ok));
    const report = await verifyLedgerFile(join(t.dir, 'ledger.sqlite'), {
      registry,
      sigWorkers: 2,
    });
    assert.equal(report.state, t.node.ledger.stateDigestHex);
  });
});

describe('signer statuses worked out once a block', () => {
  let t: TestNode;
  before(async () => {
    t = await startNode();
  });
  after(() => t.close());

  const commit = (txs: SignedTx[]) =>
    t.node.ledger
      .commitBatch(
        {
          id: `${Date.now()}${Math.random()}`.replace('.', '').slice(0, 32),
          proposer: 't',
          time: Date.now(),
        },
        txs.map(itemOf),
      )
      .map((o) => o.result);

  it('are worked out again as soon as the block changes what they were read from', () => {
    const enrol = (by: string, name: string, roles = ['clerk']) =>
      txBy(
        t.chain,
        by,
        'membership.enrol',
        enrolPayload(t.chain, 'city-bureau', name, roles, seedOf(`city-bureau/${name}`)),
      );
    assert.deepEqual(commit([enrol('city-bureau/admin', 'memo-admin', ['admin'])]), [{ ok: true }]);
    // One block: the new admin enrols (its status is worked out and kept), loses the admin role,
    // is refused for the role, gets it back, enrols again, is revoked, and is refused as revoked.
    const setRoles = (roles: string[]) =>
      txBy(t.chain, 'city-bureau/admin', 'membership.setRoles', {
        member: 'city-bureau/memo-admin',
        roles,
      });
    assert.deepEqual(
      commit([
        enrol('city-bureau/memo-admin', 'memo-1'),
        setRoles(['clerk']),
        enrol('city-bureau/memo-admin', 'memo-2'),
        setRoles(['admin']),
        enrol('city-bureau/memo-admin', 'memo-3'),
        txBy(t.chain, 'city-bureau/admin', 'membership.revoke', {
          member: 'city-bureau/memo-admin',
        }),
        enrol('city-bureau/memo-admin', 'memo-4'),
      ]),
      [
        { ok: true },
        { ok: true },
        { ok: false, code: 'FORBIDDEN_ROLE' },
        { ok: true },
        { ok: true },
        { ok: true },
        { ok: false, code: 'KEY_REVOKED' },
      ],
    );
    // A replay, which works statuses out over its own overlay, records the same.
    return verifyLedgerFile(join(t.dir, 'ledger.sqlite'), { registry, sigWorkers: 2 }).then(
      (report) => assert.equal(report.state, t.node.ledger.stateDigestHex),
    );
  });
});

describe('private facts checked once', () => {
  // A protocol of one self-signed action whose facts schema transforms what it reads, so what
  // the contract got tells whether it was the worker's output or a parse of its own.
  const Facts = z.strictObject({ word: z.string().transform((w) => `checked:${w}`) });
  const Other = z.strictObject({ word: z.string() });
  const protocol: Protocol = {
    version: 7,
    contracts: new Map([
      [
        'probe',
        {
          name: 'probe',
          actions: {
            note: action({
              schema: z.strictObject({}),
              roles: 'member',
              selfSigned: true,
              private: 'required',
              facts: Facts,
              apply(ctx) {
                ctx.state.put('probe/seen', {
                  own: ctx.parseFacts(Facts).word,
                  other: ctx.parseFacts(Other).word,
                });
              },
            }),
          },
        },
      ],
    ]),
    genesis: () => {},
    resolveKey: () => ({ kind: 'unknown' }),
  };
  const part = { salt: 'ab'.repeat(32), facts: { word: 'raw' } };
  const tx = signTx(
    {
      chain: 'probe-chain',
      type: 'probe.note',
      payload: {},
      nonce: 'n1',
      time: 1_000,
      private: { commitment: privateCommitment(part) },
    },
    new Uint8Array(32).fill(3),
  );
  const ctx = { chain: 'probe-chain', version: 7, now: 1_000, limits: DEFAULT_LIMITS };
  const run = (item: AdmittedItem) => {
    const block = new Overlay(() => undefined);
    const { result } = executeTx(protocol, block, item, 1, 1_000, NO_SECRETS);
    assert.deepEqual(result, { ok: true });
    return JSON.parse(block.read('probe/seen')!) as { own: string; other: string };
  };

  it('hands execution the facts schema output the worker made, under the same version', () => {
    const c = checkItem({ tx, private: part }, ctx, protocol);
    assert.ok(c.ok);
    assert.deepEqual(c.facts, { word: 'checked:raw' });
    // The worker's output, as a clone brings it: execution takes it instead of parsing again.
    const item = admittedOf({ tx, private: part }, { ...c, facts: { word: 'from-worker' } }, 7);
    assert.deepEqual(run(item), { own: 'from-worker', other: 'raw' });
  });

  it('parses the facts again when they were checked under another version, or not at all', () => {
    const c = checkItem({ tx, private: part }, ctx, protocol);
    assert.ok(c.ok);
    const other = admittedOf({ tx, private: part }, { ...c, facts: { word: 'from-worker' } }, 6);
    assert.deepEqual(run(other), { own: 'checked:raw', other: 'raw' });
    const text = canonicalJson(tx);
    const unchecked: AdmittedItem = { id: txIdOf(text), text, tx, private: part };
    assert.deepEqual(run(unchecked), { own: 'checked:raw', other: 'raw' });
  });
});
