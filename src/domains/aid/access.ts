/**
 * Who may see a case: its hospital's staff, its program's staff, regulators and auditors, and its
 * applicant. The routes and the events stream ask the same question here.
 */
import type { Role } from '../../runtime/contract.js';
import type { Viewer } from '../../runtime/routes.js';

/** Regulators and auditors see every case. */
export function seesAll(v: Viewer): boolean {
  return v.roles.includes('regulator') || v.roles.includes('auditor');
}

const OWNER_ROLES: readonly Role[] = [
  'reviewer',
  'program-manager',
  'finance',
  'operator',
  'admin',
];

/** Whether the viewer may see a case: its hospital, its program's staff, regulators, its applicant. */
export function canSeeCase(
  v: Viewer,
  c: { owner: string; hospital: string; applicant: { kind: string; key?: string } },
): boolean {
  if (seesAll(v)) return true;
  if (v.org !== '' && v.org === c.hospital) return true;
  if (v.org !== '' && v.org === c.owner && v.roles.some((r) => OWNER_ROLES.includes(r)))
    return true;
  return c.applicant.kind === 'account' && c.applicant.key === v.key;
}
