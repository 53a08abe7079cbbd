/**
 * The member's own key: who it signs as, its fingerprint, a backup of the sealed key, locking,
 * and key rotation — a new key made and sealed here, proven (`pop` for the member's own id) and
 * moved to by `membership.rotateKey` signed with the current key, after which the old key signs
 * nothing more.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { proveKey, publicKeyFromSeed, randomSeed, toHex } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { useOrgName } from '../applicant/shared';
import { useSignedAction } from './api';
import { keyFileText, sealSeed, storedKey, storeKey } from './keystore';
import {
  downloadText,
  Fingerprint,
  Refusal,
  RoleList,
  useNewPassphrase,
  useRefusal,
} from './parts';
import { chainId, lock, movingKey, storedKeyChanged, switchSeed, useStaffSession } from './session';

export function KeyPage() {
  const { t } = useTranslation('staff');
  const orgName = useOrgName();
  const s = useStaffSession();
  const v = s?.viewer;
  if (!s || !v) return null;
  const stored = storedKey();
  return (
    <Page title={t('key.title')}>
      <dl className="staff-facts" data-testid="my-key">
        <dt>{t('key.member')}</dt>
        <dd className="mono">{v.member}</dd>
        <dt>{t('key.org')}</dt>
        <dd>{orgName(v.org)}</dd>
        <dt>{t('key.roles')}</dt>
        <dd>
          <RoleList roles={v.roles} />
        </dd>
        <dt>{t('key.fingerprint')}</dt>
        <dd>
          <Fingerprint value={s.key} testId="my-fingerprint" />
        </dd>
      </dl>
      <Group gap="sm">
        {stored?.key === s.key && (
          <Button
            variant="default"
            onClick={() =>
              downloadText(`aidledger-staff-key-${s.key.slice(0, 8)}.json`, keyFileText(stored))
            }
          >
            {t('key.downloadBackup')}
          </Button>
        )}
        <Button variant="default" onClick={lock}>
          {t('frame.lock')}
        </Button>
      </Group>
      <Rotate member={v.member} />
    </Page>
  );
}

function Rotate(props: { member: string }) {
  const { t } = useTranslation('staff');
  const refusal = useRefusal();
  const action = useSignedAction();
  const np = useNewPassphrase();
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!np.check()) return;
    setBusy(true);
    setFailure(null);
    setDone(null);
    const seed = randomSeed();
    try {
      // Sealed before the ledger hears of it, so the new key is never one this device lost.
      const file = await sealSeed(seed, np.pass);
      const key = toHex(publicKeyFromSeed(seed));
      const pop = proveKey(await chainId(), props.member, seed);
      const ok = await movingKey(async () => {
        if (!(await action.run({ type: 'membership.rotateKey', payload: { key, pop } })))
          return false;
        storeKey({ ...file, member: props.member });
        storedKeyChanged();
        await switchSeed(new Uint8Array(seed));
        return true;
      });
      if (!ok) return;
      setDone(key);
      np.clear();
    } catch (err) {
      setFailure(refusal(err));
    } finally {
      seed.fill(0);
      setBusy(false);
    }
  }

  return (
    <Section id="rotate-title" title={t('key.rotateTitle')}>
      <Text>{t('key.rotateText')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm" maw={420}>
          {np.fields('rotate')}
          <Group>
            <Button type="submit" loading={busy} data-testid="rotate-submit">
              {t('key.rotate')}
            </Button>
          </Group>
        </Stack>
      </form>
      {action.state.kind === 'failed' && (
        <Refusal>{refusal(action.state.error ?? action.state.code)}</Refusal>
      )}
      {failure && <Refusal>{failure}</Refusal>}
      {done && (
        <Alert color="brand" title={t('key.rotatedTitle')} data-testid="rotated">
          {t('key.rotatedText')} <Fingerprint value={done} />
        </Alert>
      )}
    </Section>
  );
}
