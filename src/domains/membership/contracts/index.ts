/**
 * The membership domain's part of each protocol version: organisations, members and governance,
 * and applicant accounts. It writes the genesis state and resolves every signer key (a member's
 * first, then an applicant account's).
 */
import type { KeyStatus, StateView } from '../../../runtime/contract.js';
import type { DomainProtocol } from '../../../runtime/registry.js';
import { accounts, accountsV2, resolveAccount } from './accounts.js';
import {
  membership,
  membershipGenesis,
  membershipGenesisV2,
  membershipUpgradeV2,
  membershipV2,
  resolveKey,
  resolveKeyV2,
} from './membership.js';

/** A member key first; otherwise an applicant account's. */
const orAccount =
  (member: (state: StateView, key: string) => KeyStatus) =>
  (state: StateView, key: string): KeyStatus => {
    const m = member(state, key);
    return m.kind === 'unknown' ? resolveAccount(state, key) : m;
  };

/** Version 2 closes what an adversarial review found (see docs/threat-model.md). */
const V2: DomainProtocol = {
  contracts: [membershipV2, accountsV2],
  genesis: membershipGenesisV2,
  resolveKey: orAccount(resolveKeyV2),
  upgrade(state, scan, from, genesis) {
    if (from < 2) membershipUpgradeV2(state, scan, genesis);
  },
};

/** Version 3 changes nothing of the membership: its part is version 2's. */
export const MEMBERSHIP_PROTOCOLS: ReadonlyMap<number, DomainProtocol> = new Map<
  number,
  DomainProtocol
>([
  [
    1,
    {
      contracts: [membership, accounts],
      genesis: membershipGenesis,
      resolveKey: orAccount(resolveKey),
    },
  ],
  [2, V2],
  [3, V2],
]);
