/**
 * `/me`: the applicant's home. Without a key on this device: what an account is, create one or
 * restore one. With a locked key: unlock it. Unlocked: the applicant's cases, newest first, and
 * the account's own actions (back up, lock, forget).
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Divider,
  Group,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  AidError,
  caseReference,
  listCases,
  parseCaseReference,
  programs,
  STATE_LABELS,
} from '@sdk';
import { client } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Empty, ErrorNotice, Loading } from '../components/Status';
import {
  AccountReady,
  CreateAccount,
  downloadKeyFile,
  ForgetDevice,
  RestoreKey,
  UnlockForm,
  type Registration,
} from './AccountForms';
import type { KeyFile } from './keystore';
import { useApplicantLive } from './live';
import { lock, useStoredKey, useUnlocked, withToken, type Unlocked } from './session';
import { openNotes } from './notes';
import { StateBadge } from './StateBadge';
import { cap, useRefusalText } from './shared';

/** Where to go after the account is ready: only an address of the applicant pages. */
export function useNext(): string | undefined {
  const [params] = useSearchParams();
  const next = params.get('next');
  return next !== null && /^\/me\/[a-z0-9/-]*$/.test(next) ? next : undefined;
}

/** The open programs in the reader's language (public). */
export function useApplicantPrograms() {
  const { lang } = useLocale();
  return useQuery({
    queryKey: ['applicant', 'programs', lang],
    queryFn: () => programs(client, lang),
    staleTime: 60_000,
  });
}

function Welcome(props: {
  onCreated(file: KeyFile): void;
  onRegistered(r: Registration): void;
  onRestored(): void;
}) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  return (
    <Page title={t('account.title')}>
      <Stack gap="xs" maw={640}>
        <Text>{t('account.intro1')}</Text>
        <Text>{t('account.intro2')}</Text>
      </Stack>
      <Card withBorder maw={640}>
        <CreateAccount onCreated={props.onCreated} onRegistered={props.onRegistered} />
      </Card>
      <Card withBorder maw={640}>
        <RestoreKey onRestored={props.onRestored} />
      </Card>
      <Stack gap="xs" maw={640}>
        <Title order={2} size="h4">
          {tf('newPhone.welcomeTitle')}
        </Title>
        <Text>{tf('newPhone.welcomeText')}</Text>
        <Anchor component={Link} to="/me/new-phone" className="tap-link">
          {tf('newPhone.link')}
        </Anchor>
      </Stack>
    </Page>
  );
}

/** Shows `children` only once the key is unlocked; otherwise the way there. */
export function RequireUnlocked(props: { children: (u: Unlocked) => ReactNode; next: string }) {
  const { t } = useTranslation('applicant');
  const stored = useStoredKey();
  const unlocked = useUnlocked();
  if (unlocked && stored?.key === unlocked.key) return props.children(unlocked);
  if (!stored)
    return (
      <Stack gap="sm">
        <Text>{t('account.needAccount')}</Text>
        <div>
          <Button component={Link} to={`/me?next=${encodeURIComponent(props.next)}`}>
            {t('account.createOrRestore')}
          </Button>
        </div>
      </Stack>
    );
  return (
    <Card withBorder maw={640}>
      <UnlockForm stored={stored} />
    </Card>
  );
}

