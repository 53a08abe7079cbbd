/**
 * The finance officer's workspace (`/staff/finance`): what each program holds, has committed and
 * has paid; the queue of funded and waitlisted cases, paid singly or as a batch; the bank files of
 * a disbursed batch; and money coming in, as donations and budget allocations.
 */
import { useState } from 'react';
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { programs } from '@sdk';
import { client } from '../../lib/api';
import { useLocale } from '../../lib/locale-context';
import { Page } from '../../components/Page';
import { ErrorNotice, Loading } from '../../components/Status';
import { useStaffQuery } from '../api';
import { useStaffSession } from '../session';
import { BankExport } from './BankExport';
import { DisburseQueue } from './DisburseQueue';
import { AllocationForm, DonationForm } from './MoneyIn';
import { ProgramFigures } from './ProgramFigures';

export function FinancePage() {
  const { t } = useTranslation('finance');
  const { lang } = useLocale();
  const s = useStaffSession();
  const org = s?.viewer?.org ?? '';
  // Under the staff keys, so that every signed action refreshes the figures.
  const list = useStaffQuery(['finance-programs', lang], () => programs(client, lang));
  const [batch, setBatch] = useState<string[]>([]);
  if (list.isPending)
    return (
      <Page title={t('title')}>
        <Loading />
      </Page>
    );
  if (list.isError)
    return (
      <Page title={t('title')}>
        <ErrorNotice error={list.error} retry={() => void list.refetch()} />
      </Page>
    );
  const own = list.data.filter((p) => p.owner === org);
  return (
    <Page title={t('title')}>
      <Text>{t('intro')}</Text>
      <ProgramFigures programs={list.data} org={org} />
      <DisburseQueue programs={own} onDisbursed={setBatch} />
      <BankExport programs={own} preselect={batch} />
      <DonationForm programs={own} org={org} />
      <AllocationForm programs={own} />
    </Page>
  );
}
