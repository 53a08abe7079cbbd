/**
 * A case's documents on the staff case page: the list (kind, format, who attached it, when), who
 * read them, opening one (a `documents.read` signed with the member's key and committed on the
 * ledger before the node serves a byte: `POST /v1/documents/{id}/read`), and attaching a PDF,
 * JPEG or PNG of at most 20 MB (uploaded to this node, which tells the format from the bytes and
 * keeps them encrypted, then named on the ledger by a signed `documents.attach`).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Anchor, Button, FileButton, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  AidError,
  caseDocuments,
  MAX_DOCUMENT_BYTES,
  READ_ROLE_LABELS,
  readDocument,
  sniffFormat,
  uploadDocument,
  type CaseRecord,
  type DocumentRecord,
} from '@sdk';
import { client, queryClient } from '../../lib/api';
import { useDocumentKinds } from '../../lib/document-kinds';
import { useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { ErrorNotice, Loading } from '../../components/Status';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { useSignedAction, useStaffQuery } from '../api';
import { Refusal } from '../parts';
import type { StaffRole } from '../roles';
import { chainId, useStaffSession, withToken } from '../session';
import { ActionResult } from '../hospital/HospitalPanel';
import { useHospitalRefusal } from '../hospital/refusal';

/** Who sees the panel: everyone who sees the case (the node says whether they may read). */
export const DOCUMENT_PANEL_ROLES: readonly StaffRole[] = [
  'clerk',
  'social-worker',
  'reviewer',
  'program-manager',
  'regulator',
  'auditor',
  'finance',
  'operator',
  'admin',
];

const ENDED = ['closed', 'withdrawn', 'cancelled'];

/** The states in which the owner's reviewers and managers review a case (review/ReviewPanel.tsx). */
export const REVIEW_STATES: readonly string[] = [
  'verified',
  'assessed',
  'appealed',
  'info-requested',
];

/**
 * Whether the review panel shows this member the case's documents (review/Evidence.tsx,
 * `CaseDocumentsPanel`, with the attach form): then this panel steps aside, so the documents
 * are listed once on the page.
 */
export function documentsInReview(rec: CaseRecord, org: string, roles: readonly string[]): boolean {
  return (
    org === rec.owner &&
    REVIEW_STATES.includes(rec.state) &&
    roles.some((r) => r === 'reviewer' || r === 'program-manager')
  );
}

/** Whether the member may attach to this case (docs/documents.md "Who may do what"). */
export function mayAttach(rec: CaseRecord, org: string, roles: readonly string[]): boolean {
  if (ENDED.includes(rec.state)) return false;
  if (org === rec.hospital && roles.some((r) => r === 'clerk' || r === 'social-worker'))
    return true;
  return org === rec.owner && roles.some((r) => r === 'reviewer' || r === 'program-manager');
}

