/**
 * The protocol registry the runtime is given: each version composed from the domains' parts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAidError } from '../src/core/errors.js';
import { AID_PROTOCOLS } from '../src/domains/aid/contracts/index.js';
import { DOCUMENTS_PROTOCOLS } from '../src/domains/documents/contracts/index.js';
import { MEMBERSHIP_PROTOCOLS } from '../src/domains/membership/contracts/index.js';
import { getProtocol, LATEST_PROTOCOL, partAt, registry } from '../src/domains/protocols.js';
import { composeProtocol } from '../src/runtime/registry.js';

describe('protocol registry', () => {
  it('composes every version from the domains, membership first', () => {
    assert.equal(registry.latest, LATEST_PROTOCOL);
    for (let v = 1; v <= LATEST_PROTOCOL; v++) {
      const p = getProtocol(v);
      assert.equal(p.version, v);
      const names = [MEMBERSHIP_PROTOCOLS, AID_PROTOCOLS, DOCUMENTS_PROTOCOLS]
        .flatMap((d) => partAt(d, v)?.contracts ?? [])
        .map((c) => c.name);
      assert.deepEqual([...p.contracts.keys()], names);
    }
    // A domain whose rules did not change in a version carries its newest earlier part into it;
    // one that did not exist yet has none.
    const one = { contracts: [] };
    const two = { contracts: [] };
    const parts = new Map([
      [1, one],
      [2, two],
    ]);
    assert.equal(partAt(parts, 1), one);
    assert.equal(partAt(parts, 3), two);
    assert.equal(partAt(DOCUMENTS_PROTOCOLS, 2), undefined);
    assert.ok(getProtocol(3).contracts.has('documents'));
    assert.ok(!getProtocol(2).contracts.has('documents'));
    assert.equal(typeof getProtocol(2).upgrade, 'function');
    assert.equal(getProtocol(1).upgrade, undefined);
  });

  it('refuses parts that do not compose, and versions it does not know', () => {
    const m = MEMBERSHIP_PROTOCOLS.get(2)!;
    const a = AID_PROTOCOLS.get(2)!;
    const config = (e: unknown) => isAidError(e, 'CONFIG');
    assert.throws(() => composeProtocol(2, [m, a, a]), config, 'a contract defined twice');
    assert.throws(() => composeProtocol(2, [a]), config, 'no domain writes the genesis state');
    assert.throws(
      () => composeProtocol(2, [m, { contracts: [], genesis: m.genesis! }, a]),
      config,
      'two domains write the genesis state',
    );
    assert.throws(() => registry.get(LATEST_PROTOCOL + 1), config);
  });
});
