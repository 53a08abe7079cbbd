/**
 * The evidence a reviewer decides on, beside the rules applied: the facts each source stated (the
 * application's declared facts, the hospital's verification with its invoice lines, each bureau's
 * attestation — `GET /v1/cases/{id}/sources`, for the program's assessors only), and the case's
 * documents, each opened by a read the reader signs and the ledger records before the node serves
 * a byte (`POST /v1/documents/{id}/read`), with the list of every read so far.
 */
import { useEffect, useRef, useState } from 'react';
import { Anchor, Button, Group, Image, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  caseDocuments,
  caseSources,
  FACT_LABELS,
  READ_ROLE_LABELS,
  readDocument,
  type CaseRecord,
  type DocumentRecord,
} from '@sdk';
import { client, queryClient } from '../../lib/api';
import { useFormats, useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { ErrorNotice, Loading } from '../../components/Status';
import { When } from '../../components/When';
import { ScrollTable } from '../../portal/ScrollTable';
import { useOrgName } from '../../applicant/shared';
import { useStaffQuery } from '../api';
import { chainId, useStaffSession, withToken } from '../session';
import { Refusal } from '../parts';
import { useDocumentKinds } from '../../lib/document-kinds';
import { AttachForm, mayAttach } from '../documents/DocumentsPanel';
import { useActionRefusal } from './words';

/** The facts of each source of the case, as the program's assessors may read them. */
export function CaseSources(props: { rec: CaseRecord; currency: string }) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const fmt = useFormats();
  const orgName = useOrgName();
  const { rec } = props;
  const q = useStaffQuery(['sources', rec.id, rec.updated], (tok) =>
    caseSources(client, tok, rec.id),
  );
  const factName = (n: string) => FACT_LABELS[n]?.[lang] ?? n;
  const value = (name: string, v: unknown): string => {
    if (name === 'householdIncomePerCapita' && typeof v === 'string')
      return fmt.money(v, props.currency);
    if (typeof v === 'boolean') return v ? t('evidence.yes') : t('evidence.no');
    if (Array.isArray(v)) return v.join(', ');
    return String(v);
  };
  const kindOf = (tx: string) =>
    tx === rec.sources.submit.tx
      ? t('evidence.application')
      : tx === rec.sources.verify?.tx
        ? t('evidence.verification', { org: orgName(rec.hospital) })
        : t('evidence.attestation');
  return (
    <Section small id="sources-title" title={t('evidence.sourcesTitle')}>
      <Text size="sm">{t('evidence.sourcesIntro')}</Text>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} retry={() => void q.refetch()} />
      ) : (
        <Stack gap="sm" component="ul" className="review-list" data-testid="case-sources">
          {q.data.sources.map((s) => {
            const f = s.facts;
            const person = (f.declared ?? f.facts ?? {}) as Record<string, unknown>;
            const lines = Array.isArray(f.lines)
              ? (f.lines as {
                  invoice: string;
                  line: number;
                  amount: string;
                  insurancePaid: string;
                }[])
              : [];
            const diagnoses = Array.isArray(f.diagnoses) ? (f.diagnoses as string[]) : [];
            return (
              <li key={s.tx} className="review-source">
                <Text fw={600}>{kindOf(s.tx)}</Text>
                <dl className="staff-facts">
                  {Object.entries(person).map(([k, v]) => (
                    <div key={k} className="review-fact">
                      <dt>{factName(k)}</dt>
                      <dd>{value(k, v)}</dd>
                    </div>
                  ))}
                  {diagnoses.length > 0 && (
                    <div className="review-fact">
                      <dt>{factName('diagnoses')}</dt>
                      <dd>{diagnoses.join(', ')}</dd>
                    </div>
                  )}
                  {typeof f.age === 'number' && (
                    <div className="review-fact">
                      <dt>{factName('age')}</dt>
                      <dd>{f.age}</dd>
                    </div>
                  )}
                </dl>
                {lines.length > 0 && (
                  <ScrollTable minWidth={420} label={t('evidence.lines')}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('evidence.invoice')}</Table.Th>
                          <Table.Th scope="col">{t('evidence.line')}</Table.Th>
                          <Table.Th scope="col">{t('evidence.amount')}</Table.Th>
                          <Table.Th scope="col">{t('evidence.insurance')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {lines.map((l) => (
                          <Table.Tr key={`${l.invoice}-${l.line}`}>
                            <Table.Td className="mono">{l.invoice}</Table.Td>
                            <Table.Td>{l.line}</Table.Td>
                            <Table.Td>{fmt.money(l.amount, props.currency)}</Table.Td>
                            <Table.Td>{fmt.money(l.insurancePaid, props.currency)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollTable>
                )}
                <Anchor
                  component={Link}
                  to={`/explorer/tx/${s.tx}`}
                  size="sm"
                  aria-label={`${t('evidence.transaction')}: ${kindOf(s.tx)}`}
                >
                  {t('evidence.transaction')}
                </Anchor>
              </li>
            );
          })}
        </Stack>
      )}
    </Section>
  );
}

/** A document opened here: an object URL of its bytes, kept until the page is left. */
interface Opened {
  url: string;
  format: string | undefined;
}

/**
 * The case's documents, opened by a recorded read, every read of them and, where the member may,
 * the form to attach one: the one list of documents the owner's reviewers see on a case in review
 * (documents/DocumentsPanel.tsx steps aside for them).
 */
export function CaseDocumentsPanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const orgName = useOrgName();
  const refusal = useActionRefusal();
  const s = useStaffSession();
  const { rec } = props;
  const docs = useStaffQuery(['documents', rec.id], (tok) => caseDocuments(client, tok, rec.id));
  const { kinds, label } = useDocumentKinds(rec.program);
  const v = s?.viewer;
  const [opened, setOpened] = useState<Record<string, Opened>>({});
  const [busy, setBusy] = useState<string | undefined>();
  const [failed, setFailed] = useState<unknown>();
  // Object URLs live as long as the panel shows them.
  const urls = useRef<string[]>([]);
  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  async function open(d: DocumentRecord) {
    if (!s) return;
    setBusy(d.id);
    setFailed(undefined);
    try {
      const chain = await chainId();
      const r = await withToken((tok) => readDocument(client, tok, chain, s.seed, d.id));
      const url = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: r.type }));
      urls.current.push(url);
      setOpened((o) => ({ ...o, [d.id]: { url, format: r.format } }));
      await queryClient.invalidateQueries({ queryKey: ['staff', s.key, 'documents', rec.id] });
    } catch (e) {
      setFailed(e);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <Section small id="documents-title" title={t('documents.title')}>
      {docs.isPending ? (
        <Loading />
      ) : docs.isError ? (
        <ErrorNotice error={docs.error} retry={() => void docs.refetch()} />
      ) : docs.data.documents.length === 0 ? (
        <Text data-testid="no-documents">{t('documents.none')}</Text>
      ) : (
        <Stack gap="sm">
          <Text size="sm">{t('documents.intro')}</Text>
          <Stack component="ul" gap="sm" className="review-list" data-testid="case-documents">
            {docs.data.documents.map((d) => {
              const o = opened[d.id];
              const name = label(d.kind);
              return (
                <li key={d.id} data-testid="case-document">
                  <Group gap="sm" wrap="wrap" align="center">
                    <Text fw={600}>{name}</Text>
                    <Text size="sm">
                      <span className="mono">{d.format.toUpperCase()}</span> · <When ms={d.time} />
                    </Text>
                    {d.status === 'erased' ? (
                      <Text size="sm">{t('documents.erased')}</Text>
                    ) : (
                      docs.data.mayRead && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={busy === d.id}
                          onClick={() => void open(d)}
                          aria-label={t('documents.openNamed', { name })}
                          data-testid="open-document"
                        >
                          {t('documents.open')}
                        </Button>
                      )
                    )}
                  </Group>
                  {o && o.format !== 'pdf' && (
                    <Image
                      src={o.url}
                      alt={name}
                      w="auto"
                      maw="100%"
                      mah={640}
                      fit="contain"
                      mt="xs"
                      className="review-image"
                      data-testid="document-image"
                    />
                  )}
                  {o && (
                    <Anchor
                      href={o.url}
                      target="_blank"
                      rel="noopener"
                      size="sm"
                      data-testid="document-link"
                      aria-label={t('documents.newTabNamed', { name })}
                    >
                      {t('documents.newTab')}
                    </Anchor>
                  )}
                </li>
              );
            })}
          </Stack>
          {!docs.data.mayRead && <Text size="sm">{t('documents.notReader')}</Text>}
          {failed !== undefined && <Refusal testId="document-refused">{refusal(failed)}</Refusal>}
          <Text fw={600} id="reads-title">
            {t('documents.readsTitle')}
          </Text>
          {(docs.data.reads ?? []).length === 0 ? (
            <Text size="sm">{t('documents.noReads')}</Text>
          ) : (
            <ScrollTable minWidth={520} label={t('documents.readsTitle')}>
              <Table data-testid="document-reads">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('documents.when')}</Table.Th>
                    <Table.Th scope="col">{t('documents.who')}</Table.Th>
                    <Table.Th scope="col">{t('documents.document')}</Table.Th>
                    <Table.Th scope="col">{t('documents.record')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(docs.data.reads ?? []).map((r) => (
                    <Table.Tr key={r.tx}>
                      <Table.Td>
                        <When ms={r.time} withTime />
                      </Table.Td>
                      <Table.Td data-testid="document-reader">
                        {r.reader === 'applicant' ? (
                          READ_ROLE_LABELS.applicant![lang]
                        ) : (
                          <>
                            <span className="mono">{r.reader}</span> · {orgName(r.org)} ·{' '}
                            {READ_ROLE_LABELS[r.as]?.[lang] ?? r.as}
                          </>
                        )}
                      </Table.Td>
                      <Table.Td>{label(r.kind)}</Table.Td>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/explorer/tx/${r.tx}`}
                          size="sm"
                          aria-label={t('documents.recordNamed', { name: label(r.kind) })}
                        >
                          {t('documents.record')}
                        </Anchor>
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
        <AttachForm rec={rec} kinds={kinds.map((k) => ({ name: k.name, label: label(k.name) }))} />
      )}
    </Section>
  );
}
