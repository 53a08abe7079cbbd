/**
 * The staff workspace's addresses: `/staff/join` (answering an invitation: no key yet), and the
 * frame at `/staff` holding each workspace (`/staff/<path>`, workspaces.tsx) and the case page.
 */
import './staff.css';
import type { RouteObject } from 'react-router';
import { CasePage } from './CasePage';
import { JoinPage } from './JoinPage';
import { StaffFrame, StaffHome, WorkspaceGate } from './StaffFrame';
import { WORKSPACES } from './workspaces';

export const staffRoutes: RouteObject[] = [
  { path: '/staff/join', element: <JoinPage /> },
  {
    path: '/staff',
    element: <StaffFrame />,
    children: [
      { index: true, element: <StaffHome /> },
      ...WORKSPACES.map((w) => ({ path: w.path, element: <WorkspaceGate workspace={w} /> })),
      { path: 'cases/:id', element: <CasePage /> },
    ],
  },
];
