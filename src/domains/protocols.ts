/**
 * The contract code of each protocol version, composed from the domains' parts. A change to
 * contract code is a new version that takes effect from a height in the genesis schedule, or from
 * the height a governance proposal (`scheduleProtocol`) names once the consortium adopts it;
 * `verify` replays every block with the version that executed it.
 *
 * Version 2 closes what an adversarial review found: roles follow the organisation's type and
 * oversight comes only from the consortium; a key has one holder and proves possession; freezes
 * are lifted by who placed them; free text leaves the public payloads. Version 3 keeps one open
 * case per patient per program and lets a treating hospital bind a case to the family's new phone.
 *
 * Version 3 also adds documents: attached to a case, committed by a salted hash, read only by a
 * recorded read and erasable (src/domains/documents).
 *
 * A new domain adds its part of each version here, and its read models. A domain whose rules did
 * not change in a version carries its newest earlier part into it.
 */
import { AidError } from '../core/errors.js';
import type { Protocol } from '../runtime/contract.js';
import {
  composeProtocol,
  type DomainProtocol,
  type ProtocolRegistry,
} from '../runtime/registry.js';
import { AID_PROTOCOLS } from './aid/contracts/index.js';
import { CASE_INDEX } from './aid/projections.js';
import { DOCUMENTS_PROTOCOLS } from './documents/contracts/index.js';
import { DOCUMENT_VAULT } from './documents/projections.js';
import { MEMBERSHIP_PROTOCOLS } from './membership/contracts/index.js';
import { membershipGovernance } from './membership/governance.js';

/** Each domain's parts, in the order their contracts are listed (membership first). */
const DOMAIN_PROTOCOLS: readonly ReadonlyMap<number, DomainProtocol>[] = [
  MEMBERSHIP_PROTOCOLS,
  AID_PROTOCOLS,
  DOCUMENTS_PROTOCOLS,
];

/** The newest protocol version this build knows: what a new ledger starts with. */
export const LATEST_PROTOCOL = 3;

/**
 * A domain's part of `version`: the one it defines for that version, else its newest part of an
 * earlier version (its rules did not change), else none (the domain did not exist yet).
 */
export function partAt(
  parts: ReadonlyMap<number, DomainProtocol>,
  version: number,
): DomainProtocol | undefined {
  for (let v = version; v >= 1; v--) {
    const p = parts.get(v);
    if (p) return p;
  }
  return undefined;
}

const PROTOCOLS: ReadonlyMap<number, Protocol> = new Map(
  Array.from({ length: LATEST_PROTOCOL }, (_, i) => {
    const version = i + 1;
    const parts = DOMAIN_PROTOCOLS.map((d) => partAt(d, version)).filter(
      (p): p is DomainProtocol => p !== undefined,
    );
    return [version, composeProtocol(version, parts)] as const;
  }),
);

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
  readModels: [CASE_INDEX, DOCUMENT_VAULT],
  module: import.meta.url,
};
