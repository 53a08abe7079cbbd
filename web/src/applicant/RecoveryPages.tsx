/**
 * Getting back into an account, without any secret kept by a server:
 * - `/me/sheet`: a one-page recovery sheet to print (a QR code holding the sealed key as a link,
 *   with instructions), offered when the account is made;
 * - `/me/restore#k=…`: where that QR code leads on another phone: the passphrase opens the key;
 * - `/me/new-phone`: for a family who lost the phone or the passphrase: a new account's key as a
 *   QR code and a short check text, to show the hospital's social worker, who moves the open case
 *   to it on the ledger (`cases.recover`) after checking the patient's identity in person.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Group, List, PasswordInput, Stack, Text, Title } from '@mantine/core';
import QRCode from 'qrcode';
import { Link, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { KeyError, openSeed, storeKey, type KeyFile } from './keystore';
import { keyFromFragment, recoveryLink } from './recovery-link';
import { storedKeyChanged, unlock, useStoredKey, useUnlocked } from './session';
import { useRefusalText } from './shared';

/** A QR code drawn in the browser (nothing leaves the page to draw it). */
export function QrImage(props: { value: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(props.value, { errorCorrectionLevel: 'M', margin: 2, width: 320 }).then(
      (s) => live && setSrc(s),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [props.value]);
  if (!src) return <div className="qr-box" aria-hidden="true" />;
  return (
    <img
      src={src}
      alt={props.alt}
      className="qr-box"
      data-testid={props.testId}
      data-value={props.value}
    />
  );
}

/** A key's short check text: the first twelve hex digits in groups of four. */
export function keyCheckText(key: string): string {
  return key
    .slice(0, 12)
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

export function RecoverySheetPage() {
  const { t } = useTranslation('family');
  const stored = useStoredKey();
  if (!stored)
    return (
      <Page title={t('sheet.title')}>
        <Text>{t('sheet.noKey')}</Text>
        <div>
          <Button component={Link} to="/me">
            {t('sheet.toAccount')}
          </Button>
        </div>
      </Page>
    );
  return <RecoverySheet file={stored} />;
}

function RecoverySheet(props: { file: KeyFile }) {
  const { t } = useTranslation('family');
  const link = recoveryLink(window.location.origin, props.file);
  return (
    <Page title={t('sheet.title')}>
      <div className="recovery-sheet" data-testid="recovery-sheet">
        <Stack gap="sm">
          <Text>{t('sheet.intro')}</Text>
          <QrImage value={link} alt={t('sheet.qrAlt')} testId="sheet-qr" />
          <Text size="sm">{t('sheet.accountCheck', { check: keyCheckText(props.file.key) })}</Text>
          <Title order={2} size="h4">
            {t('sheet.howTitle')}
          </Title>
          <List type="ordered" spacing={4}>
            <List.Item>{t('sheet.how1')}</List.Item>
            <List.Item>{t('sheet.how2')}</List.Item>
            <List.Item>{t('sheet.how3')}</List.Item>
          </List>
          <Text>{t('sheet.passphraseNote')}</Text>
          <Text>{t('sheet.lostNote')}</Text>
        </Stack>
      </div>
      <Group gap="sm" className="no-print">
        <Button onClick={() => window.print()}>{t('sheet.print')}</Button>
        <Button component={Link} to="/me" variant="default">
          {t('sheet.toAccount')}
        </Button>
      </Group>
    </Page>
  );
}

/** Where a recovery sheet's QR code leads: the passphrase opens the key on this phone. */
export function RestoreFromSheetPage() {
  const { t } = useTranslation('family');
  const { t: ta } = useTranslation('applicant');
  const refusal = useRefusalText();
  const location = useLocation();
  const navigate = useNavigate();
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const stored = useStoredKey();
  let file: KeyFile | undefined;
  let bad: string | undefined;
  try {
    file = keyFromFragment(location.hash);
  } catch (e) {
    bad = refusal(e instanceof KeyError ? e : new KeyError('bad-file'));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    if (pass === '') {
      setError(ta('account.enterPassphrase'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const seed = await openSeed(file, pass);
      storeKey({ ...file, registered: false });
      storedKeyChanged();
      unlock(seed);
      // The key leaves the address bar (and the history entry) once it is on the device.
      void navigate('/me', { replace: true });
    } catch (err) {
      setError(refusal(err));
      setBusy(false);
    }
  }

  return (
    <Page title={t('restore.title')}>
      {bad ? (
        <Alert color="red" role="note">
          {bad}
        </Alert>
      ) : (
        <Card withBorder maw={640}>
          <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="sheet-restore-title">
            <Stack gap="md">
              <Title order={2} size="h3" id="sheet-restore-title">
                {t('restore.heading')}
              </Title>
              <Text>{t('restore.text')}</Text>
              {stored && file && stored.key !== file.key && (
                <Alert color="orange" role="note" data-testid="restore-replaces">
                  {t('restore.replaces', {
                    other: keyCheckText(stored.key),
                    check: keyCheckText(file.key),
                  })}
                </Alert>
              )}
              <PasswordInput
                visibilityToggleButtonProps={{ 'aria-label': ta('account.togglePassphrase') }}
                label={ta('account.passphrase')}
                value={pass}
                onChange={(e) => setPass(e.currentTarget.value)}
                error={error}
                aria-invalid={error !== undefined}
                autoComplete="current-password"
                required
                data-testid="sheet-passphrase"
              />
              <div>
                <Button type="submit" loading={busy}>
                  {ta('account.restore')}
                </Button>
              </div>
            </Stack>
          </form>
        </Card>
      )}
    </Page>
  );
}

/** What a family shows the hospital's social worker to have their case moved to this phone. */
export function NewPhonePage() {
  const { t } = useTranslation('family');
  const stored = useStoredKey();
  const unlocked = useUnlocked();
  const key = unlocked?.key ?? stored?.key;
  return (
    <Page title={t('newPhone.title')}>
      <Stack gap="sm" maw={640}>
        <Text>{t('newPhone.intro')}</Text>
        {key ? (
          <Card withBorder>
            <Stack gap="sm" align="flex-start">
              <Text fw={600}>{t('newPhone.show')}</Text>
              <QrImage value={key} alt={t('newPhone.qrAlt')} testId="new-phone-qr" />
              <Text>
                {t('newPhone.check')}{' '}
                <span className="mono case-reference" data-testid="new-phone-check">
                  {keyCheckText(key)}
                </span>
              </Text>
              <Text
                size="sm"
                className="mono"
                style={{ overflowWrap: 'anywhere' }}
                data-testid="new-phone-key"
              >
                {key}
              </Text>
            </Stack>
          </Card>
        ) : (
          <Stack gap="xs">
            <Text>{t('newPhone.makeFirst')}</Text>
            <div>
              <Button component={Link} to="/me?next=%2Fme%2Fnew-phone">
                {t('newPhone.make')}
              </Button>
            </div>
          </Stack>
        )}
        <Title order={2} size="h4">
          {t('newPhone.thenTitle')}
        </Title>
        <List type="ordered" spacing={4}>
          <List.Item>{t('newPhone.then1')}</List.Item>
          <List.Item>{t('newPhone.then2')}</List.Item>
          <List.Item>{t('newPhone.then3')}</List.Item>
        </List>
        <div>
          <Button component={Link} to="/me" variant="default">
            {t('sheet.toAccount')}
          </Button>
        </div>
      </Stack>
    </Page>
  );
}
