/**
 * A disbursed batch as files for the bank: the organisation's disbursed cases (paid, waiting for
 * the hospital to confirm receipt), the batch just paid chosen already, downloaded as CSV or as
 * an ISO 20022 pain.001.001.09 message (`POST /v1/payments/csv`, `/v1/payments/pain001`). The
 * bank details are the node's own `banking.json`; without it the node makes no file, and the page
 * says so.
 */
import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageButtons, useCursorPages } from '../parts';
import { AidError, caseReference, type ProgramView } from '@sdk';
import { useFormats } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { ErrorNotice, Loading } from '../../components/Status';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { useOrgName } from '../../applicant/shared';
import {
  bankFileName,
  downloadBlob,
  fetchBankFile,
  NoBankingError,
  type BankFormat,
} from './bank-files';
import { useCasePage, useCaseViews } from './cases';
import { useMoneyRefusal } from './refusal';

export function BankExport(props: { programs: readonly ProgramView[]; preselect: string[] }) {
  const { t } = useTranslation('finance');
  const fmt = useFormats();
  const orgName = useOrgName();
  const refusal = useMoneyRefusal();
  const pages = useCursorPages<string>();
  const cursor = pages.cursor;
  const page = useCasePage('finance-disbursed', 'disbursed', { cursor, limit: 50 });
  const rows = page.data?.cases ?? [];
  const views = useCaseViews(rows.map((r) => r.id));
  const [selected, setSelected] = useState<string[]>(props.preselect);
  const [busy, setBusy] = useState<BankFormat | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  /** The name of the file last saved. */
  const [saved, setSaved] = useState<string | undefined>();

  useEffect(() => {
    if (props.preselect.length > 0) setSelected(props.preselect);
  }, [props.preselect]);

  const currencyOf = (p: string) => props.programs.find((x) => x.id === p)?.currency ?? 'CNY';
  const programName = (p: string) => props.programs.find((x) => x.id === p)?.name ?? p;

  function explain(e: unknown): string {
    if (e instanceof NoBankingError) return t('export.noBanking');
    if (e instanceof AidError && e.code === 'BAD_REQUEST') {
      const d = e.details ?? {};
      if (typeof d['payee'] === 'string')
        return t('export.noPayee', { payee: orgName(d['payee']) });
      if (typeof d['currency'] === 'string')
        return t('export.noAccount', { currency: d['currency'] });
      if (typeof d['index'] === 'number') return t('export.notDisbursed');
      return t('export.oneCurrency');
    }
    if (e instanceof AidError && e.code === 'FORBIDDEN') return t('export.forbidden');
    return refusal(e);
  }

  async function download(format: BankFormat) {
    setBusy(format);
    setProblem(undefined);
    setSaved(undefined);
    try {
      const blob = await fetchBankFile(format, selected);
      const name = bankFileName(format, caseReference(selected[0]!), selected.length);
      downloadBlob(name, blob);
      setSaved(name);
    } catch (e) {
      setProblem(explain(e));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Section id="export-title" title={t('export.title')}>
      <Text>{t('export.intro')}</Text>
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorNotice error={page.error} retry={() => void page.refetch()} />
      ) : rows.length === 0 ? (
        <Text data-testid="export-empty">{t('export.empty')}</Text>
      ) : (
        <ScrollTable minWidth={720} label={t('export.tableLabel')}>
          <Table striped data-testid="export-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('export.include')}</Table.Th>
                <Table.Th scope="col">{t('queue.case')}</Table.Th>
                <Table.Th scope="col">{t('queue.program')}</Table.Th>
                <Table.Th scope="col">{t('queue.hospital')}</Table.Th>
                <Table.Th scope="col">{t('queue.amount')}</Table.Th>
                <Table.Th scope="col">{t('export.disbursed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => {
                const v = views.get(c.id);
                const ref = caseReference(c.id);
                return (
                  <Table.Tr key={c.id} data-testid="export-row" data-case={c.id}>
                    <Table.Td>
                      <Checkbox
                        checked={selected.includes(c.id)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setSelected((s) => (on ? [...s, c.id] : s.filter((x) => x !== c.id)));
                        }}
                        aria-label={t('export.choose', { ref })}
                        data-testid="export-choose"
                      />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/cases/${c.id}`} className="mono">
                        {ref}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{programName(c.program)}</Table.Td>
                    <Table.Td>{orgName(c.hospital)}</Table.Td>
                    <Table.Td>
                      {v?.case.amount !== undefined
                        ? fmt.money(v.case.amount, currencyOf(c.program))
                        : '—'}
                    </Table.Td>
                    <Table.Td>
                      <When ms={c.updated} withTime />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <PageButtons pages={pages} next={page.data?.nextCursor} />
      <Stack gap="sm">
        <Text aria-live="polite" data-testid="export-summary">
          {t('export.chosen', { n: selected.length })}
        </Text>
        <Group gap="sm">
          <Button
            onClick={() => void download('csv')}
            disabled={selected.length === 0 || busy !== undefined}
            loading={busy === 'csv'}
            data-testid="export-csv"
          >
            {t('export.csv')}
          </Button>
          <Button
            onClick={() => void download('pain001')}
            disabled={selected.length === 0 || busy !== undefined}
            loading={busy === 'pain001'}
            data-testid="export-pain001"
          >
            {t('export.pain001')}
          </Button>
        </Group>
        {problem !== undefined && (
          <Alert color="red" title={t('export.failed')} data-testid="export-problem">
            {problem}
          </Alert>
        )}
        {saved !== undefined && (
          <Text role="status" data-testid="export-saved">
            {t('export.saved')} <span className="mono">{saved}</span>
          </Text>
        )}
      </Stack>
    </Section>
  );
}
