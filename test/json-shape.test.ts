/**
 * The shape check of JSON text before parsing (src/core/json-shape.ts): known answers for the
 * RFC 8259 grammar, positive and negative, each limit at its boundary and one past it, the item
 * at fault named in a list; and, as properties, that it accepts exactly the texts JSON.parse
 * accepts when the limits are out of reach.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAidError, type ErrorCode } from '../src/core/errors.js';
import { scanJsonShape, type JsonShapeLimits } from '../src/core/json-shape.js';

const WIDE: JsonShapeLimits = {
  maxDepth: 1000,
  maxElements: 1e9,
  maxStringLength: 1e9,
  maxNumberLength: 1e9,
  maxValues: 1e9,
  maxItemLength: 1e9,
};
const LIST = { maxItems: 1e9, maxValues: 1e9 };

/** The code and details the scan refuses `text` with, or 'ok'. */
function verdict(
  text: string,
  limits: Partial<JsonShapeLimits> = {},
  list?: { maxItems?: number; maxValues?: number },
): { code: ErrorCode; index?: unknown } | 'ok' {
  try {
    scanJsonShape(text, { ...WIDE, ...limits }, list && { ...LIST, ...list });
    return 'ok';
  } catch (e) {
    if (!isAidError(e)) throw e;
    return e.details ? { code: e.code, index: e.details.index } : { code: e.code };
  }
}

