/** The applicant pages (pages.ts), framed by the applicant's styles. */
import './applicant.css';
import { Outlet, type RouteObject } from 'react-router';
import { applicantPages } from './pages';

export const applicantRoutes: RouteObject[] = [
  {
    element: (
      <div className="applicant-page">
        <Outlet />
      </div>
    ),
    children: applicantPages,
  },
];
