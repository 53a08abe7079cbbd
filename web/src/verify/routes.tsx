/** The verify pages and their addresses: `/verify`, and `/verify/<txid>` (a printed QR code). */
import type { RouteObject } from 'react-router';
import { VerifyLinkPage, VerifyPage } from './VerifyPage';

export const verifyRoutes: RouteObject[] = [
  { path: 'verify', element: <VerifyPage /> },
  { path: 'verify/:txid', element: <VerifyLinkPage /> },
];
