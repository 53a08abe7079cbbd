/**
 * Signing in to the staff workspace with the member's own key, kept on this device sealed under a
 * passphrase: unlock it (the node is then asked who holds it: a revoked or not yet enrolled key is
 * refused), or, on a device without one, import a key file once — a key the `aidledger keys new`
 * command made (sealed here under a new passphrase, after which the plain file should be deleted)
 * or a sealed backup downloaded from this workspace. New members get their key by answering an
 * invitation link (JoinPage).
 */
import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, FileButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import {
  forgetStoredKey,
  hasWebCrypto,
  keyFileText,
  KeyError,
  openSeed,
  parseCliKeyFile,
  parseKeyFile,
  sealSeed,
  storedKey,
  storeKey,
  type StoredStaffKey,
} from './keystore';
import {
  downloadText,
  Fingerprint,
  PassphraseField,
  Refusal,
  useNewPassphrase,
  useRefusal,
} from './parts';
import { storedKeyChanged, unlockAndSignIn, useStoreVersion } from './session';

export function SignInPage() {
  const { t } = useTranslation('staff');
  useStoreVersion();
  const stored = storedKey();
  return (
    <Page title={t('signIn.title')}>
      {!hasWebCrypto() && <Refusal>{t('keyErrors.no-crypto')}</Refusal>}
      {stored ? <UnlockForm stored={stored} /> : <NoKey />}
    </Page>
  );
}

function UnlockForm(props: { stored: StoredStaffKey }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [forgetting, setForgetting] = useState(false);
  const field = useRef<HTMLDivElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pass === '') {
      setError(t('key.enterPassphrase'));
      field.current?.querySelector('input')?.focus();
      return;
    }
    setError(undefined);
    setFailure(null);
    setBusy(true);
    let seed: Uint8Array;
    try {
      seed = await openSeed(props.stored, pass);
    } catch (err) {
      setBusy(false);
      if (err instanceof KeyError && err.kind === 'wrong-passphrase') {
        setError(t('keyErrors.wrong-passphrase'));
        field.current?.querySelector('input')?.focus();
      } else setFailure(refusal(err));
      return;
    }
    try {
      await unlockAndSignIn(seed);
    } catch (err) {
      seed.fill(0);
      setFailure(refusal(err));
      setBusy(false);
    }
  }

  return (
    <Section id="unlock-title" title={t('signIn.unlockTitle')}>
      <Text>{t('signIn.unlockText')}</Text>
      <Text size="sm">
        {props.stored.member && (
          <>
            {t('signIn.member')} <span className="mono">{props.stored.member}</span> ·{' '}
          </>
        )}
        {t('key.fingerprint')} <Fingerprint value={props.stored.key} />
      </Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm" maw={420}>
          <div ref={field}>
            <PassphraseField
              label={t('key.passphrase')}
              value={pass}
              onChange={setPass}
              error={error}
              autoComplete="current-password"
              testId="staff-passphrase"
            />
          </div>
          <Group>
            <Button type="submit" loading={busy} data-testid="staff-unlock">
              {t('signIn.unlock')}
            </Button>
          </Group>
        </Stack>
      </form>
      {failure && <Refusal testId="sign-in-refused">{failure}</Refusal>}
      <Group gap="sm">
        <Button
          variant="default"
          onClick={() =>
            downloadText(
              `aidledger-staff-key-${props.stored.key.slice(0, 8)}.json`,
              keyFileText(props.stored),
            )
          }
        >
          {t('key.downloadBackup')}
        </Button>
        <Button variant="subtle" color="red" onClick={() => setForgetting(true)}>
          {t('key.forget')}
        </Button>
      </Group>
      <Modal
        opened={forgetting}
        onClose={() => setForgetting(false)}
        title={t('key.forgetTitle')}
        centered
      >
        <Stack>
          <Text>{t('key.forgetText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setForgetting(false)}>
              {t('cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                forgetStoredKey();
                setForgetting(false);
                storedKeyChanged();
              }}
            >
              {t('key.forgetConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  );
}

type Picked =
  | { kind: 'cli'; seed: Uint8Array; key: string; member?: string }
  | { kind: 'sealed'; text: string };

/** No key on this device: how to get one, and importing one once. */
function NoKey() {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function pick(file: File | null) {
    setFailure(null);
    if (!file) return;
    if (file.size > 64 * 1024) {
      setFailure(t('keyErrors.bad-file'));
      return;
    }
    const text = await file.text();
    try {
      const sealed = parseKeyFile(text);
      storeKey(sealed);
      storedKeyChanged();
      return;
    } catch {
      // not a sealed staff key: perhaps one the command made
    }
    try {
      setPicked({ kind: 'cli', ...parseCliKeyFile(text) });
    } catch (err) {
      setFailure(refusal(err));
    }
  }

  return (
    <>
      <Section id="no-key-title" title={t('signIn.noKeyTitle')}>
        <Text>{t('signIn.noKeyText')}</Text>
      </Section>
      <Section id="import-title" title={t('signIn.importTitle')}>
        <Text>{t('signIn.importText')}</Text>
        {picked?.kind === 'cli' ? (
          <SealImported picked={picked} onCancel={() => setPicked(null)} />
        ) : (
          <Group>
            <FileButton onChange={(f) => void pick(f)} accept="application/json,.json">
              {(p) => (
                <Button variant="default" {...p} data-testid="import-key">
                  {t('signIn.chooseFile')}
                </Button>
              )}
            </FileButton>
          </Group>
        )}
        {failure && <Refusal testId="import-refused">{failure}</Refusal>}
      </Section>
    </>
  );
}

/** Seals a key the command made under a new passphrase, keeps it here, and signs in. */
function SealImported(props: {
  picked: { seed: Uint8Array; key: string; member?: string };
  onCancel(): void;
}) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const np = useNewPassphrase();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!np.check()) return;
    setBusy(true);
    setFailure(null);
    try {
      const file = await sealSeed(props.picked.seed, np.pass);
      // Kept only once the node knows the key as an active member's: an import is for a member.
      const viewer = await unlockAndSignIn(new Uint8Array(props.picked.seed));
      storeKey({ ...file, member: viewer.member });
      storedKeyChanged();
    } catch (err) {
      setFailure(refusal(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm" maw={420}>
        <Alert color="yellow" title={t('signIn.plainFileTitle')}>
          {t('signIn.plainFileText')}
        </Alert>
        <Text size="sm">
          {props.picked.member && (
            <>
              {t('signIn.member')} <span className="mono">{props.picked.member}</span> ·{' '}
            </>
          )}
          {t('key.fingerprint')} <Fingerprint value={props.picked.key} />
        </Text>
        {np.fields('import')}
        <Group>
          <Button type="submit" loading={busy} data-testid="import-seal">
            {t('signIn.sealAndSignIn')}
          </Button>
          <Button variant="default" onClick={props.onCancel} disabled={busy}>
            {t('cancel')}
          </Button>
        </Group>
        {failure && <Refusal testId="import-refused">{failure}</Refusal>}
      </Stack>
    </form>
  );
}
