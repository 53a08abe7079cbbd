/**
 * What the log reads of the membership from committed state (the runtime's `Governance`): the
 * protocol steps the consortium adopted by vote, the verifier policy its organisations' node keys
 * imply, and the node key of one organisation, to check a peer's checkpoint signature.
 */
import type { ProtocolStep } from '../../chain/genesis.js';
import { AidError } from '../../core/errors.js';
import type { Governance } from '../../runtime/registry.js';
import {
  checkpointSigners,
  keys,
  type Config,
  type OrgRecord,
  type ProtocolSchedule,
} from './contracts/membership.js';

/** The protocol steps adopted by vote, from the committed value of `membership/protocol`. */
export function adoptedSteps(text: string | undefined): ProtocolStep[] {
  if (text === undefined) return [];
  return (JSON.parse(text) as ProtocolSchedule).steps.map((s) => ({
    version: s.version,
    fromHeight: s.fromHeight,
  }));
}

export const membershipGovernance: Governance = {
  scheduleKey: keys.protocol,
  adoptedSteps,
  policy(chain, read, scan) {
    const cfg = JSON.parse(read(keys.config) ?? 'null') as Config | null;
    if (!cfg) throw new AidError('UNAVAILABLE', 'no membership state');
    const signers = checkpointSigners(
      scan(keys.org('')).map((r) => JSON.parse(r.value) as OrgRecord),
    );
    return { origin: chain, quorum: cfg.checkpointQuorum, signers };
  },
  nodeKey(read, org) {
    const record = JSON.parse(read(keys.org(org)) ?? 'null') as OrgRecord | null;
    return record?.nodeKey ?? undefined;
  },
};
