/**
 * The roles a member may hold, and the case states that wait for each: what a member's work
 * queue shows.
 */
import type { CaseState } from '@sdk';

/** The roles a member may hold (the ledger's ROLES). */
export const STAFF_ROLES = [
  'admin',
  'operator',
  'clerk',
  'social-worker',
  'reviewer',
  'finance',
  'program-manager',
  'regulator',
  'auditor',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * The case states that wait for each role: a hospital's staff verify new cases and confirm
 * payments received; a program's managers assess verified ones; reviewers decide assessed and
 * appealed ones; finance pays funded ones and watches the waitlist. Regulators, auditors and
 * operators watch every state (an empty list); a bureau clerk attests facts and an administrator
 * manages members, so neither has a case queue (undefined).
 */
export const ROLE_QUEUES: Readonly<Record<StaffRole, readonly CaseState[] | undefined>> = {
  admin: undefined,
  operator: [],
  clerk: ['submitted', 'info-requested', 'disbursed', 'confirmed'],
  'social-worker': ['submitted', 'info-requested', 'disbursed', 'confirmed'],
  reviewer: ['assessed', 'appealed'],
  finance: ['funded', 'waitlisted'],
  'program-manager': ['verified'],
  regulator: [],
  auditor: [],
};

/**
 * The states that wait for a member holding `roles` in an organisation of `orgType`: the union of
 * each role's queue (a government clerk attests facts and has none); [] means every state;
 * undefined, no queue at all.
 */
export function queueStates(
  roles: readonly string[],
  orgType: string,
): readonly CaseState[] | undefined {
  let any = false;
  const states = new Set<CaseState>();
  for (const r of roles) {
    if (r === 'clerk' && orgType !== 'hospital') continue;
    const q = ROLE_QUEUES[r as StaffRole];
    if (q === undefined) continue;
    if (q.length === 0) return [];
    any = true;
    for (const s of q) states.add(s);
  }
  return any ? [...states] : undefined;
}
