/**
 * On a case's page, for regulators and auditors: the case's full audit trail — every transaction
 * whose payload names the case, accepted or refused (a duplicate claim, a wrong role, a freeze and
 * its lifting, a document read), with who signed it, their organisation, the block's time, the
 * result, and a link to the transaction in the explorer. It is read from the public log itself in
 * a Web Worker, so it shows what the ledger holds rather than what an index says it holds.
 */
import { Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueries } from '@tanstack/react-query';
import type { CaseRecord, KeyHolder } from '@sdk';
import { client } from '../../lib/api';
import { Section } from '../../components/Section';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { useOrgName } from '../../applicant/shared';
import { JobProgress } from './JobProgress';
import type { TrailEntry } from './ledger-jobs';
import { useLedgerJob } from './useLedgerJob';

function TrailTable(props: { entries: TrailEntry[] }) {
  const { t } = useTranslation('oversight');
  const orgName = useOrgName();
  const signers = [...new Set(props.entries.map((e) => e.signer))];
  const holders = useQueries({
    queries: signers.map((key) => ({
      queryKey: ['key-holder', key],
      queryFn: () => client.keyHolder(key),
      staleTime: Infinity,
      retry: false,
    })),
  });
  const holder = new Map<string, KeyHolder>();
  holders.forEach((h, i) => {
    if (h.data) holder.set(signers[i]!, h.data);
  });
  const who = (key: string): { member: string; org: string } => {
    const h = holder.get(key);
    if (h?.kind === 'member') return { member: h.member, org: h.org ? orgName(h.org) : '' };
    if (h?.kind === 'applicant') return { member: t('trail.applicant'), org: '' };
    if (h?.kind === 'node') return { member: t('trail.node'), org: orgName(h.org) };
    return { member: key.slice(0, 16), org: '' };
  };
  if (props.entries.length === 0) return <Text data-testid="trail-empty">{t('trail.empty')}</Text>;
  return (
    <ScrollTable minWidth={760} label={t('trail.tableLabel')}>
      <Table striped data-testid="trail-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('trail.when')}</Table.Th>
            <Table.Th scope="col">{t('trail.type')}</Table.Th>
            <Table.Th scope="col">{t('trail.signer')}</Table.Th>
            <Table.Th scope="col">{t('trail.org')}</Table.Th>
            <Table.Th scope="col">{t('trail.result')}</Table.Th>
            <Table.Th scope="col">{t('trail.tx')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.entries.map((e) => {
            const w = who(e.signer);
            return (
              <Table.Tr key={e.id} data-testid="trail-row" data-type={e.type}>
                <Table.Td>
                  <When ms={e.time} withTime />
                </Table.Td>
                <Table.Td>
                  <code>{e.type}</code>
                </Table.Td>
                <Table.Td className="mono">{w.member}</Table.Td>
                <Table.Td>{w.org}</Table.Td>
                <Table.Td data-testid="trail-result">
                  {e.ok ? (
                    t('trail.accepted')
                  ) : (
                    <>
                      {t('trail.refused')} <code>{e.code}</code>
                    </>
                  )}
                </Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/explorer/tx/${e.id}`}
                    aria-label={t('trail.txLink', { index: e.index })}
                  >
                    {t('trail.open')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function AuditTrailPanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('oversight');
  const job = useLedgerJob();
  const s = job.state;
  return (
    <Section id="trail-title" title={t('trail.title')}>
      <Text>{t('trail.intro')}</Text>
      {s.kind === 'running' ? (
        <JobProgress
          done={s.done}
          total={s.total}
          label={t('trail.progressLabel')}
          onCancel={job.cancel}
          testId="trail-progress"
        />
      ) : (
        <div>
          <Button
            variant={s.kind === 'trail' ? 'default' : 'filled'}
            onClick={() => job.start({ kind: 'trail', caseId: props.rec.id })}
            data-testid="trail-start"
          >
            {s.kind === 'trail' ? t('trail.again') : t('trail.start')}
          </Button>
        </div>
      )}
      {s.kind === 'trail' && (
        <Stack gap="xs">
          <Text role="status" data-testid="trail-count">
            {t('trail.count', { n: s.entries.length })}
          </Text>
          <TrailTable entries={s.entries} />
        </Stack>
      )}
      {s.kind === 'failed' && (
        <Text role="alert" c="red.9" data-testid="trail-failed">
          {t('trail.failed', { code: s.code })}
        </Text>
      )}
      {s.kind === 'cancelled' && <Text role="status">{t('trail.cancelled')}</Text>}
    </Section>
  );
}
