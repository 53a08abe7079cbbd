/**
 * The refused transactions, as a list to investigate (`/staff/refusals`): every transaction the
 * ledger refused, newest first, from the node's index of them (`GET /v1/refusals`), filtered by
 * code (`DUPLICATE_CLAIM`, `FORBIDDEN_ROLE`, `CONFLICT_OF_INTEREST`, …), transaction type and the
 * signer's organisation, paged on. Each links to its transaction in the explorer and, when its
 * payload names a case, to that case: the leaf is read from the public log to find it.
 */
import { useState, type FormEvent } from 'react';
import { Anchor, Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageButtons, useCursorPages } from '../parts';
import { useQuery } from '@tanstack/react-query';
import {
  canonicalJson,
  caseReference,
  EXECUTION_CODES,
  fromUtf8,
  parseLeaf,
  readSignedIn,
  txIdOf,
} from '@sdk';
import { client, useOrgs } from '../../lib/api';
import { useFormats } from '../../lib/locale-context';
import { Page } from '../../components/Page';
import { ErrorNotice, Loading } from '../../components/Status';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { useOrgName } from '../../applicant/shared';
import { useStaffQuery } from '../api';

/** A refused transaction as `GET /v1/refusals` lists it. */
interface RefusalRow {
  index: number;
  type: string;
  code: string;
  signer: string;
  member?: string;
  org: string;
  time: number;
}

const TYPE = /^[a-z]+\.[A-Za-z]+$/;
const CASE_ID = /^[0-9a-f]{64}$/;
const PAGE = 25;

/** The transaction at a log index and the case its payload names, if any. */
function useLeafTarget(index: number) {
  return useQuery({
    queryKey: ['leaf-target', index],
    staleTime: Infinity,
    queryFn: async () => {
      const [bytes] = await client.entries(index, index + 1);
      if (bytes === undefined) return { id: undefined, case: undefined };
      const leaf = parseLeaf(fromUtf8(bytes));
      if (leaf.kind !== 'tx') return { id: undefined, case: undefined };
      const p = leaf.tx.payload as Record<string, unknown>;
      const target = p['target'] as { kind?: unknown; id?: unknown } | undefined;
      const named =
        typeof p['case'] === 'string'
          ? p['case']
          : target?.kind === 'case' && typeof target.id === 'string'
            ? target.id
            : undefined;
      return {
        id: txIdOf(canonicalJson(leaf.tx)) as string,
        case: named !== undefined && CASE_ID.test(named) ? named : undefined,
      };
    },
  });
}

function Links(props: { index: number }) {
  const { t } = useTranslation('oversight');
  const q = useLeafTarget(props.index);
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor
        component={Link}
        to={q.data?.id ? `/explorer/tx/${q.data.id}` : `/explorer/log/${props.index}`}
        aria-label={t('refusals.txLink', { index: props.index })}
        data-testid="refusal-tx"
      >
        {t('refusals.tx')}
      </Anchor>
      {q.data?.case !== undefined && (
        <Anchor
          component={Link}
          to={`/staff/cases/${q.data.case}`}
          className="mono"
          data-testid="refusal-case"
        >
          {caseReference(q.data.case)}
        </Anchor>
      )}
    </Group>
  );
}

export function RefusalsPage() {
  const { t } = useTranslation('oversight');
  const fmt = useFormats();
  const orgs = useOrgs();
  const orgName = useOrgName();
  const [code, setCode] = useState('');
  const [org, setOrg] = useState('');
  const [typeText, setTypeText] = useState('');
  const [type, setType] = useState('');
  const [typeError, setTypeError] = useState<string | undefined>();
  const pages = useCursorPages<number>();
  const before = pages.cursor;
  const restart = pages.restart;

  const list = useStaffQuery(['refusals', code, org, type, before], (tok) => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (code) q.set('code', code);
    if (org) q.set('org', org);
    if (type) q.set('type', type);
    if (before !== undefined) q.set('before', String(before));
    return readSignedIn<{ refusals: RefusalRow[]; nextBefore?: number }>(
      client,
      tok,
      `/v1/refusals?${q.toString()}`,
    );
  });

  function submitType(e: FormEvent) {
    e.preventDefault();
    const v = typeText.trim();
    if (v !== '' && !TYPE.test(v)) {
      setTypeError(t('refusals.typeInvalid'));
      return;
    }
    setTypeError(undefined);
    setType(v);
    restart();
  }

  return (
    <Page title={t('refusals.title')}>
      <Text>{t('refusals.intro')}</Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('refusals.code')}
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            restart();
          }}
          data-testid="refusals-code"
        >
          <option value="">{t('refusals.allCodes')}</option>
          {EXECUTION_CODES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </NativeSelect>
        <NativeSelect
          label={t('refusals.org')}
          value={org}
          onChange={(e) => {
            setOrg(e.currentTarget.value);
            restart();
          }}
          data-testid="refusals-org"
        >
          <option value="">{t('refusals.allOrgs')}</option>
          {(orgs.data?.orgs ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {fmt.name(o.names, o.id)}
            </option>
          ))}
        </NativeSelect>
        <form onSubmit={submitType} role="search" aria-label={t('refusals.type')}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t('refusals.type')}
              placeholder="cases.verify"
              value={typeText}
              onChange={(e) => setTypeText(e.currentTarget.value)}
              error={typeError}
              aria-invalid={typeError !== undefined}
              autoComplete="off"
              spellCheck={false}
              data-testid="refusals-type"
            />
            <Button type="submit" variant="default">
              {t('refusals.apply')}
            </Button>
          </Group>
        </form>
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} retry={() => void list.refetch()} />
      ) : list.data.refusals.length === 0 ? (
        <Text data-testid="refusals-empty">{t('refusals.empty')}</Text>
      ) : (
        <ScrollTable minWidth={760} label={t('refusals.tableLabel')}>
          <Table striped data-testid="refusals-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('refusals.when')}</Table.Th>
                <Table.Th scope="col">{t('refusals.code')}</Table.Th>
                <Table.Th scope="col">{t('refusals.type')}</Table.Th>
                <Table.Th scope="col">{t('refusals.signer')}</Table.Th>
                <Table.Th scope="col">{t('refusals.org')}</Table.Th>
                <Table.Th scope="col">{t('refusals.links')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.refusals.map((r) => (
                <Table.Tr key={r.index} data-testid="refusal-row" data-code={r.code}>
                  <Table.Td>
                    <When ms={r.time} withTime />
                  </Table.Td>
                  <Table.Td>
                    <code>{r.code}</code>
                  </Table.Td>
                  <Table.Td>
                    <code>{r.type}</code>
                  </Table.Td>
                  <Table.Td className="mono">
                    {r.member ?? (r.org === '' ? t('refusals.applicant') : r.signer.slice(0, 16))}
                  </Table.Td>
                  <Table.Td>{r.org === '' ? t('refusals.applicant') : orgName(r.org)}</Table.Td>
                  <Table.Td>
                    <Links index={r.index} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <PageButtons
        pages={pages}
        next={list.data?.nextBefore}
        showPage
        olderTestId="refusals-older"
      />
    </Page>
  );
}
