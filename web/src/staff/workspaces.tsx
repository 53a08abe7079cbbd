/**
 * The workspaces of the staff frame, by role. Each is a page under `/staff/<path>`, shown in the
 * navigation to a member holding one of its roles (a member may hold several).
 *
 * A role's screens plug in here: add the role's page (say `/staff/review`, built from
 * `WorkQueue` and the case page) as an entry of `WORKSPACES`, its words to `messages.ts`
 * (`nav.<id>`), its queue's states to `ROLE_QUEUES` (roles.ts) and, for actions on a case, an
 * entry of `CASE_PANELS` (panels.tsx) that the case page shows to that role.
 */
import type { ReactNode } from 'react';
import { AdminPage } from './AdminPage';
import { FinancePage } from './finance/FinancePage';
import { LedgerVerifyPage } from './oversight/LedgerVerifyPage';
import { RefusalsPage } from './oversight/RefusalsPage';
import { KeyPage } from './KeyPage';
import { QueuePage } from './QueuePage';
import { ApplyPage } from './hospital/ApplyPage';
import { AttestPage } from './hospital/AttestPage';
import { ProgramsPage } from './review/ProgramsPage';
import { queueStates, type StaffRole } from './roles';

export interface Workspace {
  /** Its name in `messages.ts` (`nav.<id>`) and its address under /staff. */
  id:
    'queue' | 'admin' | 'key' | 'finance' | 'refusals' | 'ledger' | 'apply' | 'attest' | 'programs';
  path: string;
  /** Shown to a member with any of these roles; undefined: to every member. */
  roles?: readonly StaffRole[];
  /** Shown only to members of organisations of these types; undefined: of any type. */
  orgTypes?: readonly string[];
  /** Shown only when the member's roles give a work queue. */
  needsQueue?: boolean;
  element: ReactNode;
}

export const WORKSPACES: readonly Workspace[] = [
  { id: 'queue', path: 'queue', needsQueue: true, element: <QueuePage /> },
  { id: 'finance', path: 'finance', roles: ['finance'], element: <FinancePage /> },
  { id: 'refusals', path: 'refusals', roles: ['regulator', 'auditor'], element: <RefusalsPage /> },
  { id: 'ledger', path: 'ledger', roles: ['regulator', 'auditor'], element: <LedgerVerifyPage /> },
  { id: 'programs', path: 'programs', roles: ['program-manager'], element: <ProgramsPage /> },
  { id: 'admin', path: 'admin', roles: ['admin'], element: <AdminPage /> },
  {
    id: 'apply',
    path: 'apply',
    roles: ['social-worker'],
    orgTypes: ['hospital'],
    element: <ApplyPage />,
  },
  {
    id: 'attest',
    path: 'attest',
    roles: ['clerk'],
    orgTypes: ['government'],
    element: <AttestPage />,
  },
  { id: 'key', path: 'key', element: <KeyPage /> },
];

/** The workspaces a member sees, in the navigation's order. */
export function workspacesFor(roles: readonly string[], orgType: string): Workspace[] {
  return WORKSPACES.filter(
    (w) =>
      (w.roles === undefined || w.roles.some((r) => roles.includes(r))) &&
      (w.orgTypes === undefined || w.orgTypes.includes(orgType)) &&
      (!w.needsQueue || queueStates(roles, orgType) !== undefined),
  );
}
