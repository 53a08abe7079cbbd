/**
 * The staff workspace, loaded on its first visit: its words join the app's translations, then its
 * routes under `/staff`: answering an invitation, and the frame with each workspace and the case
 * page.
 */
import './staff.css';
import { Route, Routes } from 'react-router';
import { addNamespaces } from '../i18n';
import { NotFound } from '../app/Layout';
import { CasePage } from './CasePage';
import { JoinPage } from './JoinPage';
import { staff } from './messages';
import { finance } from './finance/messages';
import { oversight } from './oversight/messages';
import { hospital } from './hospital/messages';
import { review } from './review/messages';
import { StaffFrame, StaffHome, WorkspaceGate } from './StaffFrame';
import { WORKSPACES } from './workspaces';

addNamespaces({ staff, finance, oversight, hospital, review });

export function StaffApp() {
  return (
    <Routes>
      <Route path="join" element={<JoinPage />} />
      <Route element={<StaffFrame />}>
        <Route index element={<StaffHome />} />
        {WORKSPACES.map((w) => (
          <Route key={w.id} path={w.path} element={<WorkspaceGate workspace={w} />} />
        ))}
        <Route path="cases/:id" element={<CasePage />} />
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
