/** The member's work queue: the cases in the states that wait for their roles. */
import { useTranslation } from 'react-i18next';
import { Text } from '@mantine/core';
import { Page } from '../components/Page';
import { queueStates } from './roles';
import { useStaffSession } from './session';
import { WorkQueue } from './WorkQueue';

export function QueuePage() {
  const { t } = useTranslation('staff');
  const s = useStaffSession();
  const v = s?.viewer;
  const states = v ? queueStates(v.roles, v.orgType) : undefined;
  return (
    <Page title={t('queue.title')}>
      <Text>{states && states.length === 0 ? t('queue.introAll') : t('queue.intro')}</Text>
      {states !== undefined && <WorkQueue states={states} />}
    </Page>
  );
}
