/**
 * The account on this device: create one (a key pair made here, sealed under a passphrase and
 * registered on the ledger), restore one from a key file, unlock it for this tab, forget it.
 */
import { useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  FileButton,
  Group,
  Modal,
  PasswordInput,
  Progress,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { randomSeed } from '@sdk';
import { useLocale } from '../lib/locale-context';
import { Hash } from '../components/Hash';
import {
  forgetStoredKey,
  hasWebCrypto,
  keyFileText,
  KeyError,
  MIN_PASSPHRASE,
  openSeed,
  parseKeyFile,
  passphraseStrength,
  sealSeed,
  storeKey,
  type KeyFile,
  type StoredKey,
} from './keystore';
import { forgetNotes } from './notes';
import {
  lock,
  prepareToSign,
  registerAccount,
  storedKeyChanged,
  unlock,
  useStoredKey,
} from './session';
import { useFocusFirstError, useRefusalText } from './shared';

/** Saves the key file through the browser's download. */
export function downloadKeyFile(file: KeyFile): void {
  const url = URL.createObjectURL(new Blob([keyFileText(file)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `aidledger-key-${file.key.slice(0, 8)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type Registration = { kind: 'pending' } | { kind: 'ok' } | { kind: 'failed'; text: string };

const STRENGTH = ['short', 'weak', 'fair', 'strong'] as const;
const STRENGTH_COLOR = ['red.8', 'orange.9', 'yellow.8', 'brand'] as const;

function StrengthHint(props: { passphrase: string }) {
  const { t } = useTranslation('applicant');
  const s = passphraseStrength(props.passphrase);
  if (props.passphrase === '') return null;
  return (
    <Stack gap={4}>
      <Progress value={(s + 1) * 25} color={STRENGTH_COLOR[s]} size="sm" aria-hidden="true" />
      <Text size="sm" aria-live="polite">
        {t('account.strength', { level: t(`account.strengthLevel.${STRENGTH[s]}`) })}
      </Text>
    </Stack>
  );
}

/** A required passphrase field: its show/hide toggle named, its error announced and marked. */
function PassphraseField(props: {
  label: string;
  description?: string;
  value: string;
  onChange(value: string): void;
  error: string | undefined;
  autoComplete: 'new-password' | 'current-password';
  testId: string;
}) {
  const { t } = useTranslation('applicant');
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ 'aria-label': t('account.togglePassphrase') }}
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      error={props.error}
      aria-invalid={props.error !== undefined}
      autoComplete={props.autoComplete}
      required
      data-testid={props.testId}
    />
  );
}

/** Makes a key pair, seals it under a passphrase, keeps it here and registers it. */
export function CreateAccount(props: {
  onCreated(file: KeyFile): void;
  onRegistered(r: Registration): void;
}) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const refusal = useRefusalText();
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ pass?: string; again?: string }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const focusError = useFocusFirstError(form);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: typeof errors = {};
    if ([...pass].length < MIN_PASSPHRASE) errs.pass = t('account.tooShort');
    if (again !== pass) errs.again = t('account.mismatch');
    setErrors(errs);
    if (errs.pass || errs.again) {
      focusError();
      return;
    }
    setBusy(true);
    setFailure(null);
    // Registering signs a transaction: its code arrives while the passphrase seals the key.
    prepareToSign().catch(() => undefined);
    try {
      const seed = randomSeed();
      const file = await sealSeed(seed, pass);
      storeKey({ ...file, registered: false });
      props.onCreated(file);
      storedKeyChanged();
      unlock(seed);
    } catch (err) {
      setFailure(refusal(err));
      setBusy(false);
      return;
    }
    props.onRegistered({ kind: 'pending' });
    try {
      const out = await registerAccount(lang);
      props.onRegistered(
        out.result.ok ? { kind: 'ok' } : { kind: 'failed', text: refusal(out.result.code) },
      );
    } catch (err) {
      props.onRegistered({ kind: 'failed', text: refusal(err) });
    }
  }

  if (!hasWebCrypto())
    return (
      <Alert color="red" role="note">
        {t('keyErrors.no-crypto')}
      </Alert>
    );

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-title">
      <Stack gap="md">
        <Title order={2} id="create-title">
          {t('account.createTitle')}
        </Title>
        <PassphraseField
          label={t('account.passphrase')}
          description={t('account.passphraseHelp')}
          value={pass}
          onChange={(v) => {
            setPass(v);
            // An error is about what was typed then: it goes once the passphrase is long enough,
            // rather than staying under one already rated strong.
            setErrors((e) => ({
              ...(e.pass && [...v].length < MIN_PASSPHRASE ? { pass: e.pass } : {}),
              ...(e.again && again !== v ? { again: e.again } : {}),
            }));
          }}
          error={errors.pass}
          autoComplete="new-password"
          testId="new-passphrase"
        />
        <StrengthHint passphrase={pass} />
        <PassphraseField
          label={t('account.confirm')}
          value={again}
          onChange={(v) => {
            setAgain(v);
            setErrors((e) => ({
              ...(e.pass ? { pass: e.pass } : {}),
              ...(e.again && v !== pass ? { again: e.again } : {}),
            }));
          }}
          error={errors.again}
          autoComplete="new-password"
          testId="new-passphrase-again"
        />
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={busy}>
            {t('account.create')}
          </Button>
        </div>
        {busy && (
          <Text size="sm" role="status">
            {t('account.creating')}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** After creating: the registration's outcome and the backup download. */
export function AccountReady(props: {
  file: KeyFile;
  registration: Registration;
  onContinue(): void;
  continueLabel: string;
}) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const r = props.registration;
  return (
    <Stack gap="md">
      {r.kind === 'pending' ? (
        <Text role="status">{t('account.registering')}</Text>
      ) : r.kind === 'ok' ? (
        <Alert color="brand" title={t('account.readyTitle')} role="status">
          {t('account.readyText')}
        </Alert>
      ) : (
        <Alert color="orange" title={t('account.registerLaterTitle')} role="alert">
          {t('account.registerLater', { reason: r.text })}
        </Alert>
      )}
      <Text>{tf('sheet.offer')}</Text>
      <Group>
        <Button component={Link} to="/me/sheet" variant="light">
          {tf('sheet.open')}
        </Button>
        <Button onClick={props.onContinue} disabled={r.kind === 'pending'}>
          {props.continueLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The passphrase half of restoring or unlocking a key: the field's value and error, and `open`,
 * which opens a sealed key with it and hands the seed to `opened`. An empty or wrong passphrase,
 * or a failure in `opened`, is an error on the field, which takes the focus.
 */
function useOpenSealed() {
  const { t } = useTranslation('applicant');
  const refusal = useRefusalText();
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusError = useFocusFirstError(form);

  async function open(sealed: KeyFile, opened: (seed: Uint8Array) => void) {
    if (pass === '') {
      setError(t('account.enterPassphrase'));
      focusError();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      opened(await openSeed(sealed, pass));
    } catch (err) {
      setError(refusal(err));
      focusError();
    } finally {
      setBusy(false);
    }
  }

  return {
    form,
    field: { value: pass, onChange: setPass, error },
    busy,
    open,
    clear: () => setPass(''),
  };
}

/** Restores an account from its key file: the file, then its passphrase. */
export function RestoreKey(props: { onRestored(): void }) {
  const { t } = useTranslation('applicant');
  const refusal = useRefusalText();
  const [file, setFile] = useState<KeyFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const sealed = useOpenSealed();

  async function choose(f: File | null) {
    setFile(null);
    setFileError(null);
    if (!f) return;
    try {
      setFile(parseKeyFile(await f.text()));
    } catch (e) {
      setFileError(refusal(e instanceof KeyError ? e : new KeyError('bad-file')));
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    void sealed.open(file, (seed) => {
      storeKey({ ...file, registered: false });
      storedKeyChanged();
      unlock(seed);
      props.onRestored();
    });
  }

  return (
    <form ref={sealed.form} onSubmit={submit} noValidate aria-labelledby="restore-title">
      <Stack gap="md">
        <Title order={2} id="restore-title">
          {t('account.restoreTitle')}
        </Title>
        <Text>{t('account.restoreText')}</Text>
        <div>
          <FileButton onChange={(f) => void choose(f)} accept="application/json,.json">
            {(p) => (
              <Button variant="light" {...p}>
                {t('account.chooseFile')}
              </Button>
            )}
          </FileButton>
        </div>
        {fileError && (
          <Alert color="red" role="alert">
            {fileError}
          </Alert>
        )}
        {file && (
          <>
            <Group gap="xs">
              <Text>{t('account.fileFor')}</Text>
              <Hash value={file.key} />
            </Group>
            <PassphraseField
              label={t('account.passphrase')}
              {...sealed.field}
              autoComplete="current-password"
              testId="restore-passphrase"
            />
            <div>
              <Button type="submit" loading={sealed.busy}>
                {t('account.restore')}
              </Button>
            </div>
          </>
        )}
      </Stack>
    </form>
  );
}

/** Opens the stored key for this tab with its passphrase. */
export function UnlockForm(props: { stored: StoredKey; onUnlocked?: () => void }) {
  const { t } = useTranslation('applicant');
  const sealed = useOpenSealed();

  function submit(e: FormEvent) {
    e.preventDefault();
    void sealed.open(props.stored, (seed) => {
      sealed.clear();
      unlock(seed);
      props.onUnlocked?.();
    });
  }

  return (
    <form ref={sealed.form} onSubmit={submit} noValidate aria-labelledby="unlock-title">
      <Stack gap="md">
        <Title order={2} id="unlock-title">
          {t('account.unlockTitle')}
        </Title>
        <Text>{t('account.unlockText')}</Text>
        <Group gap="xs">
          <Text>{t('account.yourKey')}</Text>
          <Hash value={props.stored.key} />
        </Group>
        <PassphraseField
          label={t('account.passphrase')}
          {...sealed.field}
          autoComplete="current-password"
          testId="unlock-passphrase"
        />
        <div>
          <Button type="submit" loading={sealed.busy}>
            {t('account.unlock')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

/** Removes the key from this browser, after saying what that means. */
export function ForgetDevice() {
  const { t } = useTranslation('applicant');
  const stored = useStoredKey();
  const { t: common } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('account.forget')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('account.forgetTitle')}
        closeButtonProps={{ 'aria-label': common('actions.close') }}
      >
        <Stack>
          <Text>{t('account.forgetText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('account.cancel')}
            </Button>
            <Button
              color="red.9"
              onClick={() => {
                if (stored) forgetNotes(stored.key);
                lock();
                forgetStoredKey();
                storedKeyChanged();
                setOpen(false);
              }}
            >
              {t('account.forgetConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
