/** Donations: find yours by the id on the receipt, or browse the latest ones. */
import './words';
import { useState, type FormEvent } from 'react';
import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { useActivity } from './api';
import { DonationsTable } from './ActivityTables';
import { Loaded } from './Loaded';

const ID_RE = /^[0-9a-f]{64}$/;

function FindDonation() {
  const { t } = useTranslation('portal');
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = value.trim().toLowerCase();
    if (!ID_RE.test(id)) {
      setBad(true);
      return;
    }
    void navigate(`/donations/${id}`);
  };
  return (
    <Section id="find-title" title={t('donations.find')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" align="flex-start" maw={760}>
          <TextInput
            label={t('donations.idLabel')}
            description={t('donations.idHint')}
            value={value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              setBad(false);
            }}
            error={bad ? t('donations.badId') : undefined}
            autoComplete="off"
            spellCheck={false}
            classNames={{ input: 'mono' }}
            w="100%"
            data-testid="donation-id"
          />
          <Button type="submit">{t('donations.show')}</Button>
        </Stack>
      </form>
    </Section>
  );
}

export function DonationsPage() {
  const { t } = useTranslation('portal');
  const activity = useActivity(50);
  return (
    <Page title={t('donations.title')}>
      <Text size="lg">{t('donations.intro')}</Text>
      <FindDonation />
      <Section id="recent-title" title={t('donations.recent')}>
        <Loaded query={activity}>
          {(a) => <DonationsTable donations={a.donations} caption={t('donations.recent')} />}
        </Loaded>
      </Section>
    </Page>
  );
}
