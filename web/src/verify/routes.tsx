/**
 * The verify pages and their addresses: `/verify`, and `/verify/<txid>` (a printed QR code);
 * their code is fetched when first opened.
 */
import type { RouteObject } from 'react-router';

export const verifyRoutes: RouteObject[] = [
  {
    path: 'verify',
    lazy: () => import('./VerifyPage').then((m) => ({ Component: m.VerifyPage })),
  },
  {
    path: 'verify/:txid',
    lazy: () => import('./VerifyPage').then((m) => ({ Component: m.VerifyLinkPage })),
  },
];
