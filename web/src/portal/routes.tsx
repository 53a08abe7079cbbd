/** The portal pages and their addresses. */
import type { RouteObject } from 'react-router';
import { DonationsPage } from './DonationsPage';
import { GovernancePage } from './GovernancePage';
import { HomePage } from './HomePage';
import { ProgramPage } from './ProgramPage';
import { TracePage } from './TracePage';

export const portalRoutes: RouteObject[] = [
  { index: true, element: <HomePage /> },
  { path: 'programs/:id', element: <ProgramPage /> },
  { path: 'donations', element: <DonationsPage /> },
  { path: 'donations/:id', element: <TracePage /> },
  { path: 'governance', element: <GovernancePage /> },
];
