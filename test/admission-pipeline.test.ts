/**
 * The admission pipeline hands execution what the signature workers checked: the payload as the
 * schema output it, and the proofs of possession that passed. Neither may let a transaction
 * through that the checks made during execution would refuse, nor change any result.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { canonicalJson } from '../src/core/canonical.js';
import { txIdOf, type SignedTx } from '../src/chain/tx.js';
import { registry } from '../src/domains/protocols.js';
import { admitBody, proveAhead } from '../src/runtime/admission.js';
import type { AdmittedItem } from '../src/runtime/execute.js';
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
