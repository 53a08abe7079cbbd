/**
 * The contract code of each protocol version. A change to contract code is a new version that
 * takes effect from a height in the genesis schedule; `verify` replays every block with the
 * version that executed it.
 */
import { AidError } from '../core/errors.js';
import { accounts, resolveAccount } from './accounts.js';
import { attest } from './attest.js';
import { audit } from './audit.js';
import { cases } from './cases.js';
import { donations, funds } from './donations.js';
import { membership, membershipGenesis, resolveKey } from './membership.js';
import { programs } from './programs.js';
import type { Contract, KeyStatus, Protocol, StateView } from './runtime.js';

/** A member key first; otherwise an applicant account's. */
function resolveAnyKey(state: StateView, key: string): KeyStatus {
  const m = resolveKey(state, key);
  return m.kind === 'unknown' ? resolveAccount(state, key) : m;
}

function protocol(version: number, contracts: Contract[]): Protocol {
  return {
    version,
    contracts: new Map(contracts.map((c) => [c.name, c])),
    genesis: membershipGenesis,
    resolveKey: resolveAnyKey,
  };
}

const PROTOCOLS: ReadonlyMap<number, Protocol> = new Map([
  [1, protocol(1, [membership, accounts, programs, attest, cases, donations, funds, audit])],
]);

/** The newest protocol version this build knows. */
export const LATEST_PROTOCOL = 1;

/** @throws AidError CONFIG when this build does not know the version. */
export function getProtocol(version: number, extra?: ReadonlyMap<number, Protocol>): Protocol {
  const p = extra?.get(version) ?? PROTOCOLS.get(version);
  if (!p) throw new AidError('CONFIG', `protocol version ${version} is unknown to this build`);
  return p;
}

/** Looks up an action, or undefined when the type names none in this protocol. */
export function findAction(p: Protocol, type: string): Contract['actions'][string] | undefined {
  const dot = type.indexOf('.');
  const c = p.contracts.get(type.slice(0, dot));
  return c && Object.hasOwn(c.actions, type.slice(dot + 1))
    ? c.actions[type.slice(dot + 1)]
    : undefined;
}
