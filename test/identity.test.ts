/**
 * Money in minor units and national identity numbers (validated, then only ever pseudonymised),
 * against worked examples kept as data in test/vectors/national-ids.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAidError } from '../src/core/errors.js';
import {
  applyBasisPoints,
  majorUnits,
  parseAmount,
  parseCurrency,
  toAmount,
} from '../src/core/money.js';
import { parseNationalId, pseudonym, type IdKind } from '../src/core/national-id.js';
import { consortiumSecrets, PSEUDONYM_KEY_VERSION } from '../src/runtime/secrets.js';

const ids = JSON.parse(
  readFileSync(new URL('../../test/vectors/national-ids.json', import.meta.url), 'utf8'),
) as {
  valid: { kind: IdKind; input: string; normalised: string }[];
  invalid: { kind: IdKind; input: string; why: string }[];
};

describe('money', () => {
  it('parses decimal strings of minor units and refuses anything else with MALFORMED', () => {
    assert.equal(parseAmount('0'), 0n);
    assert.equal(parseAmount('123456789012345678901234567890'), 123456789012345678901234567890n);
    for (const bad of [
      '',
      '-1',
      '01',
      '1.5',
      '1e3',
      ' 1',
      '1 ',
      12,
      null,
      '1234567890123456789012345678901',
    ]) {
      assert.throws(
        () => parseAmount(bad),
        (e: unknown) => isAidError(e, 'MALFORMED'),
        String(bad),
      );
    }
    assert.throws(
      () => toAmount(-1n),
      (e: unknown) => isAidError(e, 'MALFORMED'),
    );
  });
  it('applies a rate in basis points rounding down, never above the amount', () => {
    assert.equal(applyBasisPoints(parseAmount('999'), 7000n), 699n);
    assert.equal(applyBasisPoints(parseAmount('100000'), 10000n), 100000n);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10000n }),
        (a, bp) => {
          const r = applyBasisPoints(toAmount(a), bp);
          return r <= a && r * 10000n <= a * bp && (r + 1n) * 10000n > a * bp;
        },
      ),
    );
    assert.throws(
      () => applyBasisPoints(parseAmount('1'), 10001n),
      (e: unknown) => isAidError(e, 'MALFORMED'),
    );
  });
  it('writes major units without locale and knows its currencies', () => {
    assert.equal(majorUnits(parseAmount('123456'), parseCurrency('CNY')), '1234.56');
    assert.equal(majorUnits(parseAmount('5'), parseCurrency('HKD')), '0.05');
    assert.equal(majorUnits(parseAmount('500'), parseCurrency('JPY')), '500');
    assert.throws(
      () => parseCurrency('RMB'),
      (e: unknown) => isAidError(e, 'MALFORMED'),
    );
  });
});

describe('national identity numbers', () => {
  for (const v of ids.valid) {
    it(`accepts ${v.kind} ${v.input}`, () => {
      assert.deepEqual(parseNationalId(v.kind, v.input), { kind: v.kind, value: v.normalised });
    });
  }
  for (const v of ids.invalid) {
    it(`refuses ${v.kind} ${JSON.stringify(v.input)}: ${v.why}, without echoing it`, () => {
      assert.throws(
        () => parseNationalId(v.kind, v.input),
        (e: unknown) =>
          isAidError(e, 'MALFORMED') && (v.input === '' || !e.message.includes(v.input)),
      );
    });
  }
  it('turns a number into a versioned keyed pseudonym that names no one without the key', () => {
    const key = new Uint8Array(32).fill(7);
    const id = parseNationalId('cn', '11010519491231002X');
    const p = pseudonym(id, key, 1);
    assert.match(p, /^p1:[0-9a-f]{64}$/);
    assert.equal(pseudonym(parseNationalId('cn', '11010519491231002x'), key, 1), p);
    assert.notEqual(pseudonym(id, new Uint8Array(32).fill(8), 1), p);
    assert.ok(pseudonym(id, key, 2).startsWith('p2:'));
    assert.ok(!p.includes('11010519491231002X'));
    assert.throws(
      () => pseudonym(id, new Uint8Array(16), 1),
      (e: unknown) => isAidError(e, 'CONFIG'),
    );
  });
  it('gives the same pseudonym on a node (node:crypto) as the portable code', () => {
    const key = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const secrets = consortiumSecrets(key);
    for (const [kind, input] of [
      ['cn', '11010519491231002X'],
      ['hk', 'A123456(3)'],
      ['tw', 'A123456789'],
    ] as const) {
      const id = parseNationalId(kind, input);
      assert.equal(secrets.pseudonym(id.kind, id.value), pseudonym(id, key, PSEUDONYM_KEY_VERSION));
    }
  });
});
