/**
 * A bureau's attestations in bulk from a CSV file: every row's result named before anything is
 * signed, and the rows that parse attested through a real node, one transaction each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attestationsFromCsv } from '../src/domains/aid/attest-csv.js';
import { cnId, startAidNode, type AidNode } from './aid-fixtures.js';

const CSV = [
  '\uFEFFid_kind;id_number;householdIncomePerCapita;householdSize;lowIncome;region',
  `cn;${cnId(801)};"¥18,000.50";4;是;110105`,
  `cn;${cnId(802)};18000元;3;否;`,
  `cn;${cnId(803).toLowerCase()};1.8万;3;no;`,
  `cn;110105199001018888;12000;2;yes;`,
  `xx;${cnId(804)};12000;2;yes;`,
  `cn;${cnId(805)};;;;`,
  `cn;${cnId(806)};;;maybe;`,
  `cn;${cnId(807)};;0;;`,
].join('\r\n');

describe('attestations in bulk from a CSV file', () => {
  it('names each row’s result before anything is signed', async () => {
    const rows = await attestationsFromCsv(CSV);
    assert.deepEqual(
      rows.map((r) => [r.row, r.ok, r.ok ? undefined : r.column]),
      [
        [2, true, undefined],
        [3, true, undefined],
        [4, false, 'householdIncomePerCapita'],
        [5, false, 'id_number'],
        [6, false, 'id_kind'],
        [7, false, undefined],
        [8, false, 'lowIncome'],
        [9, false, 'householdSize'],
      ],
    );
    const first = rows[0]!;
    assert.ok(first.ok);
    assert.deepEqual(first.facts, {
      patient: { kind: 'cn', id: cnId(801) },
      facts: {
        householdIncomePerCapita: '1800050',
        householdSize: 4,
        lowIncome: true,
        region: '110105',
      },
    });
    // A lower-case check character X is the same ID.
    const lower = await attestationsFromCsv(
      `id_kind,id_number,age\ncn,${cnId(803).toLowerCase()},40`,
    );
    assert.equal(lower[0]!.ok, true);
  });

  it('refuses a file that is not one, whole', async () => {
    await assert.rejects(attestationsFromCsv(''), /empty/);
    await assert.rejects(attestationsFromCsv('name,income\nA,1'), /id_kind and id_number/);
    await assert.rejects(
      attestationsFromCsv('id_kind,id_number,salary\ncn,1,2'),
      /unknown columns: salary/,
    );
  });

  describe('through a real node', () => {
    let n: AidNode;
    before(async () => {
      n = await startAidNode();
    });
    after(() => n.close());

    it('attests each good row in one transaction, the bureau’s clerk signing', async () => {
      const good = (await attestationsFromCsv(CSV)).filter((r) => r.ok);
      for (const r of good) {
        assert.ok(r.ok);
        const res = await n.send('city-bureau/clerk-1', 'attest.facts', {}, r.facts);
        assert.ok(res.ok, JSON.stringify(res));
      }
    });
  });
});
