/**
 * The frame every staff workspace is built in: while the tab is locked, the sign-in; once the
 * member's key is unlocked and the node has said who holds it, a bar with who is signed in (the
 * member, the organisation, the roles it signs with now) and a lock button, the navigation to the
 * workspaces the member's roles open (workspaces.tsx), and the workspace itself, kept up to date
 * by the events stream (lib/live.ts).
 */
import { Button, Group, Text } from '@mantine/core';
import { Navigate, NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { useOrgName } from '../applicant/shared';
import { RoleList } from './parts';
import { useLiveUpdates } from '../lib/live';
import { liveToken, lock, revokedKey, useStaffSession } from './session';
import { SignInPage } from './SignInPage';
import { workspacesFor, type Workspace } from './workspaces';

export function StaffFrame() {
  const { t } = useTranslation('staff');
  const s = useStaffSession();
  const orgName = useOrgName();
  // Queues and case pages follow the ledger: each block that changes what this member may see
  // refreshes the workspace's reads.
  const key = s?.viewer ? s.key : '';
  useLiveUpdates(key !== '', {
    token: liveToken,
    queryKey: ['staff', key],
    revoked: () => revokedKey(key),
  });
  if (!s?.viewer) return <SignInPage />;
  const v = s.viewer;
  const spaces = workspacesFor(v.roles, v.orgType);
  return (
    <div className="staff">
      <Group className="staff-bar" justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" data-testid="signed-in-as">
            {t('frame.signedInAs')} <span className="mono">{v.member}</span> · {orgName(v.org)}
          </Text>
          <RoleList roles={v.roles} />
        </Group>
        <Button size="xs" variant="default" onClick={lock} data-testid="staff-lock">
          {t('frame.lock')}
        </Button>
      </Group>
      <nav aria-label={t('frame.nav')} className="staff-nav">
        {spaces.map((w) => (
          <NavLink key={w.id} to={`/staff/${w.path}`} className="staff-nav-link">
            {t(`nav.${w.id}`)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}

/** `/staff`: the member's first workspace. */
export function StaffHome() {
  const s = useStaffSession();
  if (!s?.viewer) return null;
  const first = workspacesFor(s.viewer.roles, s.viewer.orgType)[0];
  return first ? <Navigate to={`/staff/${first.path}`} replace /> : null;
}

/** A workspace, or a plain refusal for a member whose roles do not open it. */
export function WorkspaceGate(props: { workspace: Workspace }) {
  const { t } = useTranslation('staff');
  const s = useStaffSession();
  if (!s?.viewer) return null;
  const open = workspacesFor(s.viewer.roles, s.viewer.orgType).some(
    (w) => w.id === props.workspace.id,
  );
  if (!open)
    return (
      <Page title={t(`nav.${props.workspace.id}`)}>
        <Text data-testid="not-your-workspace">{t('frame.notYours')}</Text>
      </Page>
    );
  return <>{props.workspace.element}</>;
}
