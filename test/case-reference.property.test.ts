/**
 * The case reference: derived from the case ID, read back from what a person types, and its
 * check character catching the typing errors it promises to catch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { caseReference, parseCaseReference } from '../src/domains/aid/reference.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const caseId = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('hex'));

test('a reference has the printed shape and reads back to a range holding its case', () => {
  fc.assert(
    fc.property(caseId, (id) => {
      const ref = caseReference(id);
      assert.match(ref, /^AL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const p = parseCaseReference(ref);
      assert.ok(p);
      assert.equal(p.reference, ref);
      assert.ok(id >= p.from && id < p.to, `${id} in [${p.from}, ${p.to})`);
      // Typed loosely: lower case, spaces for dashes, no prefix, look-alikes.
      const loose = ref
        .slice(3)
        .replace('-', ' ')
        .toLowerCase()
        .replace(/1/g, 'l')
        .replace(/0/g, 'o');
      assert.deepEqual(parseCaseReference(loose), p);
    }),
    { numRuns: 500 },
  );
});

test('the first and last IDs have references, and the last range is open above', () => {
  const lo = caseReference('0'.repeat(64));
  const hi = caseReference('f'.repeat(64));
  assert.equal(parseCaseReference(lo)?.from, '000000000');
  assert.equal(parseCaseReference(hi)?.to, 'g');
  assert.ok('f'.repeat(64) < 'g');
});

test('one wrong character or two swapped neighbours is never read as a reference', () => {
  fc.assert(
    fc.property(caseId, fc.nat(7), fc.nat(30), (id, pos, delta) => {
      const chars = caseReference(id).replace(/^AL-|-/g, '');
      const wrong = [...chars];
      wrong[pos] = ALPHABET[(ALPHABET.indexOf(chars[pos]!) + 1 + delta) % 32]!;
      assert.equal(parseCaseReference(wrong.join('')), undefined, `${chars} → ${wrong.join('')}`);
      if (pos < 7 && chars[pos] !== chars[pos + 1]) {
        const swapped = [...chars];
        [swapped[pos], swapped[pos + 1]] = [swapped[pos + 1]!, swapped[pos]!];
        const parsed = parseCaseReference(swapped.join(''));
        // Luhn misses only the swap of the two characters whose doubled values wrap alike.
        if (parsed)
          assert.ok(isLuhnBlindSpot(chars[pos]!, chars[pos + 1]!), `${chars} swap ${pos}`);
      }
    }),
    { numRuns: 2000 },
  );
});

/** Luhn mod 32 cannot see a swap of 0 and V (values 0 and 31), as mod 10 cannot see 09 ↔ 90. */
function isLuhnBlindSpot(a: string, b: string): boolean {
  const pair = [ALPHABET.indexOf(a), ALPHABET.indexOf(b)].sort((x, y) => x - y);
  return pair[0] === 0 && pair[1] === 31;
}

test('what is not a reference is refused', () => {
  for (const s of ['', 'AL-', 'AL-7KQ4-M9', 'AL-7KQ4-M9XCZ', 'AL-7KQ4-M9X!', 'AL-7KU4-M9XC']) {
    assert.equal(parseCaseReference(s), undefined, s);
  }
  assert.throws(() => caseReference('xyz'), TypeError);
  assert.throws(() => caseReference(randomBytes(32).toString('hex').toUpperCase()), TypeError);
});
