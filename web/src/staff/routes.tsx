/**
 * The staff workspace's addresses, `/staff/*`: answering an invitation (`/staff/join`, no key yet),
 * and the frame holding each workspace (`/staff/<path>`, workspaces.tsx) and the case page. The
 * workspace is its own chunk, with its words and styles: a family opening `/me` on a phone never
 * downloads it.
 */
import type { RouteObject } from 'react-router';

export const staffRoutes: RouteObject[] = [
  {
    path: '/staff/*',
    lazy: () => import('./StaffApp').then((m) => ({ Component: m.StaffApp })),
  },
];
