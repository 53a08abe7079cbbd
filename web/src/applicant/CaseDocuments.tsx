/**
 * The applicant's documents on their case page: what the program asks for, what was added
 * (by the family or the hospital), and adding a photo or a scan from the phone — uploaded to the
 * node, which tells a PDF, JPEG or PNG from its bytes and keeps it encrypted, then named on the
 * public record by a `documents.attach` the account sends.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Button, FileButton, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  AidError,
  caseDocuments,
  MAX_DOCUMENT_BYTES,
  sniffFormat,
  uploadDocument,
  type CaseRecord,
} from '@sdk';
import { client } from '../lib/api';
import { useDocumentKinds } from '../lib/document-kinds';
import { useLocale } from '../lib/locale-context';
import { Section } from '../components/Section';
import { When } from '../components/When';
import { submitSigned, withToken, type Unlocked } from './session';

const ENDED = ['closed', 'withdrawn', 'cancelled', 'rejected'];
const WORDED = ['TOO_LARGE', 'UNSUPPORTED_TYPE', 'INVALID_STATE', 'RATE_LIMITED'] as const;

export function CaseDocuments(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicantDocuments');
  const { lang } = useLocale();
  const qc = useQueryClient();
  const { rec } = props;
  const { kinds: asked, label } = useDocumentKinds(rec.program);
  const key = ['me', props.unlocked.key, 'documents', rec.id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => withToken(lang, (tok) => caseDocuments(client, tok, rec.id)),
  });
  const [chosenKind, setKind] = useState('');
  const kind = chosenKind || (asked[0]?.name ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);

  const words = (code: string) =>
    (WORDED as readonly string[]).includes(code)
      ? t(`problems.${code as (typeof WORDED)[number]}`)
      : t('problems.other', { code });

  async function choose(f: File | null) {
    setFile(f);
    setSent(false);
    setProblem(undefined);
    if (!f) return;
    if (f.size > MAX_DOCUMENT_BYTES) setProblem(words('TOO_LARGE'));
    else if (sniffFormat(new Uint8Array(await f.slice(0, 16).arrayBuffer())) === undefined)
      setProblem(words('UNSUPPORTED_TYPE'));
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setProblem(t('chooseFirst'));
      return;
    }
    if (problem) return;
    setSending(true);
    try {
      const up = await withToken(lang, (tok) => uploadDocument(client, tok, file));
      const out = await submitSigned({
        type: 'documents.attach',
        payload: {
          case: rec.id,
          kind,
          format: up.format,
          commitment: up.commitment,
          holder: up.holder,
        },
      });
      if (!out.result.ok) setProblem(words(out.result.code));
      else {
        setSent(true);
        setFile(null);
        await qc.invalidateQueries({ queryKey: key });
      }
    } catch (err) {
      setProblem(words(err instanceof AidError ? err.code : 'UNAVAILABLE'));
    } finally {
      setSending(false);
    }
  }

  if (asked.length === 0) return null;
  const docs = q.data?.documents ?? [];
  const open = !ENDED.includes(rec.state);
  return (
    <Section small id="my-documents-title" title={t('title')}>
      <Text size="sm">{t('intro')}</Text>
      <Text size="sm">
        {t('asked', { list: asked.map((a) => a.labels[lang]).join(lang === 'en' ? ', ' : '、') })}
      </Text>
      {q.isSuccess && docs.length === 0 && <Text>{t('none')}</Text>}
      {docs.length > 0 && (
        <ul data-testid="my-documents">
          {docs.map((d) => (
            <li key={d.id}>
              {label(d.kind)} · {t('added')} <When ms={d.time} withTime />
            </li>
          ))}
        </ul>
      )}
      {open && (
        <form onSubmit={(e) => void send(e)} noValidate data-testid="my-attach-form">
          <Stack gap="sm" maw={520}>
            <NativeSelect
              label={t('kind')}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value)}
              data-testid="my-attach-kind"
            >
              {asked.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.labels[lang]}
                </option>
              ))}
            </NativeSelect>
            <Text size="sm">{t('help')}</Text>
            <FileButton
              onChange={(f) => void choose(f)}
              accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
            >
              {(p) => (
                <Button variant="default" {...p} data-testid="my-attach-file">
                  {t('choose')}
                </Button>
              )}
            </FileButton>
            {file && <Text size="sm">{t('chosen', { name: file.name })}</Text>}
            {problem && (
              <Alert color="red" role="alert" data-testid="my-attach-problem">
                {problem}
              </Alert>
            )}
            <div>
              <Button type="submit" loading={sending} data-testid="my-attach-send">
                {t('send')}
              </Button>
            </div>
            {sent && (
              <Alert color="green" role="status" data-testid="my-attach-sent">
                {t('sent')}
              </Alert>
            )}
          </Stack>
        </form>
      )}
    </Section>
  );
}
