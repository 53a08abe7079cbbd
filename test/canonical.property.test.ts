/**
 * Properties of `canonicalJson`, which hands any member the engine's JSON.stringify writes in RFC
 * 8785 form to it whole: for any value, sorted or not, it writes exactly what a plain JCS writer
 * (keys sorted at every level, leaves by JSON.stringify) writes, and it refuses exactly what
 * that writer refuses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../src/core/canonical.js';

/** RFC 8785 as §3.2 states it, with no fast path: the oracle. */
function jcs(v: unknown, depth = 0): string {
  if (typeof v === 'string') {
    if (!v.isWellFormed()) throw new Error('lone surrogate');
    return JSON.stringify(v);
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('not finite');
    return JSON.stringify(v);
  }
  if (typeof v === 'boolean' || v === null) return JSON.stringify(v);
  if (typeof v !== 'object') throw new Error(`a ${typeof v}`);
  if (depth >= 100) throw new Error('too deep');
  const skip = (x: unknown) => x === undefined || typeof x === 'function' || typeof x === 'symbol';
  if (Array.isArray(v))
    return `[${v.map((x: unknown) => (skip(x) ? 'null' : jcs(x, depth + 1))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const members = Object.keys(o)
    .sort()
    .filter((k) => !skip(o[k]))
    .map((k) => {
      if (!k.isWellFormed()) throw new Error('lone surrogate in a key');
      return `${JSON.stringify(k)}:${jcs(o[k], depth + 1)}`;
    });
  return `{${members.join(',')}}`;
}

const outcome = (f: () => string): { text: string } | { refused: true } => {
  try {
    return { text: f() };
  } catch {
    return { refused: true };
  }
};

/** Keys that sort differently as strings and as integers, beside any string. */
const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('0', '1', '9', '10', '-1', '01', '__proto__', 'é', '\u{1f600}', 'a', 'B'),
);

const leaf = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 5e-7, true, false, null, undefined),
);

/** Objects in any key order (not only sorted), so both the fast path and the fallback run. */
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc
      .array(fc.tuple(key, tie('v')), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries)),
  ),
})).v;

describe('canonicalJson', () => {
  it('writes what a plain RFC 8785 writer writes, and refuses what it refuses', () => {
    fc.assert(
      fc.property(value, (v) => {
        assert.deepEqual(
          outcome(() => canonicalJson(v)),
          outcome(() => jcs(v)),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('writes state-like values whose keys were parsed sorted and then spread out of order', () => {
    const rec = JSON.parse(
      '{"amount":"100","history":[{"by":"a","state":"submitted","time":1}],"id":"c1","lines":[{"line":1,"net":"5"}],"state":"submitted"}',
    ) as Record<string, unknown>;
    const next = { ...rec, state: 'verified', reason: 'x', history: [...(rec.history as [])] };
    assert.equal(canonicalJson(next), jcs(next));
    assert.equal(
      canonicalJson(next),
      '{"amount":"100","history":[{"by":"a","state":"submitted","time":1}],"id":"c1","lines":[{"line":1,"net":"5"}],"reason":"x","state":"verified"}',
    );
  });

  it('orders integer-like keys as strings, as the engine does not', () => {
    const v = { 10: 'ten', 9: 'nine', a: { 2: 1, 10: 2 } };
    assert.equal(canonicalJson(v), '{"10":"ten","9":"nine","a":{"10":2,"2":1}}');
  });

  it('refuses what JSON.stringify would write quietly: a lone surrogate, NaN, a bigint, depth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 101; i++) deep = [deep];
    for (const bad of [
      { a: ['\ud800'] },
      { a: { b: Number.NaN } },
      { a: [Infinity] },
      { a: 1n },
      { '\udc00': 1 },
      deep,
    ])
      assert.throws(() => canonicalJson(bad), { code: 'MALFORMED' });
    // A class instance or a Date is not plain JSON data: it is written by its own members, never
    // by its toJSON.
    assert.equal(canonicalJson({ d: new Date(0) }), '{"d":{}}');
  });
});
