/**
 * On a funded case's page, for the paying organisation's finance officers: disburse this one case
 * (`cases.disburse`, the payment reference in its private part).
 */
import { useState, type FormEvent } from 'react';
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { caseReference, type CaseRecord } from '@sdk';
import { Section } from '../../components/Section';
import { useSignedAction } from '../api';
import { Refusal } from '../parts';
import { useStaffSession } from '../session';
import { PAYMENT_REFERENCE, paymentReference } from './DisburseQueue';
import { useMoneyRefusal } from './refusal';

export function DisbursePanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('finance');
  const s = useStaffSession();
  const refusal = useMoneyRefusal();
  const action = useSignedAction();
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | undefined>();
  const { rec } = props;
  if (rec.owner !== s?.viewer?.org) return null;
  if (rec.state !== 'funded' && action.state.kind !== 'done') return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = reference.trim();
    if (!PAYMENT_REFERENCE.test(r)) {
      setError(t('queue.referenceInvalid'));
      return;
    }
    setError(undefined);
    await action.run({
      type: 'cases.disburse',
      payload: { case: rec.id },
      facts: { reference: paymentReference(r, rec.id) },
    });
  }

  return (
    <Section id="disburse-title" title={t('panel.title')}>
      {action.state.kind === 'done' ? (
        <Text role="status" data-testid="disburse-done">
          {t('panel.done', { ref: caseReference(rec.id) })}
        </Text>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm" maw={520}>
            <Text>{t('panel.intro')}</Text>
            <TextInput
              label={t('queue.reference')}
              description={t('queue.referenceHelp')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={error}
              aria-invalid={error !== undefined}
              maxLength={100}
              autoComplete="off"
              data-testid="disburse-reference"
            />
            <Group>
              <Button
                type="submit"
                loading={action.state.kind === 'busy'}
                data-testid="disburse-one"
              >
                {t('panel.disburse')}
              </Button>
            </Group>
            {action.state.kind === 'failed' && (
              <Refusal testId="disburse-refused">
                {refusal(action.state.error ?? action.state.code)}
              </Refusal>
            )}
          </Stack>
        </form>
      )}
    </Section>
  );
}
