/** The portal pages and their addresses; each page's code is fetched when first opened. */
import type { RouteObject } from 'react-router';

export const portalRoutes: RouteObject[] = [
  { index: true, lazy: () => import('./HomePage').then((m) => ({ Component: m.HomePage })) },
  {
    path: 'programs/:id',
    lazy: () => import('./ProgramPage').then((m) => ({ Component: m.ProgramPage })),
  },
  {
    path: 'donations',
    lazy: () => import('./DonationsPage').then((m) => ({ Component: m.DonationsPage })),
  },
  {
    path: 'donations/:id',
    lazy: () => import('./TracePage').then((m) => ({ Component: m.TracePage })),
  },
  {
    path: 'governance',
    lazy: () => import('./GovernancePage').then((m) => ({ Component: m.GovernancePage })),
  },
];
