/**
 * Invoice lines from FHIR R4 Claim and ClaimResponse resources (test/vectors/fhir), amounts in
 * minor units exactly, and the coded errors a clerk sees for a file that is not a claim.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FhirImportError, linesFromFhir, minorUnits } from '../src/domains/aid/fhir-claim.js';

const vector = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/vectors/fhir/${name}`, import.meta.url), 'utf8'));

describe('FHIR R4 claims as invoice lines', () => {
  it('reads the specification’s institutional claim and its claim response', () => {
    assert.deepEqual(linesFromFhir(vector('claim-institutional.json'), 'USD'), [
      { invoice: '9612345', line: 1, amount: '12500', insurancePaid: undefined },
    ]);
    // The response's benefit (100.47) is the insurer's share; eligible and copay are not.
    assert.deepEqual(
      linesFromFhir(vector('claim-institutional.json'), 'USD', vector('claimresponse.json')),
      [{ invoice: '9612345', line: 1, amount: '12500', insurancePaid: '10047' }],
    );
  });

  it('reads a hospital bill in yuan, an item the insurer did not adjudicate at 0', () => {
    assert.deepEqual(
      linesFromFhir(vector('claim-cny.json'), 'CNY', vector('claimresponse-cny.json')),
      [
        { invoice: 'CH26-900117', line: 1, amount: '2000000', insurancePaid: '1200000' },
        { invoice: 'CH26-900117', line: 2, amount: '500050', insurancePaid: '200025' },
        { invoice: 'CH26-900117', line: 3, amount: '123456', insurancePaid: '0' },
      ],
    );
  });

  it('refuses what a bill is not, saying where', () => {
    const claim = vector('claim-cny.json') as {
      item: { net: { value: unknown } }[];
      identifier: unknown[];
    };
    const where = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof FhirImportError, String(e));
        return e.path;
      }
      assert.fail('not refused');
    };
    assert.equal(
      where(() => linesFromFhir(claim, 'HKD')),
      'Claim.item[0].net',
    );
    assert.equal(
      where(() => linesFromFhir({ resourceType: 'Patient' }, 'CNY')),
      'Claim.resourceType',
    );
    assert.equal(
      where(() => linesFromFhir({ ...claim, identifier: [] }, 'CNY')),
      'Claim.identifier[0].value',
    );
    const tooFine = structuredClone(claim);
    tooFine.item[0]!.net.value = 1.005;
    assert.equal(
      where(() => linesFromFhir(tooFine, 'CNY')),
      'Claim.item[0].net.value',
    );
    const negative = structuredClone(claim);
    negative.item[0]!.net.value = -5;
    assert.equal(
      where(() => linesFromFhir(negative, 'CNY')),
      'Claim.item[0].net.value',
    );
    const twice = structuredClone(claim) as { item: unknown[] };
    twice.item.push(twice.item[0]);
    assert.equal(
      where(() => linesFromFhir(twice, 'CNY')),
      'Claim.item[3].sequence',
    );
    const wrongItem = {
      resourceType: 'ClaimResponse',
      item: [
        {
          itemSequence: 9,
          adjudication: [
            { category: { coding: [{ code: 'benefit' }] }, amount: { value: 1, currency: 'CNY' } },
          ],
        },
      ],
    };
    assert.equal(
      where(() => linesFromFhir(claim, 'CNY', wrongItem)),
      'ClaimResponse.item',
    );
    const over = {
      resourceType: 'ClaimResponse',
      item: [
        {
          itemSequence: 3,
          adjudication: [
            {
              category: { coding: [{ code: 'benefit' }] },
              amount: { value: 2000, currency: 'CNY' },
            },
          ],
        },
      ],
    };
    assert.equal(
      where(() => linesFromFhir(claim, 'CNY', over)),
      'ClaimResponse.item',
    );
  });

  it('turns any two-decimal amount into the same minor units as its digits say', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), (minor) => {
        const text = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
        assert.equal(minorUnits(Number(text), 'CNY', 'x'), minor.toString());
        assert.equal(minorUnits(text, 'CNY', 'x'), minor.toString());
      }),
      { numRuns: 2000 },
    );
    assert.equal(minorUnits(1500, 'JPY', 'x'), '1500');
    assert.throws(() => minorUnits(15.5, 'JPY', 'x'), FhirImportError);
    assert.throws(() => minorUnits(1e21, 'CNY', 'x'), FhirImportError);
  });
});
