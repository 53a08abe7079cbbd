/**
 * The organisation administrator's workspace: invitations (make one for a member name and roles
 * the organisation may hold, copy its link, revoke an unused one), the requests that answered
 * them (compare the key's fingerprint with the new member, then sign the enrolment), the
 * members with their roles (change roles, revoke), and the consortium's governance (propose,
 * vote).
 */
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  createInvitation,
  listInvitations,
  orgMembers,
  revokeInvitation,
  type InvitationView,
  type MemberView,
} from '@sdk';
import { client, queryClient } from '../lib/api';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { ErrorNotice, Loading } from '../components/Status';
import { When } from '../components/When';
import { ScrollTable } from '../portal/ScrollTable';
import { useSignedAction, useStaffQuery } from './api';
import { GovernanceSection } from './AdminGovernance';
import { Fingerprint, Refusal, RoleList, useRefusal, useRoleName } from './parts';
import { useStaffSession, withToken } from './session';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const HOURS = [24, 72, 168, 336] as const;

export function AdminPage() {
  const { t } = useTranslation('staff');
  const members = useStaffQuery(['members'], (tok) => orgMembers(client, tok));
  // New answers arrive while the page is open: looked for now and then, and on request.
  const invitations = useStaffQuery(['invitations'], (tok) => listInvitations(client, tok), {
    refetchInterval: 30_000,
  });
  return (
    <Page title={t('admin.title')}>
      <Section id="invite-title" title={t('admin.inviteTitle')}>
        {members.data ? <InviteForm roles={members.data.roles} /> : <Loading />}
      </Section>
      <Section id="requests-title" title={t('admin.requestsTitle')}>
        <Group>
          <Button
            size="xs"
            variant="default"
            loading={invitations.isFetching}
            onClick={() => void invitations.refetch()}
            data-testid="refresh-requests"
          >
            {t('admin.refresh')}
          </Button>
        </Group>
        {invitations.isPending ? (
          <Loading />
        ) : invitations.isError ? (
          <ErrorNotice error={invitations.error} retry={() => void invitations.refetch()} />
        ) : (
          <Requests list={invitations.data.filter((i) => i.status === 'requested')} />
        )}
      </Section>
      <Section id="invitations-title" title={t('admin.invitationsTitle')}>
        {invitations.data && <Invitations list={invitations.data} />}
      </Section>
      <Section id="members-title" title={t('admin.membersTitle')}>
        {members.isPending ? (
          <Loading />
        ) : members.isError ? (
          <ErrorNotice error={members.error} retry={() => void members.refetch()} />
        ) : (
          <Members members={members.data.members} roles={members.data.roles} />
        )}
      </Section>
      <GovernanceSection />
    </Page>
  );
}

