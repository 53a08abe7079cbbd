/**
 * "Where the money goes": the fund-flow diagram (loaded lazily) and, beside it, a table of the
 * same flows, the accessible form of the diagram.
 */
import './words';
import { lazy, Suspense } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FundFlow } from '@sdk';
import { Money } from '../components/Money';
import { Empty, Loading } from '../components/Status';
import { Section } from '../components/Section';
import { useOrgs } from '../lib/api';
import { useFlows, usePrograms } from './api';
import { byCurrency, flowCounts } from './flow-model';
import { useFlowLabel } from './flow-words';
import { Loaded } from './Loaded';
import { ScrollTable } from './ScrollTable';

const FlowChart = lazy(() => import('./FlowChart'));

function FlowTable(props: { flows: FundFlow[]; currency: string; caption: string }) {
  const { t } = useTranslation('portal');
  const label = useFlowLabel();
  return (
    <ScrollTable minWidth={760} label={props.caption}>
      <Table captionSide="top" striped data-testid="flow-table">
        <Table.Caption ta="left">{props.caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('flows.from')}</Table.Th>
            <Table.Th scope="col">{t('flows.to')}</Table.Th>
            <Table.Th scope="col" className="num">
              {t('flows.amount')}
            </Table.Th>
            <Table.Th scope="col" className="num">
              {t('flows.committed')}
            </Table.Th>
            <Table.Th scope="col" className="num">
              {t('flows.paid')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.flows.map((f, i) => (
            <Table.Tr key={i}>
              <Table.Td>{label(f.from)}</Table.Td>
              <Table.Td>{label(f.to)}</Table.Td>
              <Table.Td className="num" data-amount={f.amount}>
                <Money amount={f.amount} currency={props.currency} />
              </Table.Td>
              <Table.Td className="num">
                {f.committed !== undefined && (
                  <Money amount={f.committed} currency={props.currency} />
                )}
              </Table.Td>
              <Table.Td className="num">
                {f.paid !== undefined && <Money amount={f.paid} currency={props.currency} />}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function CurrencyFlows(props: { flows: FundFlow[]; currency: string; many: boolean }) {
  const { t } = useTranslation('portal');
  const label = useFlowLabel();
  const counts = flowCounts(props.flows);
  const caption = props.many ? `${t('flows.table')} (${props.currency})` : t('flows.table');
  return (
    <Stack gap="lg">
      {/* On a phone the diagram keeps a readable width and scrolls sideways (its labels
          would otherwise overlap); the table below says the same in rows. */}
      <Text size="sm" hiddenFrom="sm">
        {t('flows.swipe')}
      </Text>
      <div className="flow-chart-scroll" tabIndex={0} role="group" aria-label={t('flows.scroller')}>
        <Suspense fallback={<Loading />}>
          <FlowChart
            flows={props.flows}
            currency={props.currency}
            label={label}
            ariaLabel={t('flows.chart', {
              sources: counts.sources,
              programs: counts.programs,
              hospitals: counts.hospitals,
            })}
          />
        </Suspense>
      </div>
      <FlowTable flows={props.flows} currency={props.currency} caption={caption} />
    </Stack>
  );
}

export function FlowSection() {
  const { t } = useTranslation('portal');
  const flows = useFlows();
  // Names for the diagram's ends: the programs' and the organisations'.
  const programs = usePrograms();
  const orgs = useOrgs();
  return (
    <Section id="flows-title" title={t('flows.title')}>
      <Text>{t('flows.intro')}</Text>
      <Loaded query={flows}>
        {(all) => {
          if (programs.isPending || orgs.isPending) return <Loading />;
          const groups = byCurrency(all);
          if (groups.size === 0) return <Empty text={t('flows.empty')} />;
          return [...groups].map(([currency, list]) => (
            <CurrencyFlows key={currency} flows={list} currency={currency} many={groups.size > 1} />
          ));
        }}
      </Loaded>
    </Section>
  );
}
