/**
 * The finance officer's queue: the organisation's funded cases (money reserved, ready to pay) and
 * its waitlisted ones (approved, waiting for money, with their place in line). Funded cases are
 * chosen by their boxes and disbursed as a batch: the contracts pay a case by one `cases.disburse`
 * each, so the batch is one signed transaction per case, in order, each with the payment
 * reference in its private part; every case's result is listed, and the cases paid are handed to
 * the bank export.
 */
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageButtons, useCursorPages } from '../parts';
import { AidError, caseReference, STATE_LABELS, type CaseView, type ProgramView } from '@sdk';
import { queryClient } from '../../lib/api';
import { useFormats, useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { ErrorNotice, Loading } from '../../components/Status';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { StateBadge } from '../../applicant/StateBadge';
import { cap, useOrgName } from '../../applicant/shared';
import { submitSigned } from '../session';
import { useCasePage, useCaseViews } from './cases';
import { useMoneyRefusal } from './refusal';

/** A payment reference as typed: room is left for the case reference after it (128 in all). */
export const PAYMENT_REFERENCE = /^\S(?:.{0,98}\S)?$/u;

/** The private reference of one case's payment: the batch's reference and the case's. */
export function paymentReference(batch: string, caseId: string): string {
  return `${batch} ${caseReference(caseId)}`;
}

type Result = { id: string; ok: true; tx: string } | { id: string; ok: false; code: string };

export function DisburseQueue(props: {
  programs: readonly ProgramView[];
  onDisbursed(ids: string[]): void;
}) {
  const { t } = useTranslation('finance');
  const { lang } = useLocale();
  const fmt = useFormats();
  const orgName = useOrgName();
  const refusal = useMoneyRefusal();
  const [program, setProgram] = useState('');
  const pages = useCursorPages<string>();
  const cursor = pages.cursor;
  const page = useCasePage('finance-queue', 'funded,waitlisted', { program, cursor, limit: 20 });
  const rows = page.data?.cases ?? [];
  const views = useCaseViews(rows.map((r) => r.id));
  const [selected, setSelected] = useState<string[]>([]);
  const [reference, setReference] = useState('');
  const [refError, setRefError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState<{ done: number; total: number } | undefined>();
  const [results, setResults] = useState<Result[]>([]);

  const currencyOf = (p: string) => props.programs.find((x) => x.id === p)?.currency ?? 'CNY';
  const programName = (p: string) => props.programs.find((x) => x.id === p)?.name ?? p;
  const stateName = (s: string) => cap(STATE_LABELS[s]?.[lang] ?? s, lang);
  const payable = (v: CaseView | undefined) =>
    v !== undefined && v.case.state === 'funded' && v.frozen === undefined;

  /** What the chosen cases add up to, per currency. */
  const totals = new Map<string, bigint>();
  for (const id of selected) {
    const v = views.get(id);
    if (!v?.case.amount) continue;
    const c = currencyOf(v.case.program);
    totals.set(c, (totals.get(c) ?? 0n) + BigInt(v.case.amount));
  }
  const totalText = [...totals].map(([c, a]) => fmt.money(a, c)).join(' + ');

  function toggle(id: string, on: boolean) {
    setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
    setConfirming(false);
  }

  function ask(e: FormEvent) {
    e.preventDefault();
    const r = reference.trim();
    if (!PAYMENT_REFERENCE.test(r)) {
      setRefError(t('queue.referenceInvalid'));
      return;
    }
    setRefError(undefined);
    setConfirming(true);
  }

  async function disburse() {
    const batch = [...selected];
    const r = reference.trim();
    setConfirming(false);
    setResults([]);
    const out: Result[] = [];
    for (let i = 0; i < batch.length; i++) {
      setRunning({ done: i, total: batch.length });
      const id = batch[i]!;
      try {
        const o = await submitSigned({
          type: 'cases.disburse',
          payload: { case: id },
          facts: { reference: paymentReference(r, id) },
        });
        out.push(o.result.ok ? { id, ok: true, tx: o.id } : { id, ok: false, code: o.result.code });
      } catch (err) {
        out.push({ id, ok: false, code: err instanceof AidError ? err.code : 'UNAVAILABLE' });
      }
      setResults([...out]);
    }
    setRunning(undefined);
    setSelected([]);
    await queryClient.invalidateQueries({ queryKey: ['staff'] });
    props.onDisbursed(out.filter((x) => x.ok).map((x) => x.id));
  }

  return (
    <Section id="queue-title" title={t('queue.title')}>
      <Text>{t('queue.intro')}</Text>
      <NativeSelect
        label={t('queue.program')}
        value={program}
        onChange={(e) => {
          setProgram(e.currentTarget.value);
          pages.restart();
        }}
        data-testid="finance-program"
        maw={420}
      >
        <option value="">{t('queue.allPrograms')}</option>
        {props.programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </NativeSelect>
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorNotice error={page.error} retry={() => void page.refetch()} />
      ) : rows.length === 0 ? (
        <Text data-testid="finance-queue-empty">{t('queue.empty')}</Text>
      ) : (
        <ScrollTable minWidth={760} label={t('queue.tableLabel')}>
          <Table striped data-testid="finance-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('queue.pay')}</Table.Th>
                <Table.Th scope="col">{t('queue.case')}</Table.Th>
                <Table.Th scope="col">{t('queue.program')}</Table.Th>
                <Table.Th scope="col">{t('queue.hospital')}</Table.Th>
                <Table.Th scope="col">{t('queue.state')}</Table.Th>
                <Table.Th scope="col">{t('queue.amount')}</Table.Th>
                <Table.Th scope="col">{t('queue.since')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => {
                const v = views.get(c.id);
                const ref = caseReference(c.id);
                return (
                  <Table.Tr key={c.id} data-testid="finance-row" data-case={c.id}>
                    <Table.Td>
                      {payable(v) ? (
                        <Checkbox
                          checked={selected.includes(c.id)}
                          onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                          aria-label={t('queue.choose', { ref })}
                          disabled={running !== undefined}
                          data-testid="finance-choose"
                        />
                      ) : v?.frozen !== undefined ? (
                        <Text size="sm">{t('queue.frozen')}</Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/staff/cases/${c.id}`} className="mono">
                        {ref}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{programName(c.program)}</Table.Td>
                    <Table.Td>{orgName(c.hospital)}</Table.Td>
                    <Table.Td>
                      <StateBadge state={c.state} label={stateName(c.state)} />
                      {v?.waitlist && (
                        <Text size="sm">
                          {t('queue.place', { n: v.waitlist.position, ahead: v.waitlist.ahead })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td data-testid="finance-amount">
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
      <form onSubmit={ask} aria-labelledby="batch-title">
        <Stack gap="sm">
          <Text fw={600} id="batch-title" aria-live="polite" data-testid="batch-summary">
            {selected.length === 0
              ? t('queue.noneChosen')
              : t('queue.chosen', { n: selected.length, total: totalText })}
          </Text>
          <TextInput
            label={t('queue.reference')}
            description={t('queue.referenceHelp')}
            value={reference}
            onChange={(e) => {
              setReference(e.currentTarget.value);
              setConfirming(false);
            }}
            error={refError}
            aria-invalid={refError !== undefined}
            maxLength={100}
            maw={420}
            autoComplete="off"
            data-testid="batch-reference"
          />
          <Group>
            <Button
              type="submit"
              disabled={selected.length === 0 || running !== undefined}
              data-testid="batch-disburse"
            >
              {t('queue.disburse', { n: selected.length })}
            </Button>
          </Group>
        </Stack>
      </form>
      {confirming && (
        <Alert color="orange" title={t('queue.confirmTitle')}>
          <Stack gap="sm">
            <Text>{t('queue.confirmText', { n: selected.length, total: totalText })}</Text>
            <Group>
              <Button onClick={() => void disburse()} data-testid="batch-confirm" color="red.9">
                {t('queue.confirm')}
              </Button>
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('cancel')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {running && (
        <Stack gap={4}>
          <Progress
            value={(running.done / running.total) * 100}
            aria-label={t('queue.progress', { done: running.done, total: running.total })}
          />
          <Text size="sm" aria-live="polite">
            {t('queue.progress', { done: running.done, total: running.total })}
          </Text>
        </Stack>
      )}
      {results.length > 0 && (
        <Stack gap={4} data-testid="batch-results" aria-live="polite">
          <Text fw={600}>{t('queue.resultsTitle')}</Text>
          <ul>
            {results.map((r) => (
              <li key={r.id} data-testid={r.ok ? 'batch-paid' : 'batch-refused'}>
                <span className="mono">{caseReference(r.id)}</span>:{' '}
                {r.ok ? (
                  <>
                    {t('queue.paid')} ·{' '}
                    <Anchor component={Link} to={`/explorer/tx/${r.tx}`}>
                      {t('queue.transaction')}
                    </Anchor>
                  </>
                ) : (
                  refusal(r.code)
                )}
              </li>
            ))}
          </ul>
        </Stack>
      )}
    </Section>
  );
}