/** Checkboxes for roles, each named in the reader's language. */
function RolePicker(props: {
  roles: readonly string[];
  value: string[];
  onChange(v: string[]): void;
  error?: string | undefined;
  testId: string;
}) {
  const { t } = useTranslation('staff');
  const roleName = useRoleName();
  return (
    <Checkbox.Group
      label={t('admin.roles')}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      data-testid={props.testId}
    >
      <Group gap="md" mt={4} wrap="wrap">
        {props.roles.map((r) => (
          <Checkbox key={r} value={r} label={roleName(r)} data-testid={`${props.testId}-${r}`} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

function InviteForm(props: { roles: readonly string[] }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [hours, setHours] = useState<number>(72);
  const [errors, setErrors] = useState<{ name?: string; roles?: string }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [made, setMade] = useState<{ link: string; invitation: InvitationView } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: typeof errors = {};
    if (!NAME.test(name) || name === 'node') errs.name = t('admin.nameInvalid');
    if (roles.length === 0) errs.roles = t('admin.rolesNeeded');
    setErrors(errs);
    if (errs.name || errs.roles) return;
    setBusy(true);
    setFailure(null);
    setMade(null);
    try {
      const r = await withToken((tok) =>
        createInvitation(client, tok, { name, roles: roles as never[], hours }),
      );
      setMade({
        link: `${window.location.origin}/staff/join#${r.token}`,
        invitation: r.invitation,
      });
      setName('');
      setRoles([]);
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    } catch (err) {
      setFailure(refusal(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      <Text>{t('admin.inviteText')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm" maw={560}>
          <TextInput
            label={t('admin.name')}
            description={t('admin.nameHelp')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value.trim().toLowerCase())}
            error={errors.name}
            aria-invalid={errors.name !== undefined}
            autoComplete="off"
            spellCheck={false}
            required
            data-testid="invite-name"
          />
          <RolePicker
            roles={props.roles}
            value={roles}
            onChange={setRoles}
            error={errors.roles}
            testId="invite-roles"
          />
          <NativeSelect
            label={t('admin.expiresIn')}
            value={String(hours)}
            onChange={(e) => setHours(Number(e.currentTarget.value))}
            data-testid="invite-hours"
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {h < 48 ? t('admin.hours', { n: h }) : t('admin.days', { n: h / 24 })}
              </option>
            ))}
          </NativeSelect>
          <Group>
            <Button type="submit" loading={busy} data-testid="invite-submit">
              {t('admin.invite')}
            </Button>
          </Group>
        </Stack>
      </form>
      {failure && <Refusal testId="invite-refused">{failure}</Refusal>}
      {made && (
        <Alert color="brand" title={t('admin.linkTitle')} data-testid="invite-made">
          <Stack gap="xs">
            <Text>
              {t('admin.linkText', { member: `${made.invitation.org}/${made.invitation.name}` })}
            </Text>
            <TextInput
              label={t('admin.link')}
              value={made.link}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
              data-testid="invite-link"
            />
            <Group>
              <CopyButton value={made.link}>
                {({ copied, copy }) => (
                  <Button variant="default" size="xs" onClick={copy}>
                    {copied ? t('admin.copied') : t('admin.copyLink')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

/** Answered invitations: compare the fingerprint, then sign the enrolment or decline. */
function Requests(props: { list: InvitationView[] }) {
  const { t } = useTranslation('staff');
  if (props.list.length === 0)
    return <Text data-testid="no-requests">{t('admin.noRequests')}</Text>;
  return (
    <Stack gap="sm">
      <Text>{t('admin.requestsText')}</Text>
      {props.list.map((i) => (
        <Request key={i.id} invitation={i} />
      ))}
    </Stack>
  );
}

function Request(props: { invitation: InvitationView }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const action = useSignedAction();
  const [declining, setDeclining] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const i = props.invitation;
  const member = `${i.org}/${i.name}`;
  return (
    <Stack gap="xs" className="staff-card" data-testid={`request-${i.name}`}>
      <Text fw={600}>
        <span className="mono">{member}</span>
      </Text>
      <RoleList roles={i.roles} />
      <Text size="sm">
        {t('key.fingerprint')} <Fingerprint value={i.key ?? ''} testId="request-fingerprint" /> ·{' '}
        {t('admin.requestedAt')} <When ms={i.requested ?? i.created} withTime />
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          loading={action.state.kind === 'busy'}
          onClick={() =>
            void action.run({
              type: 'membership.enrol',
              payload: { name: i.name, roles: i.roles, key: i.key, pop: i.pop },
            })
          }
          aria-label={`${t('admin.signEnrolment')}: ${member}`}
          data-testid="sign-enrolment"
        >
          {t('admin.signEnrolment')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={declining}
          onClick={() => {
            setDeclining(true);
            setFailure(null);
            withToken((tok) => revokeInvitation(client, tok, i.id))
              .then(() => queryClient.invalidateQueries({ queryKey: ['staff'] }))
              .catch((e: unknown) => setFailure(refusal(e)))
              .finally(() => setDeclining(false));
          }}
          aria-label={`${t('admin.decline')}: ${member}`}
        >
          {t('admin.decline')}
        </Button>
      </Group>
      {action.state.kind === 'failed' && (
        <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
      )}
      {failure && <Refusal>{failure}</Refusal>}
    </Stack>
  );
}

const STATUS_TONE: Record<InvitationView['status'], string> = {
  open: 'wait',
  requested: 'wait',
  enrolled: 'good',
  revoked: 'bad',
  expired: 'done',
};

function Invitations(props: { list: InvitationView[] }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const [failure, setFailure] = useState<string | null>(null);
  if (props.list.length === 0) return <Text>{t('admin.noInvitations')}</Text>;
  const revoke = (id: string) => {
    setFailure(null);
    withToken((tok) => revokeInvitation(client, tok, id))
      .then(() => queryClient.invalidateQueries({ queryKey: ['staff'] }))
      .catch((e: unknown) => setFailure(refusal(e)));
  };
  return (
    <Stack gap="sm">
      <ScrollTable minWidth={640} label={t('admin.invitationsTitle')}>
        <Table striped data-testid="invitations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.member')}</Table.Th>
              <Table.Th scope="col">{t('admin.roles')}</Table.Th>
              <Table.Th scope="col">{t('admin.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.expires')}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.list.map((i) => (
              <Table.Tr key={i.id} data-testid={`invitation-${i.name}`}>
                <Table.Td className="mono">
                  {i.org}/{i.name}
                </Table.Td>
                <Table.Td>
                  <RoleList roles={i.roles} />
                </Table.Td>
                <Table.Td>
                  <span
                    className="state-badge"
                    data-tone={STATUS_TONE[i.status]}
                    data-testid="invitation-status"
                  >
                    {t(`admin.statuses.${i.status}`)}
                  </span>
                </Table.Td>
                <Table.Td>
                  <When ms={i.expires} withTime />
                </Table.Td>
                <Table.Td>
                  {i.status === 'open' && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => revoke(i.id)}
                      aria-label={`${t('admin.revokeInvitation')}: ${i.org}/${i.name}`}
                      data-testid="revoke-invitation"
                    >
                      {t('admin.revokeInvitation')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {failure && <Refusal>{failure}</Refusal>}
    </Stack>
  );
}

function Members(props: { members: MemberView[]; roles: readonly string[] }) {
  const { t } = useTranslation('staff');
  const s = useStaffSession();
  const [editing, setEditing] = useState<MemberView | null>(null);
  const [revoking, setRevoking] = useState<MemberView | null>(null);
  const me = s?.viewer?.member;
  return (
    <>
      <ScrollTable minWidth={720} label={t('admin.membersTitle')}>
        <Table striped data-testid="members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.member')}</Table.Th>
              <Table.Th scope="col">{t('admin.roles')}</Table.Th>
              <Table.Th scope="col">{t('key.fingerprint')}</Table.Th>
              <Table.Th scope="col">{t('admin.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.since')}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.members.map((m) => (
              <Table.Tr key={m.id} data-testid={`member-${m.id}`}>
                <Table.Td className="mono">{m.id}</Table.Td>
                <Table.Td>
                  <RoleList roles={m.status === 'active' ? m.effectiveRoles : m.roles} />
                </Table.Td>
                <Table.Td>
                  <Fingerprint value={m.key} />
                </Table.Td>
                <Table.Td>
                  <span className="state-badge" data-tone={m.status === 'active' ? 'good' : 'bad'}>
                    {t(`admin.memberStatus.${m.status}`)}
                  </span>
                </Table.Td>
                <Table.Td>
                  <When ms={m.since} />
                </Table.Td>
                <Table.Td>
                  {m.status === 'active' && m.id !== me && (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        onClick={() => setEditing(m)}
                        aria-label={`${t('admin.changeRoles')} ${m.id}`}
                      >
                        {t('admin.changeRoles')}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setRevoking(m)}
                        aria-label={`${t('admin.revoke')}: ${m.id}`}
                        data-testid="revoke-member"
                      >
                        {t('admin.revoke')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {editing && (
        <RolesDialog member={editing} roles={props.roles} onClose={() => setEditing(null)} />
      )}
      {revoking && <RevokeDialog member={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}

function RolesDialog(props: { member: MemberView; roles: readonly string[]; onClose(): void }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const action = useSignedAction();
  const [roles, setRoles] = useState<string[]>(props.member.effectiveRoles);
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('admin.changeRolesOf', { member: props.member.id })}
      centered
    >
      <Stack>
        <RolePicker roles={props.roles} value={roles} onChange={setRoles} testId="member-roles" />
        {action.state.kind === 'failed' && (
          <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('cancel')}
          </Button>
          <Button
            disabled={roles.length === 0}
            loading={action.state.kind === 'busy'}
            onClick={() =>
              void action
                .run({ type: 'membership.setRoles', payload: { member: props.member.id, roles } })
                .then((ok) => ok && props.onClose())
            }
          >
            {t('admin.saveRoles')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RevokeDialog(props: { member: MemberView; onClose(): void }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const action = useSignedAction();
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('admin.revokeOf', { member: props.member.id })}
      centered
    >
      <Stack>
        <Text>{t('admin.revokeText')}</Text>
        {action.state.kind === 'failed' && (
          <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('cancel')}
          </Button>
          <Button
            color="red"
            loading={action.state.kind === 'busy'}
            data-testid="confirm-revoke"
            onClick={() =>
              void action
                .run({ type: 'membership.revoke', payload: { member: props.member.id } })
                .then((ok) => ok && props.onClose())
            }
          >
            {t('admin.revoke')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
