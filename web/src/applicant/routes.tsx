/** The applicant pages and their addresses. */
import './applicant.css';
import { Outlet, type RouteObject } from 'react-router';
import { AccountPage } from './AccountPage';
import { ApplyPage, ChooseProgramPage } from './ApplyPage';
import { CasePage } from './CasePage';

export const applicantRoutes: RouteObject[] = [
  {
    element: (
      <div className="applicant-page">
        <Outlet />
      </div>
    ),
    children: [
      { path: '/me', element: <AccountPage /> },
      { path: '/me/apply', element: <ChooseProgramPage /> },
      { path: '/me/apply/:program', element: <ApplyPage /> },
      { path: '/me/cases/:id', element: <CasePage /> },
    ],
  },
];
