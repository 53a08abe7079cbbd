/**
 * The contract code of each protocol version. A change to contract code is a new version that
 * takes effect from a height in the genesis schedule, or from the height a governance proposal
 * (`scheduleProtocol`) names once the consortium adopts it; `verify` replays every block with the
 * version that executed it.
 *
 * Version 2 closes what an adversarial review found: roles follow the organisation's type and
 * oversight comes only from the consortium; a key has one holder and proves possession; freezes
 * are lifted by who placed them; free text leaves the public payloads.
 */
import { AidError } from '../core/errors.js';
import { accounts, accountsV2, resolveAccount } from './membership/contracts/accounts.js';
import { attest } from './aid/contracts/attest.js';
import { audit, auditV2 } from './aid/contracts/audit.js';
import { cases, casesV2 } from './aid/contracts/cases.js';
import { donations, donationsV2, funds, fundsV2 } from './aid/contracts/donations.js';
import {
  membership,
  membershipGenesis,
  membershipGenesisV2,
  membershipUpgradeV2,
  membershipV2,
  resolveKey,
  resolveKeyV2,
} from './membership/contracts/membership.js';
import { programs } from './aid/contracts/programs.js';
import type { Contract, KeyStatus, Protocol, StateView } from '../runtime/contract.js';
import type { ProtocolRegistry } from '../runtime/registry.js';
import { CASE_INDEX } from './aid/projections.js';
import { membershipGovernance } from './membership/governance.js';

/** A member key first; otherwise an applicant account's. */
function resolveAnyKey(state: StateView, key: string): KeyStatus {
  const m = resolveKey(state, key);
  return m.kind === 'unknown' ? resolveAccount(state, key) : m;
}

function resolveAnyKeyV2(state: StateView, key: string): KeyStatus {
  const m = resolveKeyV2(state, key);
  return m.kind === 'unknown' ? resolveAccount(state, key) : m;
}

function contractMap(contracts: Contract[]): ReadonlyMap<string, Contract> {
  return new Map(contracts.map((c) => [c.name, c]));
}

const PROTOCOLS: ReadonlyMap<number, Protocol> = new Map<number, Protocol>([
  [
    1,
    {
      version: 1,
      contracts: contractMap([
        membership,
        accounts,
        programs,
        attest,
        cases,
        donations,
        funds,
        audit,
      ]),
      genesis: membershipGenesis,
      resolveKey: resolveAnyKey,
    },
  ],
  [
    2,
    {
      version: 2,
      contracts: contractMap([
        membershipV2,
        accountsV2,
        programs,
        attest,
        casesV2,
        donationsV2,
        fundsV2,
        auditV2,
      ]),
      genesis: membershipGenesisV2,
      resolveKey: resolveAnyKeyV2,
      upgrade(state, scan, from, genesis) {
        if (from < 2) membershipUpgradeV2(state, scan, genesis);
      },
    },
  ],
]);

/** The newest protocol version this build knows: what a new ledger starts with. */
export const LATEST_PROTOCOL = 2;

/** @throws AidError CONFIG when this build does not know the version. */
export function getProtocol(version: number): Protocol {
  const p = PROTOCOLS.get(version);
  if (!p) throw new AidError('CONFIG', `protocol version ${version} is unknown to this build`);
  return p;
}

/** What the runtime is given: this build's protocols, the membership's governance, read models. */
export const registry: ProtocolRegistry = {
  latest: LATEST_PROTOCOL,
  get: getProtocol,
  governance: membershipGovernance,
  readModels: [CASE_INDEX],
  module: import.meta.url,
};