export function DocumentsPanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const s = useStaffSession();
  const { rec } = props;
  const docs = useStaffQuery(['documents', rec.id], (tok) => caseDocuments(client, tok, rec.id));
  const { kinds, label } = useDocumentKinds(rec.program);
  const v = s?.viewer;
  if (v && documentsInReview(rec, v.org, v.roles)) return null;
  return (
    <Section id="documents-title" title={t('docs.title')}>
      {docs.isPending ? (
        <Loading />
      ) : docs.isError ? (
        <ErrorNotice error={docs.error} retry={() => void docs.refetch()} />
      ) : (
        <Stack gap="md" data-testid="documents-panel">
          {docs.data.documents.length === 0 ? (
            <Text data-testid="no-documents">{t('docs.none')}</Text>
          ) : (
            <ScrollTable minWidth={620} label={t('docs.title')}>
              <Table data-testid="documents-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('docs.kind')}</Table.Th>
                    <Table.Th scope="col">{t('docs.format')}</Table.Th>
                    <Table.Th scope="col">{t('docs.by')}</Table.Th>
                    <Table.Th scope="col">{t('docs.when')}</Table.Th>
                    <Table.Th scope="col">{t('docs.open')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {docs.data.documents.map((d) => (
                    <Table.Tr key={d.id} data-testid="document-row">
                      <Table.Td>{label(d.kind)}</Table.Td>
                      <Table.Td>{t(`docs.formats.${d.format}`)}</Table.Td>
                      <Table.Td className="mono">
                        {d.by === 'applicant' ? t('docs.applicant') : d.by}
                      </Table.Td>
                      <Table.Td>
                        <When ms={d.time} withTime />
                      </Table.Td>
                      <Table.Td>
                        {d.status === 'erased' ? (
                          t('docs.erased')
                        ) : docs.data.mayRead ? (
                          <OpenDocument doc={d} label={label(d.kind)} />
                        ) : (
                          t('docs.notReader')
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          {docs.data.reads !== undefined && (
            <Stack gap="xs">
              <Text fw={700} component="h3" size="lg">
                {t('docs.readsTitle')}
              </Text>
              {docs.data.reads.length === 0 ? (
                <Text data-testid="no-reads">{t('docs.noReads')}</Text>
              ) : (
                <ScrollTable minWidth={560} label={t('docs.readsTitle')}>
                  <Table data-testid="reads-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('docs.reader')}</Table.Th>
                        <Table.Th scope="col">{t('docs.as')}</Table.Th>
                        <Table.Th scope="col">{t('docs.kind')}</Table.Th>
                        <Table.Th scope="col">{t('docs.when')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {docs.data.reads.map((r) => (
                        <Table.Tr key={r.tx} data-testid="read-row">
                          <Table.Td className="mono">
                            {r.reader === 'applicant' ? t('docs.applicant') : r.reader}
                          </Table.Td>
                          <Table.Td>{READ_ROLE_LABELS[r.as]?.[lang] ?? r.as}</Table.Td>
                          <Table.Td>{label(r.kind)}</Table.Td>
                          <Table.Td>
                            <When ms={r.time} withTime />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollTable>
              )}
            </Stack>
          )}
          {v && mayAttach(rec, v.org, v.roles) && kinds.length > 0 && (
            <AttachForm
              rec={rec}
              kinds={kinds.map((k) => ({ name: k.name, label: label(k.name) }))}
            />
          )}
        </Stack>
      )}
    </Section>
  );
}

/** Opens a document: the read is recorded on the ledger first, then the bytes are shown. */
function OpenDocument(props: { doc: DocumentRecord; label: string }) {
  const { t } = useTranslation('hospital');
  const refusal = useHospitalRefusal();
  const s = useStaffSession();
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  async function open() {
    if (!s) return;
    setBusy(true);
    setError(undefined);
    try {
      const chain = await chainId();
      const got = await withToken((tok) => readDocument(client, tok, chain, s.seed, props.doc.id));
      const blob = new Blob([got.bytes as BlobPart], { type: got.type });
      setUrl(URL.createObjectURL(blob));
      // The read is on the ledger now: the list of reads shows it.
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const ext = props.doc.format === 'jpeg' ? 'jpg' : props.doc.format;
  return (
    <Stack gap={4} align="flex-start">
      {url ? (
        <Group gap="sm">
          <Anchor href={url} target="_blank" rel="noopener" data-testid="document-show">
            {t('docs.save', { kind: props.label })}
          </Anchor>
          <Anchor
            href={url}
            download={`${props.doc.kind}-${props.doc.id.slice(0, 8)}.${ext}`}
            data-testid="document-link"
          >
            {t('docs.saveFile')}
          </Anchor>
        </Group>
      ) : (
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={() => void open()}
          aria-label={t('docs.openLabel', { kind: props.label })}
          data-testid="document-open"
        >
          {t('docs.openButton')}
        </Button>
      )}
      {error !== undefined && (
        <Text c="red.8" size="sm" role="alert" data-testid="document-refused">
          {refusal(error)} (
          {t('code', { code: error instanceof AidError ? error.code : 'UNAVAILABLE' })})
        </Text>
      )}
    </Stack>
  );
}

export function AttachForm(props: { rec: CaseRecord; kinds: { name: string; label: string }[] }) {
  const { t } = useTranslation('hospital');
  const refusal = useHospitalRefusal();
  const [kind, setKind] = useState(props.kinds[0]?.name ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const [uploading, setUploading] = useState(false);
  const action = useSignedAction();

  async function choose(f: File | null) {
    setFile(f);
    setProblem(undefined);
    action.reset();
    if (!f) return;
    if (f.size > MAX_DOCUMENT_BYTES) setProblem(refusal('TOO_LARGE'));
    else if (sniffFormat(new Uint8Array(await f.slice(0, 16).arrayBuffer())) === undefined)
      setProblem(refusal('UNSUPPORTED_TYPE'));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setProblem(t('docs.chooseFirst'));
      return;
    }
    if (problem) return;
    setUploading(true);
    try {
      const up = await withToken((tok) => uploadDocument(client, tok, file));
      setUploading(false);
      const ok = await action.run({
        type: 'documents.attach',
        payload: {
          case: props.rec.id,
          kind,
          format: up.format,
          commitment: up.commitment,
          holder: up.holder,
        },
      });
      if (ok) setFile(null);
    } catch (err) {
      setProblem(
        `${refusal(err)} (${t('code', { code: err instanceof AidError ? err.code : 'UNAVAILABLE' })})`,
      );
    } finally {
      setUploading(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="attach-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('docs.attachTitle')}
        </Text>
        <Text size="sm">{t('docs.attachHelp')}</Text>
        <NativeSelect
          label={t('docs.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value)}
          data-testid="attach-kind"
        >
          {props.kinds.map((k) => (
            <option key={k.name} value={k.name}>
              {k.label}
            </option>
          ))}
        </NativeSelect>
        <Group gap="sm">
          <FileButton
            onChange={(f) => void choose(f)}
            accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
          >
            {(p) => (
              <Button variant="default" {...p} data-testid="attach-file">
                {t('docs.chooseFile')}
              </Button>
            )}
          </FileButton>
          {file && (
            <Text size="sm" data-testid="attach-file-name">
              {file.name}
            </Text>
          )}
        </Group>
        {problem && <Refusal testId="attach-problem">{problem}</Refusal>}
        <div>
          <Button
            type="submit"
            loading={uploading || action.state.kind === 'busy'}
            data-testid="attach-submit"
          >
            {t('docs.attach')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('docs.attached')} testId="attach" />
      </Stack>
    </form>
  );
}
