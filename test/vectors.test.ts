/**
 * Known-answer vectors, positive and negative, for every primitive: RFC 8032 Ed25519 and its edge
 * cases (both the portable verifier and the server's node:crypto one), RFC 8785 canonical JSON,
 * and the Certificate Transparency Merkle vectors (RFC 6962 / RFC 9162).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromHex, toHex, utf8 } from '../src/core/bytes.js';
import { canonicalJson, parseCanonical } from '../src/core/canonical.js';
import { publicKeyFromSeed, signEd25519, verifyEd25519 } from '../src/core/ed25519.js';
import { isAidError } from '../src/core/errors.js';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  rootAt,
  rootOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type SubtreeSource,
} from '../src/core/merkle.js';
import { verifyHex } from '../src/runtime/node-ed25519.js';

const vectors = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../test/vectors/${name}`, import.meta.url), 'utf8')) as never;

describe('Ed25519 (RFC 8032 §7.1)', () => {
  const { vectors: vs } = vectors('rfc8032-ed25519.json') as {
    vectors: {
      name: string;
      secretKey: string;
      publicKey: string;
      message: string;
      signature: string;
    }[];
  };
  assert.ok(vs.length >= 5);
  for (const v of vs) {
    it(`${v.name}: derives the key, signs and verifies exactly`, () => {
      const seed = fromHex(v.secretKey);
      assert.equal(toHex(publicKeyFromSeed(seed)), v.publicKey);
      assert.equal(toHex(signEd25519(seed, fromHex(v.message))), v.signature);
      assert.equal(
        verifyEd25519(fromHex(v.publicKey), fromHex(v.message), fromHex(v.signature)),
        true,
      );
    });
    it(`${v.name}: a flipped bit in the signature or message is refused by both verifiers`, () => {
      const sig = fromHex(v.signature);
      sig[5]! ^= 1;
      assert.equal(verifyEd25519(fromHex(v.publicKey), fromHex(v.message), sig), false);
      assert.equal(
        verifyHex(v.publicKey, new TextDecoder().decode(fromHex(v.message)) + 'x', v.signature),
        false,
      );
    });
  }
});

describe('Ed25519 edge cases: strict RFC 8032, same verdict in the browser and on the server', () => {
  const { vectors: vs } = vectors('ed25519-edge.json') as {
    vectors: {
      case: number;
      message: string;
      publicKey: string;
      signature: string;
      expected: 'accept' | 'reject';
    }[];
  };
  assert.ok(vs.length >= 21);
  for (const v of vs) {
    it(`case ${v.case}: ${v.expected}`, () => {
      const want = v.expected === 'accept';
      assert.equal(
        verifyEd25519(fromHex(v.publicKey), fromHex(v.message), fromHex(v.signature)),
        want,
        'portable verifier',
      );
      // The server verifies UTF-8 text; compare on messages that are valid UTF-8, else on bytes via the portable path only.
      const msg = fromHex(v.message);
      const text = new TextDecoder('utf-8', { fatal: false }).decode(msg);
      if (toHex(utf8(text)) === v.message)
        assert.equal(verifyHex(v.publicKey, text, v.signature), want, 'server verifier');
    });
  }
});

describe('canonical JSON (RFC 8785)', () => {
  const jcs = vectors('rfc8785-jcs.json') as {
    documents: { name: string; input: string; canonical: string }[];
    numbers: { ieeeHex: string; expected: string }[];
    invalidNumbers: { ieeeHex: string }[];
    nonCanonical: { name: string; input: string }[];
  };
  for (const d of jcs.documents) {
    it(`canonicalises ${d.name}`, () => {
      assert.equal(canonicalJson(JSON.parse(d.input)), d.canonical);
      assert.deepEqual(parseCanonical(d.canonical), JSON.parse(d.input));
    });
  }
  it('serialises every number of Appendix B', () => {
    assert.ok(jcs.numbers.length > 10);
    for (const n of jcs.numbers) {
      const f = new DataView(fromHex(n.ieeeHex).buffer).getFloat64(0);
      assert.equal(canonicalJson(f), n.expected, n.ieeeHex);
    }
  });
  it('refuses NaN and Infinity with MALFORMED', () => {
    for (const n of jcs.invalidNumbers) {
      const f = new DataView(fromHex(n.ieeeHex).buffer).getFloat64(0);
      assert.throws(
        () => canonicalJson(f),
        (e: unknown) => isAidError(e, 'MALFORMED'),
      );
    }
  });
  for (const n of jcs.nonCanonical) {
    it(`refuses a non-canonical document: ${n.name}`, () => {
      assert.throws(
        () => parseCanonical(n.input),
        (e: unknown) => isAidError(e, 'NON_CANONICAL') || isAidError(e, 'MALFORMED'),
      );
    });
  }
  it('refuses text that is not JSON with MALFORMED, never SyntaxError', () => {
    for (const bad of ['', '{', '{"a":}', 'nul', '[1,]'])
      assert.throws(
        () => parseCanonical(bad),
        (e: unknown) => isAidError(e, 'MALFORMED'),
      );
  });
});

describe('Merkle tree (Certificate Transparency vectors, RFC 9162 §2.1)', () => {
  const ct = vectors('ct-merkle.json') as {
    leaves: string[];
    roots: { size: number; root: string }[];
    inclusion: { index: number; size: number; path: string[] }[];
    consistency: { first: number; second: number; path: string[] }[];
    negative: {
      inclusion: {
        index: number;
        size: number;
        leafHash: string;
        root: string;
        path: string[];
        why: string;
      }[];
      consistency: {
        first: number;
        second: number;
        firstRoot: string;
        secondRoot: string;
        path: string[];
        why: string;
      }[];
    };
  };
  const hashes = ct.leaves.map((l) => leafHash(fromHex(l)));
  // A subtree source over the 8 reference leaves, computed from scratch.
  const src: SubtreeSource = {
    node: (level, index) =>
      rootOfLeafHashes(hashes.slice(index * 2 ** level, (index + 1) * 2 ** level)),
  };
  const rootOf = (n: number) => fromHex(ct.roots.find((r) => r.size === n)!.root);

  it('computes the root of every size, the empty tree included', () => {
    assert.equal(ct.roots.length, 9);
    assert.equal(toHex(emptyRoot()), ct.roots[0]!.root);
    for (const r of ct.roots) {
      assert.equal(toHex(rootOfLeafHashes(hashes.slice(0, r.size))), r.root);
      assert.equal(toHex(rootAt(src, r.size)), r.root);
    }
  });
  it('generates and verifies every published inclusion proof', () => {
    for (const p of ct.inclusion) {
      assert.deepEqual(
        inclusionProof(src, p.index, p.size).map(toHex),
        p.path,
        `${p.index}/${p.size}`,
      );
      assert.ok(
        verifyInclusion(
          p.index,
          p.size,
          hashes[p.index]!,
          p.path.map((h) => fromHex(h)),
          rootOf(p.size),
        ),
      );
    }
  });
  it('generates and verifies every published consistency proof', () => {
    for (const p of ct.consistency) {
      assert.deepEqual(
        consistencyProof(src, p.first, p.second).map(toHex),
        p.path,
        `${p.first}/${p.second}`,
      );
      assert.ok(
        verifyConsistency(
          p.first,
          p.second,
          rootOf(p.first),
          rootOf(p.second),
          p.path.map((h) => fromHex(h)),
        ),
      );
    }
  });
  for (const n of ct.negative.inclusion) {
    it(`refuses an inclusion proof: ${n.why}`, () => {
      assert.equal(
        verifyInclusion(
          n.index,
          n.size,
          fromHex(n.leafHash),
          n.path.map((h) => fromHex(h)),
          fromHex(n.root),
        ),
        false,
      );
    });
  }
  for (const n of ct.negative.consistency) {
    it(`refuses a consistency proof: ${n.why}`, () => {
      assert.equal(
        verifyConsistency(
          n.first,
          n.second,
          fromHex(n.firstRoot),
          fromHex(n.secondRoot),
          n.path.map((h) => fromHex(h)),
        ),
        false,
      );
    });
  }
  it('refuses to generate a proof for index >= size or first > second', () => {
    assert.throws(
      () => inclusionProof(src, 8, 8),
      (e: unknown) => isAidError(e, 'BAD_REQUEST'),
    );
    assert.throws(
      () => inclusionProof(src, 0, 0),
      (e: unknown) => isAidError(e, 'BAD_REQUEST'),
    );
    assert.throws(
      () => consistencyProof(src, 5, 4),
      (e: unknown) => isAidError(e, 'BAD_REQUEST'),
    );
  });
});
