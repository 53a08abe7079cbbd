/**
 * Where a donation (or a budget allocation) went: the donation itself, the programs' lots it
 * became, and each application it paid for, anonymised, with every step's transaction and a link
 * to verify it.
 */
import './words';
import type { ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AidError, STATE_LABELS, type DonationTrace } from '@sdk';
import { Hash } from '../components/Hash';
import { Money } from '../components/Money';
import { Page } from '../components/Page';
import { When } from '../components/When';
import { useFormats } from '../lib/locale-context';
import { useTrace } from './api';
import { DonationTarget } from './ActivityTables';
import { Loaded } from './Loaded';
import { DonorName, OrgName, useProgramName } from './names';
import { TxLink } from './TxLink';
import './portal.css';

type TraceLot = DonationTrace['lots'][number];
type TraceCase = TraceLot['cases'][number];

/** A transaction: its id, linked to the explorer, and a link to verify its receipt. */
function TxLinks(props: { tx: string }) {
  const { t } = useTranslation('portal');
  return (
    <Group gap="sm" wrap="wrap">
      <TxLink tx={props.tx} />
      <Anchor
        component={Link}
        to={`/verify/${props.tx}`}
        aria-label={t('trace.verifyTx', { tx: props.tx })}
        size="sm"
      >
        {t('trace.verify')}
      </Anchor>
    </Group>
  );
}

function Fact(props: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function Summary(props: { trace: DonationTrace; currency: string }) {
  const { t } = useTranslation('portal');
  const d = props.trace;
  const isDonation = d.kind === 'donation';
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="summary-title">
      <Title order={2} size="h3" id="summary-title" mb="sm">
        {isDonation ? t('trace.donation') : t('trace.allocation')}
      </Title>
      <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: 3 }} className="facts" spacing="md">
        <Fact term={t('trace.amount')}>
          <Text fw={700} size="lg" component="span" data-amount={d.amount}>
            <Money amount={d.amount} currency={props.currency} />
          </Text>
        </Fact>
        <Fact term={t('trace.date')}>
          <When ms={d.time} withTime />
        </Fact>
        {isDonation && d.donor && (
          <Fact term={t('trace.donor')}>
            <DonorName donor={d.donor} />
          </Fact>
        )}
        <Fact term={isDonation ? t('trace.receivedBy') : t('trace.allocatedBy')}>
          <OrgName id={d.org} />
        </Fact>
        <Fact term={t('trace.for')}>
          {d.program === null ? t('trace.general') : <DonationTarget donation={d} />}
        </Fact>
        <Fact term={t('trace.spent')}>
          <Money amount={d.spent} currency={props.currency} />
        </Fact>
        {d.program === null && d.unassigned !== undefined && (
          <Fact term={t('trace.unassigned')}>
            <Money amount={d.unassigned} currency={props.currency} />
          </Fact>
        )}
        <Fact term={t('trace.tx')}>
          <TxLinks tx={d.id} />
        </Fact>
      </SimpleGrid>
    </Card>
  );
}

function CaseCard(props: { c: TraceCase; currency: string }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const c = props.c;
  return (
    <Card withBorder padding="md" component="article" data-testid="trace-case">
      <SimpleGrid component="dl" cols={2} spacing="sm" verticalSpacing={0} className="facts">
        <Fact term={t('trace.case')}>
          <Hash value={c.case} />
        </Fact>
        <Fact term={t('trace.share')}>
          <Money amount={c.amount} currency={props.currency} />
        </Fact>
        <Fact term={t('trace.hospital')}>
          <OrgName id={c.hospital} />
        </Fact>
        <Fact term={t('trace.state')}>
          <span className="cap-block">{fmt.name(STATE_LABELS[c.state], c.state)}</span>
        </Fact>
      </SimpleGrid>
      {c.steps.length > 0 && (
        <>
          <Text size="sm" c="dimmed" mb={6}>
            {t('trace.steps')}
          </Text>
          <Timeline active={c.steps.length - 1} bulletSize={14} lineWidth={2}>
            {c.steps.map((s) => (
              <Timeline.Item
                key={s.tx + s.state}
                title={
                  <span className="cap-block">{fmt.name(STATE_LABELS[s.state], s.state)}</span>
                }
              >
                <Stack gap={2}>
                  <Text size="sm">
                    <When ms={s.time} withTime />
                  </Text>
                  <TxLinks tx={s.tx} />
                </Stack>
              </Timeline.Item>
            ))}
          </Timeline>
        </>
      )}
    </Card>
  );
}

function Lot(props: { lot: TraceLot; currency: string; index: number }) {
  const { t } = useTranslation('portal');
  const l = props.lot;
  const titleId = `lot-${props.index}`;
  return (
    <Stack component="section" aria-labelledby={titleId} gap="sm">
      <Title order={3} id={titleId}>
        <ProgramLot program={l.program} lot={l.lot} />
      </Title>
      <SimpleGrid component="dl" cols={{ base: 1, xs: 3 }} className="facts" spacing="md">
        <Fact term={t('trace.amount')}>
          <Money amount={l.amount} currency={props.currency} />
        </Fact>
        <Fact term={t('trace.remaining')}>
          <Money amount={l.remaining} currency={props.currency} />
        </Fact>
        <Fact term={t('trace.returned')}>
          <Money amount={l.returned} currency={props.currency} />
        </Fact>
      </SimpleGrid>
      <Title order={4}>{t('trace.cases')}</Title>
      {l.cases.length === 0 ? (
        <Text>{t('trace.noCases')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {l.cases.map((c) => (
            <CaseCard key={c.case} c={c} currency={props.currency} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** "<program>, lot <n>" with the program's name in the reader's language. */
function ProgramLot(props: { program: string; lot: number }) {
  const { t } = useTranslation('portal');
  const programName = useProgramName();
  return (
    <>{t('trace.lot', { program: programName(props.program) ?? props.program, lot: props.lot })}</>
  );
}

function TraceBody(props: { trace: DonationTrace }) {
  const { t } = useTranslation('portal');
  const d = props.trace;
  const currency = d.currency ?? '';
  return (
    <Page title={d.kind === 'donation' ? t('trace.title') : t('trace.titleAllocation')}>
      <Summary trace={d} currency={currency} />
      <Stack component="section" aria-labelledby="lots-title" gap="md">
        <Title order={2} id="lots-title">
          {t('trace.lots')}
        </Title>
        <Text>{t('trace.lotsIntro')}</Text>
        <Text>{t('trace.casesIntro')}</Text>
        {d.lots.length === 0 ? (
          <Text>{t('trace.noCases')}</Text>
        ) : (
          d.lots.map((l, i) => (
            <Lot key={`${l.program}/${l.lot}`} lot={l} currency={currency} index={i} />
          ))
        )}
      </Stack>
    </Page>
  );
}

export function TracePage() {
  const { t } = useTranslation('portal');
  const { id = '' } = useParams();
  const trace = useTrace(id);
  if (trace.data) return <TraceBody trace={trace.data} />;
  const unknown =
    trace.error instanceof AidError && ['NOT_FOUND', 'BAD_REQUEST'].includes(trace.error.code);
  return (
    <Page title={t('trace.title')}>
      {unknown ? (
        <Alert color="red" variant="light" role="alert">
          <Stack gap="xs">
            <Text>{t('trace.notFound')}</Text>
            <Anchor component={Link} to="/donations">
              {t('donations.find')}
            </Anchor>
          </Stack>
        </Alert>
      ) : (
        <Loaded query={trace}>{() => null}</Loaded>
      )}
    </Page>
  );
}
