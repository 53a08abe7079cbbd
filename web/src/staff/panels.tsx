/**
 * The actions on a case that each role's screens add to the case page: a panel is shown to a
 * member holding one of its roles, beside the case's history. The hospital, bureau, reviewer,
 * finance and regulator screens each add theirs here.
 */
import type { ReactNode } from 'react';
import type { CaseRecord } from '@sdk';
import type { StaffRole } from './roles';
import { DisbursePanel } from './finance/DisbursePanel';
import { AuditTrailPanel } from './oversight/AuditTrailPanel';
import { FreezePanel } from './oversight/FreezePanel';
import { HospitalPanel, HOSPITAL_PANEL_ROLES } from './hospital/HospitalPanel';
import { DocumentsPanel, DOCUMENT_PANEL_ROLES } from './documents/DocumentsPanel';
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
  { id: 'disburse', roles: ['finance'], render: (rec) => <DisbursePanel rec={rec} /> },
  { id: 'freeze', roles: ['regulator'], render: (rec) => <FreezePanel rec={rec} /> },
  {
    id: 'audit-trail',
    roles: ['regulator', 'auditor'],
    render: (rec) => <AuditTrailPanel rec={rec} />,
  },
  {
    id: 'hospital',
    roles: HOSPITAL_PANEL_ROLES,
    render: (rec) => <HospitalPanel rec={rec} />,
  },
  {
    id: 'documents',
    roles: DOCUMENT_PANEL_ROLES,
    render: (rec) => <DocumentsPanel rec={rec} />,
  },
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
