/** The verify pages and their addresses. */
import type { RouteObject } from 'react-router';

export const verifyRoutes: RouteObject[] = [];
