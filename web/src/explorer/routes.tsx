/** The explorer pages and their addresses. */
import type { RouteObject } from 'react-router';

export const explorerRoutes: RouteObject[] = [];
