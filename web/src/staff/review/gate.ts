/**
 * The rules the aid contracts apply to a review, to an assessment and to a request for more
 * information (domains/aid/contracts/cases.ts, cases-v3.ts), worked out before the click so the
 * screen can say why an action is not open instead of only showing the ledger's refusal after.
 * The ledger still decides: a freeze, or another reviewer's approval meanwhile, is refused there.
 */
import type { CaseRecord } from '@sdk';
import type { StaffViewer } from '../session';

/** Why an action is not open to this member on this case: the code the contract would refuse with. */
export type Block =
  | 'FORBIDDEN_ROLE'
  | 'WRONG_ORG'
  | 'INVALID_STATE'
  | 'CONFLICT_OF_INTEREST'
  | 'ALREADY_REVIEWED'
  | 'PATIENT_UNCONFIRMED';

export interface ReviewGate {
  /** Approvals the case needs in this round (1, or 2 under the two-person rule). */
  needed: number;
  /** This round's approvals so far, by whom. */
  approvals: readonly string[];
  /** Which approval the member's would be (1 or 2). */
  position: number;
  /** Why the member may not review now, if so. */
  block?: Block;
}

type Case = Pick<
  CaseRecord,
  'state' | 'owner' | 'hospital' | 'reviews' | 'round' | 'reviewsNeeded' | 'identified'
>;

/** `cases.review`: a reviewer of the program's organisation, not of the treating hospital's. */
export function reviewGate(rec: Case, v: StaffViewer): ReviewGate {
  const round = rec.reviews.filter((r) => r.round === rec.round);
  const approvals = round.filter((r) => r.approve).map((r) => r.member);
  const needed = Math.max(1, rec.reviewsNeeded);
  const gate = { needed, approvals, position: approvals.length + 1 };
  const earlier = rec.reviews.filter((r) => r.member === v.member);
  const block: Block | undefined = !v.roles.includes('reviewer')
    ? 'FORBIDDEN_ROLE'
    : rec.state !== 'assessed' && rec.state !== 'appealed'
      ? 'INVALID_STATE'
      : v.org !== rec.owner
        ? 'WRONG_ORG'
        : v.org === rec.hospital
          ? 'CONFLICT_OF_INTEREST'
          : earlier.some((r) => r.round === rec.round) ||
              (rec.state === 'appealed' && earlier.length > 0)
            ? 'ALREADY_REVIEWED'
            : undefined;
  return block === undefined ? gate : { ...gate, block };
}

/** `cases.requestInfo`: a reviewer or program manager of the program's organisation. */
export function askGate(rec: Case, v: StaffViewer): Block | undefined {
  if (!v.roles.some((r) => r === 'reviewer' || r === 'program-manager')) return 'FORBIDDEN_ROLE';
  if (rec.state !== 'assessed' && rec.state !== 'appealed') return 'INVALID_STATE';
  if (v.org !== rec.owner) return 'WRONG_ORG';
  return undefined;
}

/** `cases.assess`: a reviewer, program manager or operator of the program's organisation. */
export function assessGate(rec: Case, v: StaffViewer): Block | undefined {
  if (!v.roles.some((r) => r === 'reviewer' || r === 'program-manager' || r === 'operator'))
    return 'FORBIDDEN_ROLE';
  if (rec.state !== 'verified') return 'INVALID_STATE';
  if (v.org !== rec.owner) return 'WRONG_ORG';
  if (rec.identified === undefined) return 'PATIENT_UNCONFIRMED';
  return undefined;
}
