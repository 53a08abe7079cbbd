/**
 * The membership domain's part of the events stream: governance proposals (public on the ledger
 * already) told to every member, and an organisation's members and record told to that
 * organisation's administrators, so their screens follow votes, enrolments and revocations.
 * Applicants are told none of it.
 */
import type { DomainEvents, VisibleChange } from '../../runtime/events.js';
import type { Viewer } from '../../runtime/routes.js';
import {
  keys,
  type MemberRecord,
  type OrgRecord,
  type ProposalRecord,
} from './contracts/membership.js';

const PROPOSAL = keys.proposal('');
const MEMBER = keys.member('');
const ORG = keys.org('');

const isMember = (v: Viewer): boolean => v.org !== '' && v.node !== true;
const adminOf = (org: string) => (v: Viewer) =>
  isMember(v) && v.org === org && v.roles.includes('admin');

export const membershipEvents: DomainEvents = () => (writes) => {
  const out: VisibleChange[] = [];
  for (const [key, value] of writes) {
    if (value === null) continue;
    if (key.startsWith(PROPOSAL)) {
      const p = JSON.parse(value) as ProposalRecord;
      out.push({
        change: { domain: 'membership', kind: 'proposal', id: p.id, state: p.status },
        visibleTo: isMember,
      });
    } else if (key.startsWith(MEMBER)) {
      const m = JSON.parse(value) as MemberRecord;
      out.push({
        change: { domain: 'membership', kind: 'member', id: m.id, state: m.status },
        visibleTo: adminOf(m.org),
      });
    } else if (key.startsWith(ORG)) {
      const o = JSON.parse(value) as OrgRecord;
      out.push({
        change: { domain: 'membership', kind: 'org', id: o.id },
        visibleTo: adminOf(o.id),
      });
    }
  }
  return out;
};
