/** Program rules in CEL: exact integer arithmetic, no floating point, errors as outcomes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../src/domains/aid/rules.js';
import { isAidError } from '../src/core/errors.js';

describe('program rules (CEL)', () => {
  it('decides over integer, string and list facts', () => {
    const rule = compileRule(
      'income_per_capita <= 120000 && household_size >= 2 && diagnoses.exists(d, d.startsWith("C9"))',
    );
    assert.deepEqual(rule.reads, ['diagnoses', 'household_size', 'income_per_capita']);
    assert.deepEqual(
      rule.evaluate({
        income_per_capita: 100000n,
        household_size: 3n,
        diagnoses: ['J18', 'C91.0'],
      }),
      { ok: true, value: true },
    );
    assert.deepEqual(
      rule.evaluate({ income_per_capita: 130000n, household_size: 3n, diagnoses: ['C91.0'] }),
      { ok: true, value: false },
    );
    assert.deepEqual(
      rule.evaluate({ income_per_capita: 100000n, household_size: 3n, diagnoses: ['J18'] }),
      { ok: true, value: false },
    );
  });
  it('uses exact int64 arithmetic, rounding division toward zero', () => {
    assert.deepEqual(compileRule('amount * 7000 / 10000 == 699').evaluate({ amount: 999n }), {
      ok: true,
      value: true,
    });
    assert.deepEqual(compileRule('9007199254740993 + x == 9007199254740994').evaluate({ x: 1n }), {
      ok: true,
      value: true,
    });
  });
  it('refuses floating point in a rule and in its facts', () => {
    for (const expr of ['income < 1.5', 'double(income) < 2', 'income * 0.7 > 0']) {
      assert.throws(
        () => compileRule(expr),
        (e: unknown) => isAidError(e, 'MALFORMED'),
        expr,
      );
    }
    const out = compileRule('income < 2').evaluate({ income: 1 as unknown as bigint });
    assert.equal(out.ok, false);
  });
  it('reports a rule that does not parse, is empty or too long, with MALFORMED', () => {
    for (const expr of ['income <', '', 'x'.repeat(2001)]) {
      assert.throws(
        () => compileRule(expr),
        (e: unknown) => isAidError(e, 'MALFORMED'),
      );
    }
  });
  it('returns an error outcome, never throws, for a missing fact or a non-boolean result', () => {
    assert.equal(compileRule('age >= 18').evaluate({}).ok, false);
    assert.equal(compileRule('age + 1').evaluate({ age: 3n }).ok, false);
    assert.equal(compileRule('"a" < 1').evaluate({}).ok, false);
  });
});
