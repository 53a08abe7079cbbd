/**
 * Verify a receipt in the visitor's own browser: paste it, drop or choose the file, or open the
 * short link of a printed QR code (`/verify/<txid>`: the receipt is fetched from the node, then
 * checked here like any other). The SDK's `verifyReceipt` does the checking.
 */
import './words';
import { useEffect, useMemo, useRef, useState, type DragEvent, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { AidError, type Receipt } from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { Hash } from '../components/Hash';
import { ErrorNotice } from '../components/Status';
import { client, usePolicy } from '../lib/api';
import { checkReceiptText, type Checked } from './check';
import { FilePick } from './FilePick';
import { PolicyPanel, type FilePolicy } from './PolicyPanel';
import { Verdict } from './Verdict';
import './verify.css';

const TXID_RE = /^[0-9a-f]{64}$/;
/** Far above any real receipt (a leaf, a 64-hash proof and a checkpoint note). */
const MAX_FILE = 2_500_000;

interface Input {
  text: string;
  source: 'node' | 'paste' | 'file';
  name?: string;
}

function ReceiptInput(props: { onInput: (i: Input) => void; another: boolean }) {
  const { t } = useTranslation('verify');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [dragging, setDragging] = useState(false);

  async function read(file: File) {
    if (file.size > MAX_FILE) {
      setNote(t('input.tooLarge'));
      return;
    }
    setNote(t('input.reading'));
    try {
      const content = await file.text();
      setNote('');
      props.onInput({ text: content, source: 'file', name: file.name });
    } catch {
      setNote(t('input.unreadable'));
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setNote(t('input.empty'));
      return;
    }
    setNote('');
    props.onInput({ text, source: 'paste' });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void read(f);
  }

  return (
    <Section id="input-title" title={props.another ? t('input.another') : t('input.title')}>
      <form onSubmit={onSubmit}>
        <Stack gap="xs">
          <Textarea
            label={t('input.paste')}
            description={t('input.pasteHint')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={4}
            maxRows={10}
            spellCheck={false}
            autoComplete="off"
            className="receipt-text"
            data-testid="receipt-text"
          />
          <div>
            <Button type="submit">{t('input.check')}</Button>
          </div>
        </Stack>
      </form>
      <div
        className="dropzone"
        data-dragging={dragging ? '' : undefined}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Text>{t('input.drop')}</Text>
        <Text c="dimmed">{t('input.or')}</Text>
        <FilePick
          label={t('input.choose')}
          accept="application/json,.json"
          onFile={(f) => void read(f)}
          testId="receipt-file"
        />
      </div>
      <Text size="sm" aria-live="polite" data-testid="input-note">
        {note}
      </Text>
    </Section>
  );
}

/** The ledger and log index a printed link names beside the transaction id. */
export interface LinkExpectation {
  chain: string;
  index: number;
}

/** Reads `?chain=&index=` of a short link; both or nothing. */
function linkExpectation(params: URLSearchParams): LinkExpectation | undefined {
  const chain = params.get('chain');
  const index = params.get('index');
  if (!chain || !index || !/^(0|[1-9][0-9]{0,15})$/.test(index)) return undefined;
  return { chain, index: Number(index) };
}

/** Whether the receipt is the entry the printed link names: same ledger, same log index. */
function linkMatches(expect: LinkExpectation, checked: Checked): boolean {
  const leaf = checked.leaf;
  const chain = leaf?.kind === 'tx' ? leaf.tx.chain : undefined;
  return checked.receipt?.index === expect.index && chain === expect.chain;
}

function LinkMatch(props: { expect: LinkExpectation; checked: Checked }) {
  const { t } = useTranslation('verify');
  const { expect, checked } = props;
  const ok = linkMatches(expect, checked);
  const words = { index: expect.index, chain: expect.chain };
  return ok ? (
    <Text size="sm" data-testid="link-match">
      {t('fetched.linkMatches', words)}
    </Text>
  ) : (
    <Alert color="red" role="alert" data-testid="link-differs">
      {t('fetched.linkDiffers', words)}
    </Alert>
  );
}

/** The receipt behind a short link, fetched from this node. */
function Fetched(props: {
  txid: string;
  receipt: Receipt | undefined;
  /** What the printed link names besides the id (DESIGN §3: chain, index, tx id). */
  expect: LinkExpectation | undefined;
  checked: Checked | null;
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
}) {
  const { t } = useTranslation('verify');
  const q = props.query;
  let body;
  if (!TXID_RE.test(props.txid)) body = <Text>{t('fetched.bad')}</Text>;
  else if (q.isPending) body = <Text role="status">{t('fetched.loading')}</Text>;
  else if (q.isError)
    body =
      q.error instanceof AidError && q.error.code === 'NOT_FOUND' ? (
        <Alert color="yellow" role="alert">
          {t('fetched.notFound')}
        </Alert>
      ) : (
        <ErrorNotice error={q.error} retry={() => void q.refetch()} />
      );
  else
    body = (
      <Stack gap="xs">
        <Text size="sm">{t('fetched.text')}</Text>
        <Hash value={props.txid} full />
        {props.expect && props.checked?.receipt && (
          <LinkMatch expect={props.expect} checked={props.checked} />
        )}
        <Group gap="md">
          <Anchor
            href={`/v1/receipt/${props.txid}`}
            download={`aidledger-receipt-${props.txid}.json`}
          >
            {t('fetched.download')}
          </Anchor>
          <Anchor component={Link} to={`/explorer/tx/${props.txid}`}>
            {t('fetched.explorer')}
          </Anchor>
        </Group>
        <details>
          <summary>{t('fetched.show')}</summary>
          <pre className="json" tabIndex={0} translate="no" aria-label={t('fetched.show')}>
            {JSON.stringify(props.receipt, null, 2)}
          </pre>
        </details>
      </Stack>
    );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="fetched-title">
      <Stack gap="xs">
        <Title order={2} size="h3" id="fetched-title">
          {t('fetched.title')}
        </Title>
        {body}
      </Stack>
    </Paper>
  );
}

export function VerifyPage(props: { txid?: string; expect?: LinkExpectation | undefined }) {
  const { t } = useTranslation('verify');
  const nodePolicy = usePolicy();
  const [filePolicy, setFilePolicy] = useState<FilePolicy | null>(null);
  const [input, setInput] = useState<Input | null>(null);
  const txid = props.txid;
  const fetched = useQuery({
    queryKey: ['verify', 'receipt', txid],
    enabled: txid !== undefined && TXID_RE.test(txid),
    queryFn: () => client.receipt(txid!),
    staleTime: Infinity,
  });
  useEffect(() => {
    if (fetched.data) setInput({ text: JSON.stringify(fetched.data), source: 'node' });
  }, [fetched.data]);

  const policy = filePolicy?.policy ?? nodePolicy.data;
  const checked = useMemo(
    () => (input && policy ? checkReceiptText(input.text, policy) : null),
    [input, policy],
  );
  const source =
    input?.source === 'file' ? (
      <Text size="sm">
        {t('input.fromFile')} <span className="mono">{input.name}</span>
      </Text>
    ) : input?.source === 'paste' ? (
      <Text size="sm">{t('input.fromPaste')}</Text>
    ) : undefined;
  // A receipt the reader gave is checked below the form: bring the verdict into view.
  const verdictRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (input && input.source !== 'node')
      verdictRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [input]);
  const verdict = (
    <div ref={verdictRef} className="verdict-anchor">
      <Verdict
        checked={checked}
        quorum={policy?.quorum ?? 0}
        source={source}
        linkMismatch={
          input?.source === 'node' &&
          props.expect !== undefined &&
          checked !== null &&
          checked.receipt !== undefined &&
          !linkMatches(props.expect, checked)
        }
      />
    </div>
  );
  const fromLink = txid !== undefined;

  return (
    <Page title={t('title')}>
      <Text>{t('intro')}</Text>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {fromLink && (
              <Fetched
                txid={txid}
                receipt={fetched.data}
                query={fetched}
                expect={props.expect}
                checked={input?.source === 'node' ? checked : null}
              />
            )}
            {fromLink && verdict}
            <ReceiptInput onInput={setInput} another={fromLink} />
            {!fromLink && verdict}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <PolicyPanel node={nodePolicy} file={filePolicy} onFile={setFilePolicy} />
        </Grid.Col>
      </Grid>
    </Page>
  );
}

/** `/verify/<txid>`: a fresh page per transaction id. */
export function VerifyLinkPage() {
  const txid = useParams().txid ?? '';
  const [params] = useSearchParams();
  return <VerifyPage key={txid} txid={txid} expect={linkExpectation(params)} />;
}
