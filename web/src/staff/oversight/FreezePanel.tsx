/**
 * On a case's page, for regulators: freeze the case (`audit.freeze`) or lift the freeze
 * (`audit.unfreeze`), each with a published reason code and, if they wish, a note of their own in
 * the private part. While frozen nothing moves: no step of the case, no payment. Only the
 * organisation that placed a freeze lifts it (or a regulator citing an adopted consortium
 * proposal), so the page says whose freeze it is before offering to lift it.
 */
import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FREEZE_REASONS, getCase, UNFREEZE_REASONS, type CaseRecord } from '@sdk';
import { client } from '../../lib/api';
import { useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { When } from '../../components/When';
import { cap, useOrgName } from '../../applicant/shared';
import { useStaffQuery, useSignedAction } from '../api';
import { Refusal } from '../parts';
import { useStaffSession } from '../session';
import { useMoneyRefusal } from '../finance/refusal';

export function FreezePanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('oversight');
  const { lang } = useLocale();
  const orgName = useOrgName();
  const s = useStaffSession();
  const refusal = useMoneyRefusal();
  const action = useSignedAction();
  const view = useStaffQuery(['case', props.rec.id], (tok) => getCase(client, tok, props.rec.id));
  const frozen = view.data?.frozen;
  const reasons = frozen ? UNFREEZE_REASONS : FREEZE_REASONS;
  const first = Object.keys(reasons)[0]!;
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const chosen = reason in reasons ? reason : first;
  const reasonName = (code: string) => {
    const names = (FREEZE_REASONS as Record<string, Record<string, string>>)[code];
    return names ? cap(names[lang] ?? code, lang) : code;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await action.run({
      type: frozen ? 'audit.unfreeze' : 'audit.freeze',
      payload: { target: { kind: 'case', id: props.rec.id }, reason: chosen },
      ...(note.trim() !== '' ? { facts: { note: note.trim() } } : {}),
    });
    if (ok) {
      setNote('');
      setReason('');
    }
  }

  if (view.isPending) return null;
  const mayLift = frozen === undefined || frozen.org === s?.viewer?.org;
  return (
    <Section id="freeze-title" title={t('freeze.title')}>
      <Text data-testid="freeze-status">
        {frozen ? (
          <>
            {t('freeze.frozenBefore')} <span className="mono">{frozen.by}</span>{' '}
            {t('freeze.frozenAfter', {
              org: orgName(frozen.org),
              reason: reasonName(frozen.reason),
            })}{' '}
            <When ms={frozen.time} withTime />
          </>
        ) : (
          t('freeze.notFrozen')
        )}
      </Text>
      {!mayLift ? (
        <Text data-testid="freeze-not-ours">
          {t('freeze.notOurs', { org: frozen ? orgName(frozen.org) : '' })}
        </Text>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="sm" maw={520}>
            <NativeSelect
              label={frozen ? t('freeze.unfreezeReason') : t('freeze.freezeReason')}
              value={chosen}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-testid="freeze-reason"
            >
              {Object.entries(reasons).map(([code, names]) => (
                <option key={code} value={code}>
                  {cap((names as Record<string, string>)[lang] ?? code, lang)}
                </option>
              ))}
            </NativeSelect>
            <Textarea
              label={t('freeze.note')}
              description={t('freeze.noteHelp')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={2}
              data-testid="freeze-note"
            />
            <Group>
              <Button
                type="submit"
                {...(frozen ? {} : { color: 'red.9' })}
                loading={action.state.kind === 'busy'}
                data-testid={frozen ? 'unfreeze-submit' : 'freeze-submit'}
              >
                {frozen ? t('freeze.unfreeze') : t('freeze.freeze')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {action.state.kind === 'done' && (
        <Text role="status" data-testid="freeze-done">
          {t('freeze.done')}
        </Text>
      )}
      {action.state.kind === 'failed' && (
        <Refusal testId="freeze-refused">
          {refusal(action.state.error ?? action.state.code)}
        </Refusal>
      )}
    </Section>
  );
}
