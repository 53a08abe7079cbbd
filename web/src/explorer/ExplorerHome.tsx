/**
 * The explorer's front page: a search box (transaction id, block height or log index), the latest
 * blocks page by page, and the latest checkpoint with the organisations that signed it.
 */
import './words';
import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Button,
  Grid,
  Group,
  List,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Hash } from '../components/Hash';
import { ErrorNotice, Loading, useErrorText } from '../components/Status';
import { client, queryClient, usePolicy } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import {
  BLOCKS_PAGE,
  checkCheckpoint,
  parseSearch,
  useBlocksPage,
  useLatestCheckpoint,
  type SearchTarget,
} from './api';
import { ExplorerTable, Fields, Instant, Pager, useOrgName } from './parts';

const HEIGHT_RE = /^(0|[1-9][0-9]{0,14})$/;

/** What the public case search gives of each case a reference names. */
interface PublicCaseHit {
  id: string;
  stateLabel: string;
  submitted: number;
}

function isNotFound(e: unknown): boolean {
  return e instanceof AidError && e.code === 'NOT_FOUND';
}

function SearchBox() {
  const { t } = useTranslation('explorer');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const fmt = useFormats();
  const [value, setValue] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [hits, setHits] = useState<PublicCaseHit[]>([]);

  /**
   * Where a search leads, or the words for why nothing matched. Heights and indices are checked
   * against the node's size first, so only an unknown transaction id costs a 404.
   */
  async function find(
    target: Exclude<SearchTarget, { kind: 'invalid' }>,
  ): Promise<{ to: string } | { none: string } | { cases: PublicCaseHit[] }> {
    if (target.kind === 'reference') {
      // Derived, not assigned: two cases may share a reference, so every one that has it.
      const r = await client.get<{ cases: PublicCaseHit[] }>(
        `/v1/public/cases?reference=${encodeURIComponent(target.reference)}&limit=20`,
      );
      if (r.cases.length === 0)
        return { none: t('search.noCase', { reference: target.reference }) };
      if (r.cases.length === 1) return { to: `/explorer/tx/${r.cases[0]!.id}` };
      return { cases: r.cases };
    }
    if (target.kind === 'tx') {
      try {
        const tx = await client.tx(target.id);
        queryClient.setQueryData(['explorer', 'tx', target.id], tx);
        return { to: `/explorer/tx/${target.id}` };
      } catch (e) {
        if (isNotFound(e)) return { none: t('search.noTx') };
        throw e;
      }
    }
    const h = await client.health();
    if (target.kind === 'height') {
      return target.height <= h.height
        ? { to: `/explorer/blocks/${target.height}` }
        : { none: t('search.noBlock', { height: target.height, tip: h.height }) };
    }
    if (target.index >= h.size)
      return {
        none: t('search.noIndex', {
          index: target.index,
          size: fmt.number(h.size),
          last: h.size - 1,
        }),
      };
    const e = await client.logEntry(target.index);
    return { to: e.kind === 'tx' ? `/explorer/tx/${e.id}` : `/explorer/blocks/${e.height}` };
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const target = parseSearch(value);
    if (target.kind === 'invalid') {
      setMessage(t('search.invalid'));
      return;
    }
    setBusy(true);
    setMessage(t('search.searching'));
    setHits([]);
    try {
      const found = await find(target);
      if ('to' in found) {
        setMessage('');
        void navigate(found.to);
      } else if ('cases' in found) {
        setMessage(t('search.cases', { count: fmt.number(found.cases.length) }));
        setHits(found.cases);
      } else setMessage(found.none);
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      role="search"
      aria-label={tc('actions.search')}
      onSubmit={(e) => void onSubmit(e)}
      className="no-print"
    >
      <Stack gap={6}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={t('search.label')}
            description={t('search.hint')}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            name="q"
            autoComplete="off"
            spellCheck={false}
            style={{ flex: 1, minWidth: 0 }}
            data-testid="explorer-search"
          />
          <Button type="submit" loading={busy}>
            {t('search.button')}
          </Button>
        </Group>
        <Text role="status" aria-live="polite" data-testid="search-message" size="sm">
          {message}
        </Text>
        {hits.length > 0 && (
          <ul className="plain-list">
            {hits.map((c) => (
              <li key={c.id}>
                <Anchor component={Link} to={`/explorer/tx/${c.id}`}>
                  {c.stateLabel} · <Instant ms={c.submitted} />
                </Anchor>
              </li>
            ))}
          </ul>
        )}
      </Stack>
    </form>
  );
}

function BlocksList() {
  const { t } = useTranslation('explorer');
  const fmt = useFormats();
  const orgName = useOrgName();
  const [params, setParams] = useSearchParams();
  const raw = params.get('top');
  const top = raw !== null && HEIGHT_RE.test(raw) ? Number(raw) : undefined;
  const q = useBlocksPage(top);

  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} retry={() => void q.refetch()} />;
  const { blocks, tip, top: end } = q.data;
  const lowest = blocks[blocks.length - 1]?.height ?? 0;
  const go = (next: number | undefined) =>
    setParams(next === undefined || next >= tip ? {} : { top: String(next) });

  return (
    <Section id="blocks-title" title={t('blocks.title')}>
      <ExplorerTable
        caption={t('blocks.range', { from: fmt.number(lowest), to: fmt.number(end) })}
        testId="blocks"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('blocks.height')}</Table.Th>
            <Table.Th scope="col">{t('blocks.time')}</Table.Th>
            <Table.Th scope="col">{t('blocks.txs')}</Table.Th>
            <Table.Th scope="col">{t('blocks.proposer')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {blocks.map((b) => (
            <Table.Tr key={b.height}>
              <Table.Td>
                <Anchor component={Link} to={`/explorer/blocks/${b.height}`} className="tabular">
                  {b.height}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Instant ms={b.time} />
              </Table.Td>
              <Table.Td className="tabular">{fmt.number(b.txs)}</Table.Td>
              <Table.Td>
                {b.proposer === 'genesis' ? t('blocks.genesis') : orgName(b.proposer)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ExplorerTable>
      <Pager
        label={t('blocks.pages')}
        newer={t('blocks.newer')}
        older={t('blocks.older')}
        onNewer={end >= tip ? undefined : () => go(end + BLOCKS_PAGE)}
        onOlder={lowest === 0 ? undefined : () => go(lowest - 1)}
      />
    </Section>
  );
}

function LatestCheckpoint() {
  const { t } = useTranslation('explorer');
  const fmt = useFormats();
  const orgName = useOrgName();
  const cp = useLatestCheckpoint();
  const policy = usePolicy();

  let body;
  if (cp.isPending || policy.isPending) body = <Loading />;
  else if (cp.isError || policy.isError)
    body = (
      <ErrorNotice
        error={cp.error ?? policy.error}
        retry={() => void (cp.isError ? cp.refetch() : policy.refetch())}
      />
    );
  else {
    const check = checkCheckpoint(cp.data, policy.data);
    const members = new Set(policy.data.signers.map((s) => s.org)).size;
    body =
      check.kind === 'bad' ? (
        <Text className="bad-text">{t('checkpoint.bad')}</Text>
      ) : (
        <Stack gap="sm">
          <Fields
            items={[
              { label: t('checkpoint.size'), value: fmt.number(check.size) },
              { label: t('checkpoint.root'), value: <Hash value={check.root} /> },
              {
                label: t('checkpoint.signers'),
                value:
                  check.orgs.length === 0 ? (
                    t('checkpoint.none')
                  ) : (
                    <List size="sm" listStyleType="none" spacing={2} data-testid="signers">
                      {check.orgs.map((o) => (
                        <List.Item key={o}>
                          <span aria-hidden="true">✓ </span>
                          {orgName(o)}
                        </List.Item>
                      ))}
                    </List>
                  ),
              },
            ]}
          />
          <Text size="sm">{t('checkpoint.needs', { quorum: policy.data.quorum, members })}</Text>
          <Text size="sm" fw={600} className={check.kind === 'met' ? 'ok-text' : 'bad-text'}>
            <span aria-hidden="true">{check.kind === 'met' ? '✓ ' : '✗ '}</span>
            {check.kind === 'met'
              ? t('checkpoint.met')
              : t('checkpoint.notMet', {
                  signed: check.orgs.length,
                  quorum: policy.data.quorum,
                })}
          </Text>
        </Stack>
      );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="checkpoint-title">
      <Stack gap="sm">
        <Title order={2} id="checkpoint-title" size="h3">
          {t('checkpoint.title')}
        </Title>
        {body}
        <Anchor component={Link} to="/explorer/checkpoints">
          {t('checkpoint.all')}
        </Anchor>
      </Stack>
    </Paper>
  );
}

export function ExplorerHome() {
  const { t } = useTranslation('explorer');
  return (
    <Page title={t('title')}>
      <Text>{t('intro')}</Text>
      <SearchBox />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <BlocksList />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <LatestCheckpoint />
        </Grid.Col>
      </Grid>
    </Page>
  );
}
