/**
 * A leaf's result names one of the execution codes, and every leaf an earlier release wrote still
 * parses: the demo ledger of the release before the restructuring (test/fixtures/release-1) is
 * read leaf by leaf.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { EXECUTION_CODES, isAidError } from '../src/core/errors.js';
import { parseLeaf, txLeafText, TxResultSchema } from '../src/chain/leaf.js';
import { canonicalJson } from '../src/core/canonical.js';
import { tempDir, txBy } from './helpers.js';

const fixture = new URL('../../test/fixtures/release-1/', import.meta.url);

describe('transaction results', () => {
  it('parses every leaf the release before the restructuring wrote', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'ledger.sqlite');
      writeFileSync(file, gunzipSync(readFileSync(new URL('ledger.sqlite.gz', fixture))));
      const db = new Database(file, { readonly: true });
      const seen = new Set<string>();
      let n = 0;
      for (const row of db.prepare('SELECT data FROM leaves').iterate() as Iterable<{
        data: Buffer;
      }>) {
        const leaf = parseLeaf(row.data.toString('utf8'));
        n++;
        if (leaf.kind === 'tx' && !leaf.result.ok) seen.add(leaf.result.code);
      }
      db.close();
      assert.equal(n, 1177);
      // The refusals the demo provokes, each an execution code.
      assert.ok(seen.size >= 10);
      for (const code of seen) assert.ok((EXECUTION_CODES as readonly string[]).includes(code));
    } finally {
      cleanup();
    }
  });

  it('takes every execution code and refuses a code that names none', () => {
    for (const code of EXECUTION_CODES)
      assert.ok(TxResultSchema.safeParse({ ok: false, code }).success, code);
    for (const code of ['RATE_LIMITED', 'NOT_A_CODE', '', 'nonce_used'])
      assert.equal(TxResultSchema.safeParse({ ok: false, code }).success, false, code);
    const tx = canonicalJson(txBy('test-chain', 'city-bureau/admin', 'membership.enrol', {}));
    const forged = `{"kind":"tx","result":{"code":"MADE_UP","ok":false},"tx":${tx}}`;
    assert.throws(
      () => parseLeaf(forged),
      (e) => isAidError(e, 'MALFORMED'),
    );
    assert.equal(parseLeaf(txLeafText(tx, { ok: false, code: 'FROZEN' })).kind, 'tx');
  });
});
