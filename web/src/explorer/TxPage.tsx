/**
 * One transaction: type, signer, times, block, log index, result and its public payload; the
 * private part is never shown (it never leaves member nodes — only its commitment is public).
 * Its receipt can be verified, downloaded, or printed with a QR code of the short verify link.
 */
import './words';
import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { AidError, type TxView } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Hash } from '../components/Hash';
import { ErrorNotice, Loading } from '../components/Status';
import { client } from '../lib/api';
import { useLocale } from '../lib/locale-context';
import { useKeyHolder, useTx } from './api';
import {
  Fields,
  Instant,
  ResultBadge,
  TxType,
  useOrgName,
  useOrgNameText,
  useReasonText,
  useRoleText,
} from './parts';

const TXID_RE = /^[0-9a-f]{64}$/;

/** The block a transaction is in, without its transaction list (for its time). */
function useBlockSummary(height: number) {
  return useQuery({
    queryKey: ['explorer', 'block-summary', height],
    queryFn: async () => (await client.blocks(height, 1)).blocks[0],
    staleTime: Infinity,
  });
}

function Signer(props: { signer: string }) {
  const { t } = useTranslation('explorer');
  const { lang } = useLocale();
  const holder = useKeyHolder(props.signer);
  const orgName = useOrgName();
  const orgText = useOrgNameText();
  const role = useRoleText();
  if (holder.isPending) return <Text size="sm">…</Text>;
  const h = holder.data;
  if (!h) return <Text>{t('tx.unknownKey')}</Text>;
  if (h.kind === 'applicant') return <Text>{t('tx.applicant')}</Text>;
  if (h.kind === 'node') return <Text>{t('tx.node', { org: orgText(h.org) })}</Text>;
  const sep = lang === 'en' ? ', ' : '、';
  return (
    <Stack gap={2}>
      <Text>{h.org ? orgName(h.org) : null}</Text>
      <Text size="sm">
        {t('tx.member')} <span className="mono">{h.member}</span>
      </Text>
      {h.roles.length > 0 && (
        <Text size="sm">{t('tx.rolesList', { roles: h.roles.map(role).join(sep) })}</Text>
      )}
      {h.status === 'revoked' && (
        <Text size="sm" c="dimmed">
          {t('tx.revoked')}
        </Text>
      )}
    </Stack>
  );
}

function QrCode(props: { url: string }) {
  const { t } = useTranslation('explorer');
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(props.url, { errorCorrectionLevel: 'M', margin: 2, width: 352 }).then(
      (s) => live && setSrc(s),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [props.url]);
  if (failed) return <Text size="sm">{t('tx.qrError')}</Text>;
  if (!src) return <div className="qr" aria-hidden="true" />;
  return (
    <img
      src={src}
      alt={t('tx.qrAlt', { url: props.url })}
      className="qr"
      width={176}
      height={176}
      data-testid="qr"
    />
  );
}

function TxDetails(props: { view: TxView }) {
  const { t } = useTranslation('explorer');
  const reason = useReasonText();
  const { id, tx, result, height, index } = props.view;
  const block = useBlockSummary(height);
  // DESIGN §3: a printed receipt's QR code holds a short link (chain, index, tx id), not the proof.
  const shortLink = `${window.location.origin}/verify/${id}?${new URLSearchParams({
    chain: tx.chain,
    index: String(index),
  }).toString()}`;
  return (
    <Stack gap="xl">
      <Section id="tx-summary" title={t('tx.summary')}>
        <Fields
          items={[
            { label: t('tx.type'), value: <TxType type={tx.type} /> },
            {
              label: t('tx.result'),
              value: (
                <Stack gap={2} align="flex-start" data-testid="tx-result">
                  <ResultBadge result={result} />
                  {!result.ok && <Text size="sm">{reason(result.code)}</Text>}
                </Stack>
              ),
            },
            { label: t('tx.signer'), value: <Signer signer={tx.signer} /> },
            { label: t('tx.key'), value: <Hash value={tx.signer} full /> },
            { label: t('tx.signedAt'), value: <Instant ms={tx.time} /> },
            {
              label: t('tx.recordedAt'),
              value: block.data ? <Instant ms={block.data.time} /> : '…',
            },
            {
              label: t('tx.block'),
              value: (
                <Anchor component={Link} to={`/explorer/blocks/${height}`}>
                  {t('block.title', { height })}
                </Anchor>
              ),
            },
            { label: t('tx.index'), value: <span className="tabular">#{index}</span> },
            { label: t('tx.nonce'), value: <span className="mono">{tx.nonce}</span> },
            { label: t('tx.chain'), value: <span className="mono">{tx.chain}</span> },
            { label: t('tx.signature'), value: <Hash value={tx.sig} /> },
          ]}
        />
      </Section>

      <Section id="tx-private" title={t('tx.private')}>
        <Text data-testid="private-note">
          {tx.private ? t('tx.privateHas') : t('tx.privateNone')}
        </Text>
        {tx.private && (
          <Fields
            items={[
              { label: t('tx.commitment'), value: <Hash value={tx.private.commitment} full /> },
            ]}
          />
        )}
      </Section>

      <Section id="tx-payload" title={t('tx.payload')}>
        <Text size="sm">{t('tx.payloadHint')}</Text>
        <pre
          className="json"
          tabIndex={0}
          aria-labelledby="tx-payload"
          translate="no"
          data-testid="payload"
        >
          {JSON.stringify(tx.payload, null, 2)}
        </pre>
      </Section>

      <Paper component="section" withBorder p="md" aria-labelledby="tx-receipt">
        <Stack gap="md">
          <Title order={2} id="tx-receipt">
            {t('tx.receipt')}
          </Title>
          <Text>{t('tx.receiptIntro')}</Text>
          <Group gap="sm" className="no-print">
            <Button component={Link} to={`/verify/${id}`}>
              {t('tx.verify')}
            </Button>
            <Button
              component="a"
              variant="default"
              href={`/v1/receipt/${id}`}
              download={`aidledger-receipt-${id}.json`}
            >
              {t('tx.download')}
            </Button>
            <Button variant="default" onClick={() => window.print()}>
              {t('tx.print')}
            </Button>
          </Group>
          <Group align="center" gap="lg" wrap="wrap">
            <QrCode url={shortLink} />
            <Stack gap={4} style={{ flex: '1 1 14rem', minWidth: 0 }}>
              <Text fw={600}>{t('tx.qrTitle')}</Text>
              <Text className="mono" data-testid="short-link">
                {shortLink}
              </Text>
              <Text size="sm">{t('tx.qrHint')}</Text>
            </Stack>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function TxLoader(props: { id: string }) {
  const { t } = useTranslation('explorer');
  const q = useTx(props.id);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    if (q.error instanceof AidError && q.error.code === 'NOT_FOUND')
      return (
        <Alert color="yellow" role="alert">
          {t('tx.notFound')}
        </Alert>
      );
    return <ErrorNotice error={q.error} retry={() => void q.refetch()} />;
  }
  return <TxDetails view={q.data} />;
}

export function TxPage() {
  const { t } = useTranslation('explorer');
  const id = useParams().id ?? '';
  const valid = TXID_RE.test(id);
  return (
    <Page title={t('tx.title')}>
      <div className="print-page">
        <Stack gap="lg">
          {valid && <Hash value={id} full />}
          {valid ? (
            <TxLoader key={id} id={id} />
          ) : (
            <Alert color="yellow" role="alert">
              {t('tx.bad')}
            </Alert>
          )}
        </Stack>
      </div>
    </Page>
  );
}