function CaseList(props: { unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const refusal = useRefusalText();
  const { t: tf } = useTranslation('family');
  const fmt = useFormats();
  const { lang } = useLocale();
  const progs = useApplicantPrograms();
  const [typed, setTyped] = useState('');
  const cases = useQuery({
    queryKey: ['me', props.unlocked.key, 'cases'],
    queryFn: () => withToken(lang, (tok) => listCases(client, tok, { limit: 100 })),
  });
  useApplicantLive(props.unlocked);
  const notes = useQuery({
    queryKey: ['me', props.unlocked.key, 'notes'],
    queryFn: () => openNotes(props.unlocked),
    staleTime: Infinity,
    gcTime: 0,
  });
  if (cases.isPending) return <Loading />;
  if (cases.isError && !cases.data)
    // Refused again after signing in afresh: the node no longer knows this key — its case was
    // moved to a new phone, which closed this account.
    return cases.error instanceof AidError && cases.error.code === 'UNAUTHORIZED' ? (
      <Alert color="orange" role="alert" data-testid="account-closed">
        <Stack gap="xs">
          <Text inherit>{refusal('KEY_REVOKED')}</Text>
          <Anchor component={Link} to="/me/new-phone" inherit className="tap-link">
            {tf('newPhone.link')}
          </Anchor>
        </Stack>
      </Alert>
    ) : (
      <ErrorNotice error={cases.error} retry={() => void cases.refetch()} />
    );
  const rows = cases.data?.cases ?? [];
  if (rows.length === 0) return <Empty text={t('me.empty')} />;
  const name = (id: string) => progs.data?.find((p) => p.id === id)?.name ?? id;
  // A reference typed as read aloud (look-alikes folded, dashes optional) picks its cases.
  const wanted = typed.trim() === '' ? undefined : parseCaseReference(typed);
  const shown =
    wanted === undefined ? rows : rows.filter((c) => caseReference(c.id) === wanted.reference);
  return (
    <Stack gap="sm">
      <TextInput
        label={tf('search.label')}
        description={tf('search.help')}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        error={typed.trim() !== '' && !wanted ? tf('search.invalid') : undefined}
        autoComplete="off"
        spellCheck={false}
        data-testid="case-search"
      />
      {wanted && shown.length === 0 && <Text role="status">{tf('search.none')}</Text>}
      <Stack component="ul" gap="sm" className="plain-list" aria-label={t('me.casesTitle')}>
        {shown.map((c) => {
          const note = notes.data?.cases[c.id];
          return (
            <li key={c.id}>
              <Card withBorder padding="sm">
                <Stack gap={6}>
                  <Anchor component={Link} to={`/me/cases/${c.id}`} fw={600} className="tap-link">
                    {name(c.program)}
                  </Anchor>
                  {note && (
                    <Text data-testid="case-note">
                      {tf('list.patientAt', { initials: note.initials, hospital: note.hospital })}
                    </Text>
                  )}
                  <Group gap="xs" wrap="wrap">
                    <StateBadge
                      state={c.state}
                      label={cap(STATE_LABELS[c.state]?.[lang] ?? c.state, lang)}
                    />
                    <Text size="sm">{t('me.submitted', { date: fmt.date(c.submitted) })}</Text>
                  </Group>
                  <Text size="sm">
                    {tf('reference.inList')}{' '}
                    <span className="case-reference-inline" data-testid="list-reference">
                      {caseReference(c.id)}
                    </span>
                  </Text>
                </Stack>
              </Card>
            </li>
          );
        })}
      </Stack>
    </Stack>
  );
}

function MyApplications(props: { unlocked: Unlocked; file: KeyFile }) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  return (
    <Page
      title={t('me.title')}
      actions={
        <Button component={Link} to="/me/apply">
          {t('me.apply')}
        </Button>
      }
    >
      <Section id="cases-title" title={t('me.casesTitle')} small>
        <CaseList unlocked={props.unlocked} />
      </Section>
      <Divider />
      <section aria-labelledby="account-title">
        <Stack gap="sm" maw={640}>
          <Title order={2} id="account-title" size="h3">
            {t('me.accountTitle')}
          </Title>
          <Text>{t('me.accountText')}</Text>
          <Group gap="sm">
            <Button component={Link} to="/me/sheet" variant="light">
              {tf('sheet.open')}
            </Button>
            <Button variant="default" onClick={() => downloadKeyFile(props.file)}>
              {t('account.download')}
            </Button>
            <Button variant="default" onClick={lock}>
              {t('account.lock')}
            </Button>
            <ForgetDevice />
          </Group>
          <Text size="sm">
            <Anchor component={Link} to="/me/new-phone" className="tap-link">
              {tf('newPhone.link')}
            </Anchor>
          </Text>
        </Stack>
      </section>
    </Page>
  );
}

export function AccountPage() {
  const { t } = useTranslation('applicant');
  const stored = useStoredKey();
  const unlocked = useUnlocked();
  const navigate = useNavigate();
  const next = useNext();
  // Held here: creating the key stores it, which would otherwise swap the page at once.
  const [created, setCreated] = useState<KeyFile | null>(null);
  const [registration, setRegistration] = useState<Registration>({ kind: 'pending' });
  const goNext = () => {
    if (next) void navigate(next, { replace: true });
  };

  if (created)
    return (
      <Page title={t('account.readyHeading')}>
        <AccountReady
          file={created}
          registration={registration}
          onContinue={() => {
            setCreated(null);
            goNext();
          }}
          continueLabel={next ? t('account.continueApply') : t('account.continue')}
        />
      </Page>
    );
  if (!stored)
    return <Welcome onCreated={setCreated} onRegistered={setRegistration} onRestored={goNext} />;
  if (!unlocked || unlocked.key !== stored.key)
    return (
      <Page title={t('account.unlockHeading')}>
        <Card withBorder maw={640}>
          <UnlockForm stored={stored} onUnlocked={goNext} />
        </Card>
        <Stack gap="xs" maw={640}>
          <Text size="sm">{t('account.forgotText')}</Text>
          <div>
            <ForgetDevice />
          </div>
        </Stack>
      </Page>
    );
  return <MyApplications unlocked={unlocked} file={stored} />;
}
