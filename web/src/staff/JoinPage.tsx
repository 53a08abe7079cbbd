/**
 * Answering an invitation (`/staff/join#<token>`; the token stays in the fragment, which no
 * server sees). The page asks the node what the invitation offers, makes the new member's key
 * here, seals it under their passphrase and keeps it on this device, proves possession of it for
 * `<org>/<name>`, and answers the invitation with the public key and the proof. It then waits for
 * the administrator to sign the enrolment and signs the member in as soon as the ledger holds it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  acceptInvitation,
  AidError,
  invitationAnswer,
  openInvitation,
  proveKey,
  randomSeed,
  type InvitationOffer,
} from '@sdk';
import { client } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Loading } from '../components/Status';
import {
  forgetStoredKey,
  keyFileText,
  sealSeed,
  storedKey,
  storeKey,
  type StaffKeyFile,
} from './keystore';
import {
  downloadText,
  Fingerprint,
  Refusal,
  RoleList,
  useNewPassphrase,
  useRefusal,
} from './parts';
import { storedKeyChanged, unlockAndSignIn } from './session';

/** How often the page asks whether the enrolment was signed, and for how long. */
const POLL_MS = 4_000;
const POLL_FOR_MS = 60 * 60_000;

export function JoinPage() {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  // Read once: the fragment is the invitation's secret.
  const [token] = useState(() => decodeURIComponent(window.location.hash.replace(/^#/, '')));
  const offer = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => openInvitation(client, token),
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
  });
  const [answered, setAnswered] = useState<{ seed: Uint8Array; file: StaffKeyFile } | null>(null);

  return (
    <Page title={t('join.title')}>
      {token === '' ? (
        <Refusal testId="join-refused">{t('join.noToken')}</Refusal>
      ) : answered ? (
        <Waiting id={token.split('.')[0] ?? ''} seed={answered.seed} file={answered.file} />
      ) : offer.isPending ? (
        <Loading />
      ) : offer.isError ? (
        <Refusal testId="join-refused">{refusal(offer.error)}</Refusal>
      ) : (
        <Answer token={token} offer={offer.data} onAnswered={setAnswered} />
      )}
    </Page>
  );
}

function Answer(props: {
  token: string;
  offer: InvitationOffer;
  onAnswered(a: { seed: Uint8Array; file: StaffKeyFile }): void;
}) {
  const { t } = useTranslation('staff');
  const fmt = useFormats();
  const refusal = useRefusal();
  const { offer } = props;
  const np = useNewPassphrase();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const previous = storedKey();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!np.check()) {
      form.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    const seed = randomSeed();
    try {
      const file = await sealSeed(seed, np.pass);
      // Kept here before the node hears of it: the administrator must never enrol a key that
      // this device could not keep.
      storeKey({ ...file, member: offer.holder });
      try {
        await acceptInvitation(
          client,
          props.token,
          file.key,
          proveKey(offer.chain, offer.holder, seed),
        );
      } catch (err) {
        if (previous) storeKey(previous);
        else forgetStoredKey();
        throw err;
      }
      storedKeyChanged();
      props.onAnswered({ seed, file });
    } catch (err) {
      seed.fill(0);
      setFailure(refusal(err));
      setBusy(false);
    }
  }

  return (
    <>
      <Section id="offer-title" title={t('join.offerTitle')}>
        <dl className="staff-facts" data-testid="offer">
          <dt>{t('join.org')}</dt>
          <dd>{fmt.name(offer.orgNames, offer.org)}</dd>
          <dt>{t('join.member')}</dt>
          <dd className="mono">{offer.holder}</dd>
          <dt>{t('join.roles')}</dt>
          <dd>
            <RoleList roles={offer.roles} />
          </dd>
          <dt>{t('join.expires')}</dt>
          <dd>{fmt.dateTime(offer.expires)}</dd>
        </dl>
      </Section>
      <Section id="make-key-title" title={t('join.makeKeyTitle')}>
        <Text>{t('join.makeKeyText')}</Text>
        {previous && (
          <Alert color="yellow" title={t('join.replaceTitle')}>
            {t('join.replaceText', { member: previous.member ?? previous.key.slice(0, 16) })}
          </Alert>
        )}
        <form ref={form} onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm" maw={420}>
            {np.fields('join')}
            <Group>
              <Button type="submit" loading={busy} data-testid="join-submit">
                {t('join.submit')}
              </Button>
            </Group>
            {busy && <Text size="sm">{t('join.making')}</Text>}
          </Stack>
        </form>
        {failure && <Refusal testId="join-refused">{failure}</Refusal>}
      </Section>
    </>
  );
}

/** After answering: the fingerprint to compare, a backup, and signing in once enrolled. */
function Waiting(props: { id: string; seed: Uint8Array; file: StaffKeyFile }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const seed = props.seed;

  /** Signs in once the ledger holds the enrolment; true when done (or nothing more to wait for). */
  async function check(manual: boolean): Promise<boolean> {
    setChecking(manual);
    try {
      // Where the answer stands, without a sign-in the node would refuse until then.
      const status = await invitationAnswer(client, props.id, props.file.key);
      if (status === 'revoked') {
        setFailure(t('join.declined'));
        return true;
      }
      if (status !== 'enrolled') {
        if (manual) setFailure(t('join.notYet'));
        return false;
      }
      await unlockAndSignIn(new Uint8Array(seed));
      seed.fill(0);
      void navigate('/staff', { replace: true });
      return true;
    } catch (err) {
      setFailure(refusal(err));
      return !(err instanceof AidError && err.code === 'UNAVAILABLE');
    } finally {
      setChecking(false);
    }
  }

  useEffect(() => {
    const start = Date.now();
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      if (stop || Date.now() - start > POLL_FOR_MS) return;
      if (await check(false)) return;
      if (!stop) timer = setTimeout(() => void tick(), POLL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <Section id="sent-title" title={t('join.sentTitle')}>
      <Alert color="brand" title={t('join.sentHeading')} data-testid="join-sent">
        <Stack gap="xs">
          <Text>{t('join.sentText')}</Text>
          <Text>
            {t('key.fingerprint')} <Fingerprint value={props.file.key} testId="join-fingerprint" />
          </Text>
        </Stack>
      </Alert>
      <Group gap="xs" aria-live="polite">
        <Loader size="xs" aria-hidden="true" />
        <Text size="sm">{t('join.waiting')}</Text>
      </Group>
      <Group>
        <Button onClick={() => void check(true)} loading={checking} data-testid="join-sign-in">
          {t('join.signIn')}
        </Button>
        <Button
          variant="default"
          onClick={() =>
            downloadText(
              `aidledger-staff-key-${props.file.key.slice(0, 8)}.json`,
              keyFileText(props.file),
            )
          }
        >
          {t('key.downloadBackup')}
        </Button>
      </Group>
      {failure && <Refusal testId="join-not-yet">{failure}</Refusal>}
    </Section>
  );
}
