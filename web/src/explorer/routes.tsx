/** The explorer pages and their addresses; each page's code is fetched when first opened. */
import type { RouteObject } from 'react-router';

export const explorerRoutes: RouteObject[] = [
  {
    path: 'explorer',
    lazy: () => import('./ExplorerHome').then((m) => ({ Component: m.ExplorerHome })),
  },
  {
    path: 'explorer/blocks/:height',
    lazy: () => import('./BlockPage').then((m) => ({ Component: m.BlockPage })),
  },
  {
    path: 'explorer/tx/:id',
    lazy: () => import('./TxPage').then((m) => ({ Component: m.TxPage })),
  },
  {
    path: 'explorer/log/:index',
    lazy: () => import('./LogEntryPage').then((m) => ({ Component: m.LogEntryPage })),
  },
  {
    path: 'explorer/checkpoints',
    lazy: () => import('./CheckpointsPage').then((m) => ({ Component: m.CheckpointsPage })),
  },
];
