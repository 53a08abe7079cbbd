/**
 * The applicant pages' addresses. Each page's code is fetched when it is first opened (a route's
 * `lazy`), so a phone opening `/me` loads neither the charts of the portal nor the explorer. Kept
 * apart from routes.tsx, which frames them, so that app/prefetch.ts can read them without React.
 */
import type { RouteObject } from 'react-router';

export const applicantPages: RouteObject[] = [
  {
    path: '/me',
    lazy: () => import('./AccountPage').then((m) => ({ Component: m.AccountPage })),
  },
  {
    path: '/me/apply',
    lazy: () => import('./ChoosePage').then((m) => ({ Component: m.ChooseProgramPage })),
  },
  {
    path: '/me/apply/:program',
    lazy: () => import('./ApplyPage').then((m) => ({ Component: m.ApplyPage })),
  },
  {
    path: '/me/cases/:id',
    lazy: () => import('./CasePage').then((m) => ({ Component: m.CasePage })),
  },
  {
    path: '/me/sheet',
    lazy: () => import('./RecoveryPages').then((m) => ({ Component: m.RecoverySheetPage })),
  },
  {
    path: '/me/restore',
    lazy: () => import('./RecoveryPages').then((m) => ({ Component: m.RestoreFromSheetPage })),
  },
  {
    path: '/me/new-phone',
    lazy: () => import('./RecoveryPages').then((m) => ({ Component: m.NewPhonePage })),
  },
];
