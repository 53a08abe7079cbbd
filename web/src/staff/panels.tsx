/**
 * The actions on a case that each role's screens add to the case page: a panel is shown to a
 * member holding one of its roles, beside the case's history. The hospital, bureau, reviewer,
 * finance and regulator screens each add theirs here.
 */
import type { ReactNode } from 'react';
import type { CaseRecord } from '@sdk';
import type { StaffRole } from './roles';
import { AssessPanel } from './review/AssessPanel';
import { ReviewPanel } from './review/ReviewPanel';

/** A panel of actions on a case, shown on the case page to members holding one of `roles`. */
export interface CasePanel {
  id: string;
  roles: readonly StaffRole[];
  render(rec: CaseRecord): ReactNode;
}

/** The role's action panels of the case page, added with each role's screens. */
export const CASE_PANELS: readonly CasePanel[] = [
  // The program's assessors: the rules applied to a verified case (review/AssessPanel.tsx).
  {
    id: 'assess',
    roles: ['reviewer', 'program-manager', 'operator'],
    render: (rec) => <AssessPanel rec={rec} />,
  },
  // The program's reviewers and managers: the evidence, then review or ask (review/ReviewPanel.tsx).
  {
    id: 'review',
    roles: ['reviewer', 'program-manager'],
    render: (rec) => <ReviewPanel rec={rec} />,
  },
];
