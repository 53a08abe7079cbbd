/**
 * The checkpoints the node signed, newest first, each checked here in the browser by the SDK
 * against the consortium's policy: who signed, and whether enough organisations did.
 */
import './words';
import { useMemo } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { Hash } from '../components/Hash';
import { Empty, ErrorNotice, Loading } from '../components/Status';
import { usePolicy } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { checkCheckpoint, useCheckpoints } from './api';
import { ExplorerTable, Pager, useOrgName } from './parts';

const PAGE = 20;
const SIZE_RE = /^(0|[1-9][0-9]{0,14})$/;

function CheckpointTable(props: { before: number | undefined }) {
  const { t } = useTranslation('explorer');
  const fmt = useFormats();
  const orgName = useOrgName();
  const [, setParams] = useSearchParams();
  const q = useCheckpoints(props.before, PAGE);
  const policy = usePolicy();
  const rows = useMemo(
    () =>
      q.data && policy.data
        ? q.data.checkpoints.map((c) => ({ ...c, check: checkCheckpoint(c.note, policy.data) }))
        : undefined,
    [q.data, policy.data],
  );
  if (q.isError || policy.isError)
    return (
      <ErrorNotice
        error={q.error ?? policy.error}
        retry={() => void (q.isError ? q.refetch() : policy.refetch())}
      />
    );
  if (!rows || !policy.data) return <Loading />;
  if (rows.length === 0) return <Empty />;
  const last = rows[rows.length - 1]!;
  return (
    <Stack gap="sm">
      <ExplorerTable caption={t('checkpoints.caption')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('checkpoints.size')}</Table.Th>
            <Table.Th scope="col">{t('checkpoints.root')}</Table.Th>
            <Table.Th scope="col">{t('checkpoints.signers')}</Table.Th>
            <Table.Th scope="col">{t('checkpoints.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.size}>
              <Table.Td className="tabular">{fmt.number(c.size)}</Table.Td>
              <Table.Td>
                <Hash value={c.root} />
              </Table.Td>
              <Table.Td>
                {c.check.kind === 'bad'
                  ? '—'
                  : c.check.orgs.map((o) => <div key={o}>{orgName(o)}</div>)}
              </Table.Td>
              <Table.Td>
                <Text
                  span
                  size="sm"
                  fw={600}
                  className={c.check.kind === 'met' ? 'ok-text' : 'bad-text'}
                >
                  <span aria-hidden="true">{c.check.kind === 'met' ? '✓ ' : '✗ '}</span>
                  {c.check.kind === 'met'
                    ? t('checkpoints.met')
                    : c.check.kind === 'quorum'
                      ? t('checkpoints.notMet', {
                          signed: c.check.orgs.length,
                          quorum: policy.data.quorum,
                        })
                      : t('checkpoints.bad')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ExplorerTable>
      <Pager
        label={t('checkpoints.pages')}
        newer={t('checkpoints.newer')}
        older={t('checkpoints.older')}
        onNewer={props.before === undefined ? undefined : () => setParams({})}
        onOlder={
          rows.length < PAGE || last.size === 0
            ? undefined
            : () => setParams({ before: String(last.size) })
        }
      />
    </Stack>
  );
}

export function CheckpointsPage() {
  const { t } = useTranslation('explorer');
  const raw = useSearchParams()[0].get('before');
  const before = raw !== null && SIZE_RE.test(raw) ? Number(raw) : undefined;
  return (
    <Page title={t('checkpoints.title')}>
      <Text>{t('checkpoints.intro')}</Text>
      <CheckpointTable before={before} />
    </Page>
  );
}
