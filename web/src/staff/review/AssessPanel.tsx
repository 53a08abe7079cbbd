/**
 * The assessment of a verified case by the program's rules (`cases.assess`): a reviewer, manager or
 * operator of the program's organisation fetches the private parts the assessment must carry
 * (`GET /v1/cases/{id}/sources`) and signs them as its private part; the contract checks each
 * against its commitment, evaluates the rules and decides — automatically, or for review.
 */
import { useState } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { caseSources, type CaseRecord } from '@sdk';
import { client } from '../../lib/api';
import { Section } from '../../components/Section';
import { useSignedAction } from '../api';
import { useStaffSession, withToken } from '../session';
import { Refusal } from '../parts';
import { assessGate } from './gate';
import { useActionRefusal } from './words';

export function AssessPanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('review');
  const s = useStaffSession();
  const refusal = useActionRefusal();
  const action = useSignedAction();
  const [readFailed, setReadFailed] = useState<unknown>();
  const v = s?.viewer;
  const { rec } = props;
  if (!v || rec.state !== 'verified' || v.org !== rec.owner) return null;
  const block = assessGate(rec, v);

  async function assess() {
    setReadFailed(undefined);
    let sources: Record<string, unknown>;
    try {
      sources = await withToken((tok) => caseSources(client, tok, rec.id));
    } catch (e) {
      setReadFailed(e);
      return;
    }
    await action.run({ type: 'cases.assess', payload: { case: rec.id }, facts: sources });
  }

  return (
    <Section small id="assess-title" title={t('assess.title')}>
      <Stack gap="sm" data-testid="assess-panel">
        <Text>{t('assess.intro')}</Text>
        {block !== undefined && (
          <Alert color="orange" title={t('block.title')} data-testid="assess-blocked">
            {t(`block.${block}`)} <span className="mono">({block})</span>
          </Alert>
        )}
        <div>
          <Button
            onClick={() => void assess()}
            disabled={block !== undefined}
            loading={action.state.kind === 'busy'}
            data-testid="assess-submit"
          >
            {t('assess.submit')}
          </Button>
        </div>
        {readFailed !== undefined && (
          <Refusal testId="assess-refused">{refusal(readFailed)}</Refusal>
        )}
        {action.state.kind === 'failed' && (
          <Refusal testId="assess-refused">{refusal(action.state.code)}</Refusal>
        )}
      </Stack>
    </Section>
  );
}
