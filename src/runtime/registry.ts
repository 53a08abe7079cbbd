/**
 * What the runtime is given about the domains (DESIGN §7): the contract code of each protocol
 * version, the governance the log reads from committed state, and the read models that follow
 * committed writes. The node composes one from the domains; the runtime imports none.
 */
import type Database from 'better-sqlite3';
import type { ProtocolStep } from '../chain/genesis.js';
import type { Policy } from '../chain/policy.js';
import { AidError } from '../core/errors.js';
import type { Genesis } from '../chain/genesis.js';
import type { Contract, KeyStatus, Protocol, StateScan, StateView } from './contract.js';

/** Reads one committed value (JSON text), or undefined. */
export type StateRead = (key: string) => string | undefined;
/** Committed values (JSON text) under a key prefix, in UTF-8 key order. */
export type StateTextScan = (prefix: string) => { key: string; value: string }[];

/**
 * What the log needs to know of the consortium from its committed state: the protocol steps it
 * adopted by vote, and which node keys sign checkpoints for which organisation. The domain that
 * keeps the membership implements it; the runtime and the log know no domain.
 */
export interface Governance {
  /** The state key whose committed value lists the protocol steps adopted by vote. */
  scheduleKey: string;
  /** Those steps, from that value (absent: none). */
  adoptedSteps(text: string | undefined): ProtocolStep[];
  /** The verifier policy the committed membership implies. @throws AidError UNAVAILABLE. */
  policy(chain: string, read: StateRead, scan: StateTextScan): Policy;
  /** The node key (hex) an organisation signs checkpoints with, if it has one. */
  nodeKey(read: StateRead, org: string): string | undefined;
}

/**
 * A domain's read model: tables derived from committed writes, created with the store and
 * written in the SQLite transaction of the block whose writes they follow, so they are never
 * behind or ahead of it. `open` returns the object the domain's queries use.
 */
export interface ReadModelSpec<T extends ReadModel = ReadModel> {
  name: string;
  /** `CREATE TABLE IF NOT EXISTS …` statements, run when a writable file is opened. */
  schema: string;
  open(db: Database.Database): T;
}

export interface ReadModel {
  /** Follows one block's final writes (key → JSON text, or null for a deletion). */
  apply(writes: ReadonlyMap<string, string | null>): void;
}

/**
 * Everything the runtime is given about the domains: the contract code of each protocol
 * version, the governance it reads from committed state, and the read models that follow
 * committed writes. Composed in `src/domains/protocols.ts`; the runtime imports no domain.
 */
export interface ProtocolRegistry {
  /** The newest version this build knows: what a new ledger starts with. */
  readonly latest: number;
  /** @throws AidError CONFIG when this build does not know the version. */
  get(version: number): Protocol;
  readonly governance: Governance;
  readonly readModels: readonly ReadModelSpec[];
  /** A module that exports this registry as `registry`, for worker threads to load. */
  readonly module?: string;
}

/** A registry with extra protocol versions (a test's or a future build's) over `base`. */
export function withProtocols(
  base: ProtocolRegistry,
  extra: ReadonlyMap<number, Protocol>,
): ProtocolRegistry {
  return {
    latest: Math.max(base.latest, ...extra.keys()),
    get: (v) => extra.get(v) ?? base.get(v),
    governance: base.governance,
    readModels: base.readModels,
  };
}

/**
 * One domain's part of one protocol version: its contracts, and for the domain that keeps the
 * membership, the genesis state and how a signer's key resolves. `upgrade` runs at the first block
 * of the version on a ledger that ran an older one (see `Protocol.upgrade`).
 */
export interface DomainProtocol {
  contracts: readonly Contract[];
  genesis?(g: Genesis, state: StateView): void;
  resolveKey?(state: StateView, key: string): KeyStatus;
  upgrade?(state: StateView, scan: StateScan, from: number, genesis: Genesis): void;
}

/**
 * Composes one protocol version from the domains' parts, in the order given: exactly one part
 * writes the genesis state and resolves keys; contract names are unique; upgrades run in order.
 * @throws AidError CONFIG when the parts do not compose.
 */
export function composeProtocol(version: number, parts: readonly DomainProtocol[]): Protocol {
  const contracts = new Map<string, Contract>();
  for (const c of parts.flatMap((p) => p.contracts)) {
    if (contracts.has(c.name))
      throw new AidError('CONFIG', `two domains define the contract ${c.name}`);
    contracts.set(c.name, c);
  }
  const one = <K extends 'genesis' | 'resolveKey'>(k: K): NonNullable<DomainProtocol[K]> => {
    const found = parts.filter((p) => p[k] !== undefined);
    if (found.length !== 1)
      throw new AidError('CONFIG', `protocol ${version}: exactly one domain must define ${k}`);
    return found[0]![k]!;
  };
  const upgrades = parts.flatMap((p) => (p.upgrade ? [p.upgrade] : []));
  return {
    version,
    contracts,
    genesis: one('genesis'),
    resolveKey: one('resolveKey'),
    ...(upgrades.length > 0
      ? {
          upgrade(state, scan, from, genesis) {
            for (const u of upgrades) u(state, scan, from, genesis);
          },
        }
      : {}),
  };
}
