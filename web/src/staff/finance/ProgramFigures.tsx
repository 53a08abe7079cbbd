/**
 * What is committed and paid per program: the organisation's own programs with every figure of
 * its journal (budget, received, available, committed, paid, returned, cases funded and
 * waitlisted), and every program's public figures, as anyone sees them at
 * `GET /v1/public/programs` (received = available + committed + paid).
 */
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ProgramView } from '@sdk';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { ScrollTable } from '../../portal/ScrollTable';
import { useOrgName } from '../../applicant/shared';

export function ProgramFigures(props: { programs: readonly ProgramView[]; org: string }) {
  const { t } = useTranslation('finance');
  const orgName = useOrgName();
  const own = props.programs.filter((p) => p.owner === props.org);
  return (
    <Section id="figures-title" title={t('figures.title')}>
      <Text>{t('figures.intro')}</Text>
      {own.length === 0 ? (
        <Text data-testid="no-programs">{t('figures.none')}</Text>
      ) : (
        <ScrollTable minWidth={860} label={t('figures.ownLabel')}>
          <Table striped data-testid="own-figures">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('figures.program')}</Table.Th>
                <Table.Th scope="col">{t('figures.budget')}</Table.Th>
                <Table.Th scope="col">{t('figures.received')}</Table.Th>
                <Table.Th scope="col">{t('figures.available')}</Table.Th>
                <Table.Th scope="col">{t('figures.committed')}</Table.Th>
                <Table.Th scope="col">{t('figures.paid')}</Table.Th>
                <Table.Th scope="col">{t('figures.returned')}</Table.Th>
                <Table.Th scope="col">{t('figures.cases')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {own.map((p) => (
                <Table.Tr key={p.id} data-testid={`figures-${p.id}`}>
                  <Table.Th scope="row">
                    {p.name}
                    {p.frozen && <> · {t('figures.frozen')}</>}
                  </Table.Th>
                  <Table.Td>
                    <Money amount={p.budget} currency={p.currency} />
                  </Table.Td>
                  <Table.Td data-testid="figure-received">
                    <Money amount={p.received} currency={p.currency} />
                  </Table.Td>
                  <Table.Td data-testid="figure-available">
                    <Money amount={p.available} currency={p.currency} />
                  </Table.Td>
                  <Table.Td data-testid="figure-committed">
                    <Money amount={p.committed} currency={p.currency} />
                  </Table.Td>
                  <Table.Td data-testid="figure-paid">
                    <Money amount={p.paid} currency={p.currency} />
                  </Table.Td>
                  <Table.Td>
                    <Money amount={p.returned} currency={p.currency} />
                  </Table.Td>
                  <Table.Td>
                    {t('figures.caseCounts', {
                      funded: p.cases['funded'] ?? 0,
                      waitlisted: p.cases['waitlisted'] ?? 0,
                      disbursed: p.cases['disbursed'] ?? 0,
                    })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <Section id="public-figures-title" title={t('figures.publicTitle')} small>
        <ScrollTable minWidth={720} label={t('figures.publicLabel')}>
          <Table striped data-testid="public-figures">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('figures.program')}</Table.Th>
                <Table.Th scope="col">{t('figures.owner')}</Table.Th>
                <Table.Th scope="col">{t('figures.received')}</Table.Th>
                <Table.Th scope="col">{t('figures.available')}</Table.Th>
                <Table.Th scope="col">{t('figures.committed')}</Table.Th>
                <Table.Th scope="col">{t('figures.paid')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {props.programs.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Th scope="row">{p.name}</Table.Th>
                  <Table.Td>{orgName(p.owner)}</Table.Td>
                  <Table.Td>
                    <Money amount={p.received} currency={p.currency} />
                  </Table.Td>
                  <Table.Td>
                    <Money amount={p.available} currency={p.currency} />
                  </Table.Td>
                  <Table.Td>
                    <Money amount={p.committed} currency={p.currency} />
                  </Table.Td>
                  <Table.Td>
                    <Money amount={p.paid} currency={p.currency} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Section>
    </Section>
  );
}
