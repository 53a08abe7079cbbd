/** The portal pages and their addresses. */
import type { RouteObject } from 'react-router';

export const portalRoutes: RouteObject[] = [];
