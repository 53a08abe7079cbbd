/** The explorer pages and their addresses. */
import type { RouteObject } from 'react-router';
import { ExplorerHome } from './ExplorerHome';
import { BlockPage } from './BlockPage';
import { TxPage } from './TxPage';
import { LogEntryPage } from './LogEntryPage';
import { CheckpointsPage } from './CheckpointsPage';

export const explorerRoutes: RouteObject[] = [
  { path: 'explorer', element: <ExplorerHome /> },
  { path: 'explorer/blocks/:height', element: <BlockPage /> },
  { path: 'explorer/tx/:id', element: <TxPage /> },
  { path: 'explorer/log/:index', element: <LogEntryPage /> },
  { path: 'explorer/checkpoints', element: <CheckpointsPage /> },
];
