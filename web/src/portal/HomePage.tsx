/**
 * The portal: every program's money at a glance, the totals, where the money goes, and the
 * latest donations and payments to hospitals.
 */
import './words';
import { Anchor, Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PublicProgramSummary } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { useActivity, usePrograms, usePublicPrograms } from './api';
import { DisbursementsTable, DonationsTable } from './ActivityTables';
import { FlowSection } from './FlowSection';
import { Loaded } from './Loaded';
import { ProgramCard } from './ProgramCard';
import { FigureList, type Figures } from './ProgramFigures';
import './portal.css';

/** The programs' money added up, currency by currency. */
function totals(programs: PublicProgramSummary[]): Figures[] {
  const out = new Map<string, Figures>();
  const add = (a: string, b: string) => (BigInt(a) + BigInt(b)).toString();
  for (const p of programs) {
    const t = out.get(p.currency);
    out.set(
      p.currency,
      t
        ? {
            currency: p.currency,
            budget: add(t.budget, p.budget),
            received: add(t.received, p.received),
            committed: add(t.committed, p.committed),
            paid: add(t.paid, p.paid),
            available: add(t.available, p.available),
          }
        : {
            currency: p.currency,
            budget: p.budget,
            received: p.received,
            committed: p.committed,
            paid: p.paid,
            available: p.available,
          },
    );
  }
  return [...out.values()];
}

function Terms() {
  const { t } = useTranslation('portal');
  const { t: tc } = useTranslation();
  const terms = [
    ['received', t('home.termReceived')],
    ['committed', t('home.termCommitted')],
    ['paid', t('home.termPaid')],
    ['available', t('home.termAvailable')],
  ] as const;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {t('home.terms')}
      </Title>
      <dl className="facts">
        {terms.map(([k, text]) => (
          <div key={k}>
            <dt>{tc(`money.${k}`)}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </Stack>
  );
}

function Programs() {
  const { t } = useTranslation('portal');
  const money = usePublicPrograms();
  const programs = usePrograms();
  return (
    <Loaded query={money}>
      {(summaries) => (
        <Loaded query={programs}>
          {(views) => {
            const all = totals(summaries);
            return (
              <Stack gap="lg">
                {all.map((f) => (
                  <Card
                    key={f.currency}
                    withBorder
                    padding="lg"
                    component="section"
                    aria-labelledby={`totals-${f.currency}`}
                    data-testid={`totals-${f.currency}`}
                  >
                    <Title order={2} size="h4" id={`totals-${f.currency}`} mb="sm">
                      {all.length > 1
                        ? t('home.totalsIn', { currency: f.currency })
                        : t('home.totals')}
                    </Title>
                    <FigureList figures={f} />
                  </Card>
                ))}
                <Section id="programs-title" title={t('home.programs')}>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
                    {summaries.map((m) => {
                      const view = views.find((v) => v.id === m.id);
                      return view ? <ProgramCard key={m.id} program={view} money={m} /> : null;
                    })}
                  </SimpleGrid>
                  <Terms />
                </Section>
              </Stack>
            );
          }}
        </Loaded>
      )}
    </Loaded>
  );
}

function Recent() {
  const { t } = useTranslation('portal');
  const activity = useActivity(5);
  return (
    <>
      <Section id="recent-donations" title={t('home.recentDonations')}>
        <Loaded query={activity}>
          {(a) => <DonationsTable donations={a.donations} caption={t('home.recentDonations')} />}
        </Loaded>
        <Text>
          <Anchor component={Link} to="/donations">
            {t('home.allDonations')}
          </Anchor>
        </Text>
      </Section>
      <Section id="recent-disbursements" title={t('home.recentDisbursements')}>
        <Loaded query={activity}>
          {(a) => (
            <DisbursementsTable
              disbursements={a.disbursements}
              caption={t('home.recentDisbursements')}
            />
          )}
        </Loaded>
      </Section>
    </>
  );
}

/**
 * For families: applying for aid, first on a phone (where the donors' figures would otherwise
 * fill the first screens), after the introduction on a wider screen.
 */
function ApplyCard() {
  const { t } = useTranslation('family');
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-labelledby="apply-title"
      className="home-apply"
    >
      <Stack gap="sm">
        <Title order={2} size="h3" id="apply-title">
          {t('home.applyTitle')}
        </Title>
        <Text>{t('home.applyText')}</Text>
        <div>
          <Button component={Link} to="/me/apply" size="md">
            {t('home.apply')}
          </Button>
        </div>
      </Stack>
    </Card>
  );
}

export function HomePage() {
  const { t } = useTranslation('portal');
  return (
    <Page title={t('home.title')}>
      <ApplyCard />
      <Text size="lg">{t('home.intro')}</Text>
      <Programs />
      <FlowSection />
      <Recent />
    </Page>
  );
}