describe('JSON shape check', () => {
  describe('RFC 8259 grammar', () => {
    const valid = [
      '0',
      '-0',
      '1.5e+10',
      '-12.25E-3',
      '"a"',
      '""',
      '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"',
      '"é中😀"',
      'true',
      'false',
      'null',
      '[]',
      '{}',
      ' \t\r\n[ 1 , "x" , { "a" : [ null ] } ] \n',
      '{"a":1,"a":2}',
      '[[[[]]]]',
    ];
    for (const text of valid) {
      it(`accepts ${JSON.stringify(text)}`, () => {
        assert.equal(verdict(text), 'ok');
        assert.doesNotThrow(() => JSON.parse(text));
      });
    }
    const invalid = [
      '',
      ' ',
      '[',
      ']',
      '[1,]',
      '[,1]',
      '{"a"}',
      '{"a":}',
      '{"a":1,}',
      '{a:1}',
      "'a'",
      '"\u0001"',
      '"\\x"',
      '"\\u12g4"',
      '"abc',
      '01',
      '1.',
      '.5',
      '1e',
      '-',
      '+1',
      'NaN',
      'Infinity',
      'tru',
      'nul',
      '[1 2]',
      '1 2',
      '\ufeff1',
      '[1]]',
      '{"a":1]',
      '[1}',
    ];
    for (const text of invalid) {
      it(`refuses ${JSON.stringify(text)} as MALFORMED`, () => {
        assert.deepEqual(verdict(text), { code: 'MALFORMED' });
        assert.throws(() => JSON.parse(text), SyntaxError);
      });
    }
  });

  describe('limits', () => {
    it('refuses nesting deeper than maxDepth as MALFORMED', () => {
      assert.equal(verdict('[[[1]]]', { maxDepth: 3 }), 'ok');
      assert.deepEqual(verdict('[[[[1]]]]', { maxDepth: 3 }), { code: 'MALFORMED' });
      assert.deepEqual(verdict('{"a":{"b":{"c":{}}}}', { maxDepth: 3 }), { code: 'MALFORMED' });
    });

    it('refuses 5,000 levels of nesting without deep recursion', () => {
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      assert.deepEqual(verdict(deep, { maxDepth: 32 }), { code: 'MALFORMED' });
      assert.equal(verdict(deep, { maxDepth: 5000 }), 'ok');
    });

    it('refuses an array or object with more than maxElements elements', () => {
      assert.equal(verdict('[1,2,3]', { maxElements: 3 }), 'ok');
      assert.deepEqual(verdict('[1,2,3,4]', { maxElements: 3 }), { code: 'TOO_LARGE' });
      assert.equal(verdict('{"a":1,"b":2}', { maxElements: 2 }), 'ok');
      assert.deepEqual(verdict('{"a":1,"b":2,"c":3}', { maxElements: 2 }), { code: 'TOO_LARGE' });
    });

    it('refuses a string or member name longer than maxStringLength, escapes as written', () => {
      assert.equal(verdict('"abcd"', { maxStringLength: 4 }), 'ok');
      assert.deepEqual(verdict('"abcde"', { maxStringLength: 4 }), { code: 'TOO_LARGE' });
      assert.deepEqual(verdict('"\\u0041"', { maxStringLength: 4 }), { code: 'TOO_LARGE' });
      assert.deepEqual(verdict('{"abcde":1}', { maxStringLength: 4 }), { code: 'TOO_LARGE' });
    });

    it('refuses a number longer than maxNumberLength', () => {
      assert.equal(verdict('-1.5e9', { maxNumberLength: 6 }), 'ok');
      assert.deepEqual(verdict('-1.5e10', { maxNumberLength: 6 }), { code: 'TOO_LARGE' });
    });

    it('counts every value, containers and nested ones, against maxValues', () => {
      // [ {}, [1] ] holds four values: the outer array, the object, the inner array and 1.
      assert.equal(verdict('[{},[1]]', { maxValues: 4 }), 'ok');
      assert.deepEqual(verdict('[{},[1,2]]', { maxValues: 4 }), { code: 'TOO_LARGE' });
    });

    it('refuses a text longer than maxItemLength', () => {
      assert.equal(verdict('"abc"', { maxItemLength: 5 }), 'ok');
      assert.deepEqual(verdict('"abcd"', { maxItemLength: 5 }), { code: 'TOO_LARGE' });
    });
  });

  describe('a list of items', () => {
    it('refuses anything but an array as MALFORMED', () => {
      assert.deepEqual(verdict('{"tx":1}', {}, {}), { code: 'MALFORMED' });
      assert.deepEqual(verdict('1', {}, {}), { code: 'MALFORMED' });
      assert.equal(verdict('[]', {}, {}), 'ok');
    });

    it('refuses more than maxItems items as TOO_MANY', () => {
      assert.equal(verdict('[1,2,3]', {}, { maxItems: 3 }), 'ok');
      assert.deepEqual(verdict('[1,2,3,4]', {}, { maxItems: 3 }), { code: 'TOO_MANY' });
    });

    it('does not count the list itself against maxElements', () => {
      assert.equal(verdict('[1,2,3,4]', { maxElements: 2 }, {}), 'ok');
      assert.deepEqual(verdict('[1,[1,2,3]]', { maxElements: 2 }, {}), {
        code: 'TOO_LARGE',
        index: 1,
      });
    });

    it('names the item that is too long, too many-valued or too deep', () => {
      assert.deepEqual(verdict('["ab","abcdef"]', { maxItemLength: 4 }, {}), {
        code: 'TOO_LARGE',
        index: 1,
      });
      assert.deepEqual(verdict('[[1,2],[1,2,3],[1]]', { maxValues: 3 }, {}), {
        code: 'TOO_LARGE',
        index: 1,
      });
      assert.deepEqual(verdict('[1,2,[[[]]]]', { maxDepth: 3 }, {}), {
        code: 'MALFORMED',
        index: 2,
      });
    });

    it('gives each item its own value budget and the list one for all', () => {
      assert.equal(verdict('[[1,2],[1,2],[1,2]]', { maxValues: 3 }, { maxValues: 9 }), 'ok');
      assert.deepEqual(verdict('[[1,2],[1,2],[1,2],[1]]', { maxValues: 3 }, { maxValues: 9 }), {
        code: 'TOO_LARGE',
      });
    });

    it('refuses the million empty objects of issue 14 without parsing them', () => {
      const text = '[[' + Array(1_000_000).fill('{}').join(',') + '],0,0,0,0,0,0,0]';
      assert.deepEqual(verdict(text, { maxElements: 1024 }, {}), { code: 'TOO_LARGE', index: 0 });
    });
  });

  describe('properties', () => {
    it('accepts every JSON text, as written by JSON.stringify with any indentation', () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, '\t'), (v, space) => {
          assert.equal(verdict(JSON.stringify(v, null, space)), 'ok');
        }),
        { seed: 14, numRuns: 500 },
      );
    });

    it('refuses exactly the texts JSON.parse refuses', () => {
      const alphabet = fc.constantFrom(
        ...'[]{}:,"\\ \t\n0123456789-+.eEtrufalsn\u0001é😀/bu'.split(''),
      );
      const texts = fc.oneof(
        fc.string({ unit: alphabet, maxLength: 30 }),
        // Valid texts with one character changed, dropped or doubled.
        fc
          .tuple(fc.jsonValue({ maxDepth: 4 }), fc.nat(), alphabet, fc.nat(2))
          .map(([v, at, c, how]) => {
            const s = JSON.stringify(v);
            const k = at % (s.length + 1);
            return how === 0
              ? s.slice(0, k) + c + s.slice(k + 1)
              : how === 1
                ? s.slice(0, k) + s.slice(k + 1)
                : s.slice(0, k) + c + s.slice(k);
          }),
      );
      fc.assert(
        fc.property(texts, (text) => {
          let parses = true;
          try {
            JSON.parse(text);
          } catch {
            parses = false;
          }
          assert.equal(verdict(text) === 'ok', parses, text);
        }),
        { seed: 14, numRuns: 3000 },
      );
    });
  });
});
