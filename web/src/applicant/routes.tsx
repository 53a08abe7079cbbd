/** The applicant pages and their addresses. */
import type { RouteObject } from 'react-router';

export const applicantRoutes: RouteObject[] = [];
