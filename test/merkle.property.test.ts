/**
 * Properties of the stored Merkle tree on a real SQLite file: for every size, index and pair of
 * sizes, the roots equal the reference MTH and every served proof verifies under RFC 9162's
 * algorithm, while a proof for any other index, size or leaf does not.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { equalBytes, utf8 } from '../src/core/bytes.js';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MerkleAccumulator,
  rootAt,
  rootOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../src/core/merkle.js';
import { fastSha256 } from '../src/runtime/node-hash.js';
import { openDatabase } from '../src/runtime/store.js';
import { StoredTree } from '../src/log/tree.js';
import { tempDir } from './helpers.js';

describe('stored Merkle tree', () => {
  const t = tempDir();
  after(() => t.cleanup());
  const db = openDatabase(join(t.dir, 'tree.sqlite'));
  const N = 300;
  const hashes = Array.from({ length: N }, (_, i) => leafHash(utf8(`leaf ${i}`)));
  const tree = new StoredTree(db, 0, fastSha256, (i) => hashes[i]!);
  // Appended in uneven blocks, each flushed in its own transaction, as the ledger does.
  for (let i = 0; i < N;) {
    const n = Math.min(N - i, 1 + (i % 7));
    db.transaction(() => {
      for (let j = 0; j < n; j++) tree.append(hashes[i + j]!);
      tree.flush();
    })();
    tree.committed();
    i += n;
  }
  const refRoot = (n: number) => rootOfLeafHashes(hashes.slice(0, n));

  it('has the reference root at every size, also when reopened from the file', () => {
    const reopened = new StoredTree(db, N, fastSha256, (i) => hashes[i]!);
    for (let n = 0; n <= N; n++) {
      assert.ok(equalBytes(rootAt(tree, n, fastSha256), refRoot(n)), `size ${n}`);
    }
    assert.ok(equalBytes(reopened.root(), refRoot(N)));
    const acc = new MerkleAccumulator();
    for (const h of hashes) acc.appendLeafHash(h);
    assert.ok(equalBytes(acc.root(), refRoot(N)));
  });

  it('serves an inclusion proof that verifies for every index of random sizes, and fails for a wrong index', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: N })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        ([size, index]) => {
          const proof = inclusionProof(tree, index, size, fastSha256);
          const root = refRoot(size);
          assert.ok(verifyInclusion(index, size, hashes[index]!, proof, root));
          if (size > 1)
            assert.equal(
              verifyInclusion((index + 1) % size, size, hashes[index]!, proof, root),
              false,
            );
          if (size < N)
            assert.equal(
              verifyInclusion(index, size + 1, hashes[index]!, proof, refRoot(size + 1)),
              false,
            );
          assert.equal(verifyInclusion(index, size, hashes[index]!, [...proof, root], root), false);
          if (proof.length > 0)
            assert.equal(verifyInclusion(index, size, hashes[index]!, proof.slice(1), root), false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serves a consistency proof that verifies for random pairs of sizes, and fails for altered roots', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: N })
          .chain((second) => fc.tuple(fc.integer({ min: 0, max: second }), fc.constant(second))),
        ([first, second]) => {
          const proof = consistencyProof(tree, first, second, fastSha256);
          assert.ok(verifyConsistency(first, second, refRoot(first), refRoot(second), proof));
          if (first > 0 && first < second) {
            const bad = Uint8Array.from(refRoot(second));
            bad[0]! ^= 1;
            assert.equal(verifyConsistency(first, second, refRoot(first), bad, proof), false);
            assert.equal(
              verifyConsistency(first, second, refRoot(second), refRoot(second), proof),
              false,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rolls back appends that were not committed', () => {
    const before = tree.root();
    tree.append(hashes[0]!);
    assert.equal(tree.size, N + 1);
    tree.rollback();
    assert.equal(tree.size, N);
    assert.ok(equalBytes(tree.root(), before));
    db.close();
  });
});
