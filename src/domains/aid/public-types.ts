/**
 * The shapes of the public medical-aid reads (`/v1/public/…`, `/v1/programs`, `/v1/orgs`): the
 * consortium's organisations, programs and their money, donations, payments to hospitals, fund
 * flows, traces and governance. The node's queries
 * build them and the SDK returns them, so both sides name the same fields once. None carries
 * personal data. Amounts are minor units as decimal strings.
 */
import type { Names } from '../../chain/schemas.js';

/** An organisation of the consortium as `GET /v1/orgs` lists it: names, type and node key. */
export interface OrgView {
  id: string;
  names: Names;
  type: string;
  /** The key its node signs checkpoints with; null for an organisation that runs no node. */
  nodeKey: string | null;
  since: number;
}

/**
 * A program as the public portal lists it (`GET /v1/public/programs`): its money, no personal
 * data. There `received` is net of money returned, so that received = available + committed + paid.
 */
export interface PublicProgramSummary {
  id: string;
  name: string;
  currency: string;
  budget: string;
  received: string;
  committed: string;
  paid: string;
  available: string;
}

/** A program with its owner, version, status and money (`GET /v1/programs`); `received` is gross. */
export interface ProgramView extends PublicProgramSummary {
  owner: string;
  names: Names;
  version: number;
  open: boolean;
  frozen: boolean;
  returned: string;
  /** Cases by state. */
  cases: Record<string, number>;
}

/** Who gave: an organisation, a person under the alias they chose, or nobody named. */
export type Donor =
  { kind: 'org'; org: string } | { kind: 'person'; alias: string } | { kind: 'anonymous' };

/** A donation as anyone may see it: the donor by kind, organisation or chosen alias. */
export interface PublicDonation {
  id: string;
  /** The organisation that received it. */
  org: string;
  donor: Donor;
  amount: string;
  currency: string;
  /** Null for a general donation, which the organisation assigns to its programs later. */
  program: string | null;
  time: number;
}

/** Money sent to a hospital for a case: the `cases.disburse` transaction. */
export interface Disbursement {
  tx: string;
  time: number;
  case: string;
  program: string;
  hospital: string;
  amount: string;
  currency: string;
  /** When the hospital confirmed it received the money. */
  confirmed?: number;
}

/** One end of a stream of money on the public fund-flow diagram. */
export type FlowEnd =
  /** Donors of one kind, together: no donor is named here. */
  | { kind: 'donors'; donor: 'org' | 'person' | 'anonymous' }
  /** Budget an organisation allocated to its own program. */
  | { kind: 'allocation'; org: string }
  /** General donations an organisation has not assigned to a program yet. */
  | { kind: 'unassigned'; org: string }
  | { kind: 'program'; program: string }
  | { kind: 'hospital'; org: string }
  /** A program's pool: received, not yet committed to a case. */
  | { kind: 'available' }
  /** Given back to a donor or to the treasury. */
  | { kind: 'returned' };

/**
 * A stream of money between two ends, in one currency. Into a program: what its lots received
 * from that source; out of it: what its cases at a hospital hold (`committed` = set aside or sent
 * and not yet confirmed, `paid` = confirmed by the hospital), what is still available, what was
 * returned. So for every program, what flows in equals what flows out.
 */
export interface FundFlow {
  from: FlowEnd;
  to: FlowEnd;
  currency: string;
  amount: string;
  committed?: string;
  paid?: string;
}

/** Where a donation's or an allocation's money went, lot by lot and case by case. */
export interface DonationTrace {
  kind: 'donation' | 'allocation';
  id: string;
  org: string;
  amount: string;
  program: string | null;
  time: number;
  /** Of a donation. */
  donor?: Donor;
  currency?: string;
  unassigned?: string;
  rail?: string;
  /** Of an allocation. */
  reference?: string;
  /** What cases hold of it. */
  spent: string;
  lots: {
    program: string;
    lot: number;
    amount: string;
    remaining: string;
    returned: string;
    cases: {
      case: string;
      amount: string;
      state: string;
      stateLabel: string;
      hospital: string;
      /** The hospital confirmed it received the money. */
      paid: boolean;
      /** The transactions that moved the case's money: funded, disbursed, confirmed, closed. */
      steps: { state: string; stateLabel: string; time: number; tx: string }[];
    }[];
  }[];
}

/** How the consortium governs itself, as its state records it. */
export interface Governance {
  /** Organisations' votes that admit a new organisation or change a quorum. */
  governanceQuorum: number;
  /** Organisations whose nodes must sign a checkpoint for it to be final. */
  checkpointQuorum: number;
  orgs: number;
  /** Organisations that run a node and sign checkpoints. */
  nodes: number;
  proposals: {
    id: string;
    kind:
      | 'admitOrg'
      | 'setGovernanceQuorum'
      | 'setCheckpointQuorum'
      | 'scheduleProtocol'
      | 'cancelProtocol'
      | 'grantOversight'
      | 'revokeOversight'
      | 'liftFreeze';
    /** The organisation to admit. */
    org?: { id: string; names: Names; type: string };
    /** The quorum asked for. */
    quorum?: number;
    /** The protocol version asked for and the height it would run from (0 when cancelling). */
    protocol?: { version: number; fromHeight: number };
    /** The organisation granted (or losing) oversight, and the roles granted. */
    oversight?: { org: string; roles: string[] };
    /** The freeze (its transaction id) to lift. */
    freeze?: string;
    status: 'open' | 'adopted' | 'rejected' | 'failed';
    votes: { org: string; approve: boolean }[];
    since: number;
  }[];
}
