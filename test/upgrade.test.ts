/**
 * Upgrade safety: a demo ledger written by the release before the restructuring (a fixture, see
 * test/fixtures/release-1/README.md) verifies under today's code with the same root and state,
 * is served with the same history to an outside auditor, and takes new transactions that extend
 * that history consistently.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { erasePrivateParts } from '../src/runtime/erase.js';
import { gunzipSync } from 'node:zlib';
import { toHex } from '../src/core/bytes.js';
import { verifyConsistency } from '../src/core/merkle.js';
import { registry } from '../src/domains/protocols.js';
import { readConsortiumKey } from '../src/node/config.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import { Ledger } from '../src/runtime/ledger.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import { auditLog } from '../src/sdk/audit.js';
import { enrolPayload, startNode, tempDir, type TestNode } from './helpers.js';
import { signTx } from '../src/chain/tx.js';

const FIXTURE = new URL('../../test/fixtures/release-1/', import.meta.url);
/** What that release's `aidledger verify --dir` printed for the fixture (its README). */
const RELEASE = {
  size: 1177,
  blocks: 23,
  txs: 1154,
  refused: 21,
  root: 'fa0fa41ad6650b09dc9a8b186abcf27cfa065db43e4dffd4cfc96f0e9db85af2',
  state: '3e7ef1e065ff075847f8fdf2239132266f3a03dd10e0adb777e3a0ce0ecc455a',
};

/** A fresh copy of the fixture's node directory. */
function unpack(): { dir: string; cleanup: () => void } {
  const t = tempDir('aidledger-upgrade-');
  for (const f of ['genesis.json', 'node.json', 'keys'])
    cpSync(new URL(f, FIXTURE), join(t.dir, f), { recursive: true });
  writeFileSync(
    join(t.dir, 'ledger.sqlite'),
    gunzipSync(readFileSync(new URL('ledger.sqlite.gz', FIXTURE))),
  );
  return t;
}

describe('a ledger written by the previous release', () => {
  it('verifies under this code with the same root and state', async () => {
    const t = unpack();
    try {
      // The consortium key re-runs the transactions that carry private parts.
      const key = readConsortiumKey(t.dir)!;
      const r = await verifyLedgerFile(join(t.dir, 'ledger.sqlite'), {
        registry,
        secrets: consortiumSecrets(key),
      });
      assert.deepEqual(
        {
          size: r.leaves,
          blocks: r.blocks,
          txs: r.txs,
          refused: r.refused,
          root: r.root,
          state: r.state,
        },
        RELEASE,
      );
    } finally {
      t.cleanup();
    }
  });

  it('erases a private part it wrote, and still verifies with the same root and state', async () => {
    const t = unpack();
    try {
      const secrets = consortiumSecrets(readConsortiumKey(t.dir)!);
      const path = join(t.dir, 'ledger.sqlite');
      const ledger = Ledger.open({ registry, path, secrets });
      try {
        const id = ledger.db
          .prepare<[], Buffer>('SELECT txid FROM private_parts ORDER BY txid LIMIT 1')
          .pluck()
          .get()!
          .toString('hex');
        assert.deepEqual(await erasePrivateParts(ledger, [id]), [id]);
        assert.equal(ledger.privatePart(id), undefined);
      } finally {
        ledger.close();
      }
      const r = await verifyLedgerFile(path, { registry, secrets });
      assert.equal(r.erased, 1);
      assert.deepEqual([r.leaves, r.root, r.state], [RELEASE.size, RELEASE.root, RELEASE.state]);
    } finally {
      t.cleanup();
    }
  });

  describe('served by this code', () => {
    let t: TestNode;
    let fixture: { dir: string; cleanup: () => void };
    before(async () => {
      fixture = unpack();
      t = await startNode({ dir: fixture.dir });
    });
    after(async () => {
      await t.close();
      fixture.cleanup();
    });

    it('serves the same history to an outside auditor', async () => {
      assert.equal(toHex(t.node.ledger.log.rootAt(RELEASE.size)), RELEASE.root);
      const report = await auditLog(t.client, await t.client.policy());
      assert.equal(report.size, RELEASE.size);
      assert.equal(report.blocks, RELEASE.blocks);
      assert.equal(report.txs, RELEASE.txs);
      assert.equal(report.refused, RELEASE.refused);
    });

    it('accepts new transactions and extends the same log consistently', async () => {
      const chain = t.chain;
      const admin = demoSeed('demo', 'city-bureau/admin');
      const tx = signTx(
        {
          chain,
          type: 'membership.enrol',
          payload: enrolPayload(chain, 'city-bureau', 'clerk-after-upgrade'),
          nonce: 'after-upgrade-1',
          time: Date.now(),
        },
        admin,
      );
      const outcome = await t.client.submit({ tx });
      assert.deepEqual(outcome.result, { ok: true });
      const size = t.node.ledger.size;
      assert.ok(size > RELEASE.size);
      const proof = await t.client.consistencyProof(RELEASE.size, size);
      assert.ok(
        verifyConsistency(
          RELEASE.size,
          size,
          Buffer.from(RELEASE.root, 'hex'),
          t.node.ledger.log.rootAt(size),
          proof,
        ),
      );
      // The extended log still verifies end to end.
      const report = await auditLog(t.client, await t.client.policy());
      assert.equal(report.size, size);
      assert.equal(report.txs, RELEASE.txs + 1);
    });
  });
});
