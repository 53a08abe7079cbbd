/**
 * A work queue: the cases that wait for the member (the states of their roles' queue), counted
 * per state, filtered by state and program, searched by the first digits of a case number, and
 * paged newest first through as many as there are (`GET /v1/cases` with its cursor, and
 * `GET /v1/cases/counts`). Each role's workspace shows one with its own states.
 */
import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageButtons, useCursorPages } from './parts';
import {
  caseCounts,
  caseReference,
  CASE_STATES,
  listCases,
  parseCaseReference,
  programs,
  STATE_LABELS,
  type CaseState,
} from '@sdk';
import { client, useOrgs } from '../lib/api';
import { useLocale } from '../lib/locale-context';
import { ErrorNotice, Loading } from '../components/Status';
import { When } from '../components/When';
import { ScrollTable } from '../portal/ScrollTable';
import { StateBadge } from '../applicant/StateBadge';
import { cap, useOrgName } from '../applicant/shared';
import { useStaffQuery } from './api';

const CASE_NUMBER = /^[0-9a-f]{1,64}$/;

export function WorkQueue(props: {
  /** The states that wait for the member; [] for every state. */
  states: readonly CaseState[];
  pageSize?: number;
}) {
  const { t } = useTranslation('staff');
  const { t: to } = useTranslation('oversight');
  const { lang, fmt } = useLocale();
  const orgName = useOrgName();
  const orgs = useOrgs();
  /** Those who watch every state (regulators, auditors) also filter by hospital. */
  const everyState = props.states.length === 0;
  const [hospital, setHospital] = useState('');
  const [reference, setReference] = useState('');
  const limit = props.pageSize ?? 25;
  const [state, setState] = useState<CaseState | ''>('');
  const [program, setProgram] = useState('');
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string | undefined>();
  const [id, setId] = useState('');
  const pages = useCursorPages<string>();
  const cursor = pages.cursor;
  const restart = pages.restart;

  const programList = useQuery({
    queryKey: ['programs', lang],
    queryFn: () => programs(client, lang),
    staleTime: 60_000,
  });
  const filter = {
    ...(program ? { program } : {}),
    ...(id ? { id } : {}),
    ...(reference ? { reference } : {}),
    ...(hospital ? { hospital } : {}),
  };
  const counts = useStaffQuery(['counts', filter], (tok) => caseCounts(client, tok, filter));
  const shown: readonly CaseState[] = state ? [state] : props.states;
  const page = useStaffQuery(['cases', shown, filter, cursor, limit], (tok) =>
    listCases(client, tok, {
      ...filter,
      ...(shown.length > 0 ? { state: shown.join(',') } : {}),
      ...(cursor ? { cursor } : {}),
      limit,
    }),
  );

  const stateName = (s: string) => cap(STATE_LABELS[s]?.[lang] ?? s, lang);
  const countOf = (s: string) => counts.data?.counts[s] ?? 0;
  const queueStates: readonly CaseState[] =
    props.states.length > 0 ? props.states : CASE_STATES.filter((s) => countOf(s) > 0);
  const waiting =
    props.states.length > 0
      ? props.states.reduce((n, s) => n + countOf(s), 0)
      : (counts.data?.total ?? 0);
  const programName = (p: string) => programList.data?.find((x) => x.id === p)?.name ?? p;

  function submitSearch(e: FormEvent) {
    e.preventDefault();
    const typed = search.trim();
    const v = typed.toLowerCase();
    // A case number (its first hex digits) or a case reference such as AL-7KQ4-M9XC.
    const isNumber = v === '' || CASE_NUMBER.test(v);
    if (!isNumber && parseCaseReference(typed) === undefined) {
      setSearchError(to('queue.searchInvalid'));
      return;
    }
    setSearchError(undefined);
    setId(isNumber ? v : '');
    setReference(isNumber ? '' : typed);
    restart();
  }

  return (
    <Stack gap="md" data-testid="work-queue">
      <Group gap="xs" wrap="wrap" role="group" aria-label={t('queue.byState')}>
        <Button
          size="xs"
          variant={state === '' ? 'filled' : 'default'}
          aria-pressed={state === ''}
          onClick={() => {
            setState('');
            restart();
          }}
          data-testid="queue-all"
        >
          {t('queue.allWaiting', { n: waiting })}
        </Button>
        {queueStates.map((s) => (
          <Button
            key={s}
            size="xs"
            variant={state === s ? 'filled' : 'default'}
            aria-pressed={state === s}
            onClick={() => {
              setState(s);
              restart();
            }}
            data-testid={`queue-state-${s}`}
          >
            {t('queue.stateCount', { state: stateName(s), n: countOf(s) })}
          </Button>
        ))}
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('queue.program')}
          value={program}
          onChange={(e) => {
            setProgram(e.currentTarget.value);
            restart();
          }}
          data-testid="queue-program"
        >
          <option value="">{t('queue.allPrograms')}</option>
          {(programList.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
        {everyState && (
          <NativeSelect
            label={t('queue.hospital')}
            value={hospital}
            onChange={(e) => {
              setHospital(e.currentTarget.value);
              restart();
            }}
            data-testid="queue-hospital"
          >
            <option value="">{to('queue.allHospitals')}</option>
            {(orgs.data?.orgs ?? [])
              .filter((o) => o.type === 'hospital')
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {fmt.name(o.names, o.id)}
                </option>
              ))}
          </NativeSelect>
        )}
        <form onSubmit={submitSearch} className="queue-search" role="search">
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={to('queue.search')}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              error={searchError}
              aria-invalid={searchError !== undefined}
              autoComplete="off"
              spellCheck={false}
              data-testid="queue-search"
            />
            <Button type="submit" variant="default">
              {t('queue.find')}
            </Button>
          </Group>
        </form>
      </Group>
      {page.isPending ? (
        <Loading />
      ) : page.isError ? (
        <ErrorNotice error={page.error} retry={() => void page.refetch()} />
      ) : page.data.cases.length === 0 ? (
        <Text data-testid="queue-empty">
          {id || reference ? t('queue.noneFound') : t('queue.empty')}
        </Text>
      ) : (
        <ScrollTable minWidth={680} label={t('queue.tableLabel')}>
          <Table striped data-testid="queue-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('queue.case')}</Table.Th>
                <Table.Th scope="col">{t('queue.reference')}</Table.Th>
                <Table.Th scope="col">{t('queue.program')}</Table.Th>
                <Table.Th scope="col">{t('queue.hospital')}</Table.Th>
                <Table.Th scope="col">{t('queue.state')}</Table.Th>
                <Table.Th scope="col">{t('queue.submitted')}</Table.Th>
                <Table.Th scope="col">{t('queue.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.cases.map((c) => (
                <Table.Tr key={c.id} data-testid="queue-row">
                  <Table.Td>
                    <Link
                      to={`/staff/cases/${c.id}`}
                      className="mono"
                      aria-label={t('queue.openCase', { id: c.id.slice(0, 10) })}
                    >
                      {c.id.slice(0, 10)}
                    </Link>
                  </Table.Td>
                  <Table.Td className="mono" data-testid="queue-reference">
                    {caseReference(c.id)}
                  </Table.Td>
                  <Table.Td>{programName(c.program)}</Table.Td>
                  <Table.Td>{orgName(c.hospital)}</Table.Td>
                  <Table.Td>
                    <StateBadge state={c.state} label={stateName(c.state)} />
                  </Table.Td>
                  <Table.Td>
                    <When ms={c.submitted} />
                  </Table.Td>
                  <Table.Td>
                    <When ms={c.updated} withTime />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <PageButtons pages={pages} next={page.data?.nextCursor} showPage olderTestId="queue-older" />
    </Stack>
  );
}
