/**
 * The medical-aid domain's part of the events stream: each case a block changed, with its new
 * state, told to those who may see the case (its hospital, its program's staff, regulators and
 * auditors, its applicant). A case bound to a new phone is told to the new account only.
 */
import type { DomainEvents, VisibleChange } from '../../runtime/events.js';
import { canSeeCase } from './access.js';
import { caseKeys, type CaseRecord } from './contracts/case-record.js';

const CASE_PREFIX = caseKeys.case('');

export const aidEvents: DomainEvents = () => (writes) => {
  const out: VisibleChange[] = [];
  for (const [key, value] of writes) {
    if (!key.startsWith(CASE_PREFIX) || value === null) continue;
    const c = JSON.parse(value) as CaseRecord;
    out.push({
      change: { domain: 'aid', kind: 'case', id: c.id, state: c.state },
      visibleTo: (v) => canSeeCase(v, c),
    });
  }
  return out;
};
