/** One block: its fields (time, proposer, protocol, hashes) and its transactions with results. */
import './words';
import { useState } from 'react';
import { Alert, Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AidError, type BlockDetail, type BlockTx } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Hash } from '../components/Hash';
import { ErrorNotice, Loading } from '../components/Status';
import { useHealth } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { useBlock } from './api';
import { ExplorerTable, Fields, HashLink, Instant, ResultBadge, TxType, useOrgName } from './parts';

const HEIGHT_RE = /^(0|[1-9][0-9]{0,14})$/;
/** Rows shown before "show all": a block can hold hundreds of transactions. */
const FIRST_ROWS = 50;

function BlockTxs(props: { height: number; txs: BlockTx[] }) {
  const { t } = useTranslation('explorer');
  const [all, setAll] = useState(false);
  if (props.txs.length === 0) return <Text>{t('block.none')}</Text>;
  const shown = all ? props.txs : props.txs.slice(0, FIRST_ROWS);
  return (
    <Stack gap="sm">
      <ExplorerTable caption={t('block.caption', { height: props.height })} testId="block-txs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" className="shrink">
              {t('block.index')}
            </Table.Th>
            <Table.Th scope="col">{t('block.type')}</Table.Th>
            <Table.Th scope="col" className="shrink">
              {t('block.result')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((tx) => (
            <Table.Tr key={tx.id}>
              <Table.Td className="tabular nowrap">#{tx.index}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <TxType type={tx.type} words={false} />
                  <HashLink value={tx.id} to={`/explorer/tx/${tx.id}`} />
                </Stack>
              </Table.Td>
              <Table.Td>
                <ResultBadge result={tx.result} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ExplorerTable>
      {!all && props.txs.length > FIRST_ROWS && (
        <div>
          <Button variant="default" onClick={() => setAll(true)} className="no-print">
            {t('block.showAll', { total: props.txs.length })}
          </Button>
        </div>
      )}
    </Stack>
  );
}

function BlockView(props: { block: BlockDetail }) {
  const { t } = useTranslation('explorer');
  const fmt = useFormats();
  const orgName = useOrgName();
  const health = useHealth();
  const b = props.block;
  const tip = health.data?.height;
  return (
    <Stack gap="lg">
      <Fields
        items={[
          { label: t('block.time'), value: <Instant ms={b.time} /> },
          {
            label: t('block.proposer'),
            value: b.proposer === 'genesis' ? t('blocks.genesis') : orgName(b.proposer),
          },
          { label: t('block.protocol'), value: b.protocol },
          { label: t('block.txs'), value: fmt.number(b.txs) },
          {
            label: t('block.entries'),
            value:
              b.txs === 0
                ? t('block.entriesEmpty', { leaf: b.leaf })
                : t('block.entriesRange', { first: b.first, last: b.leaf - 1, leaf: b.leaf }),
          },
          { label: t('block.hash'), value: <Hash value={b.hash} full /> },
          {
            label: b.height === 0 ? t('block.prevGenesis') : t('block.prev'),
            value: (
              <Hash
                value={b.prev}
                full
                {...(b.height > 0 ? { to: `/explorer/blocks/${b.height - 1}` } : {})}
              />
            ),
          },
          {
            label: t('block.state'),
            value: (
              <Stack gap={2}>
                <Hash value={b.state} full />
                <Text size="sm" c="dimmed">
                  {t('block.stateHint')}
                </Text>
              </Stack>
            ),
          },
          { label: t('block.batch'), value: <Hash value={b.batch} full /> },
        ]}
      />
      <Group component="nav" aria-label={t('block.nav')} className="pager no-print">
        {b.height > 0 ? (
          <Anchor component={Link} to={`/explorer/blocks/${b.height - 1}`}>
            ← {t('block.prevBlock')}
          </Anchor>
        ) : (
          <span />
        )}
        {tip !== undefined && b.height < tip && (
          <Anchor component={Link} to={`/explorer/blocks/${b.height + 1}`}>
            {t('block.nextBlock')} →
          </Anchor>
        )}
      </Group>
      <Section id="block-txs-title" title={t('block.txTitle')}>
        <BlockTxs height={b.height} txs={b.transactions} />
      </Section>
    </Stack>
  );
}

function BlockLoader(props: { height: number }) {
  const { t } = useTranslation('explorer');
  const q = useBlock(props.height);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof AidError && q.error.code === 'NOT_FOUND')
      return (
        <Alert color="yellow" role="alert">
          {t('block.notFound', { height: props.height })}
        </Alert>
      );
    return <ErrorNotice error={q.error} retry={() => void q.refetch()} />;
  }
  return <BlockView block={q.data} />;
}

export function BlockPage() {
  const { t } = useTranslation('explorer');
  const { t: tc } = useTranslation();
  const raw = useParams().height ?? '';
  if (!HEIGHT_RE.test(raw)) {
    return (
      <Page title={tc('status.notFound')}>
        <Text>{t('block.bad')}</Text>
      </Page>
    );
  }
  const height = Number(raw);
  return (
    <Page title={t('block.title', { height })}>
      <BlockLoader key={height} height={height} />
    </Page>
  );
}
