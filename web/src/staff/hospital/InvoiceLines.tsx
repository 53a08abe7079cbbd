/**
 * The invoice lines of a verification: a table to type in, rows pasted from a spreadsheet, or a
 * FHIR R4 `Claim` (and the basic insurer's `ClaimResponse` beside it) read on this device by the
 * SDK's `linesFromFhir`. The file never leaves the device: only the lines go, in the private part
 * of the signed verification.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  FileButton,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FhirImportError, linesFromFhir } from '@sdk';
import { ScrollTable } from '../../portal/ScrollTable';
import {
  EMPTY_LINE,
  linesFromImport,
  linesFromPaste,
  type LineErrors,
  type LineField,
  type LineInput,
} from './lines';

const FIELDS: readonly LineField[] = ['invoice', 'line', 'item', 'amount', 'insurancePaid'];
/** At most this many lines a verification (the contract's bound). */
const MAX_LINES = 200;

async function readJson(file: File): Promise<unknown> {
  const text = await file.text();
  return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
}

export function InvoiceLines(props: {
  lines: LineInput[];
  errors: LineErrors[];
  currency: string;
  onChange(lines: LineInput[]): void;
}) {
  const { t } = useTranslation('hospital');
  const [claim, setClaim] = useState<File | null>(null);
  const [response, setResponse] = useState<File | null>(null);
  const [importError, setImportError] = useState<string | undefined>();
  const [imported, setImported] = useState<string | undefined>();
  const [paste, setPaste] = useState('');
  const { lines, currency } = props;

  const set = (i: number, f: LineField, v: string) =>
    props.onChange(lines.map((l, k) => (k === i ? { ...l, [f]: v } : l)));
  const nonEmpty = (ls: LineInput[]) => ls.filter((l) => FIELDS.some((f) => l[f].trim() !== ''));

  async function importClaim(c: File | null, r: File | null) {
    setImportError(undefined);
    setImported(undefined);
    if (!c) return;
    try {
      let claimJson: unknown;
      let responseJson: unknown;
      try {
        claimJson = await readJson(c);
        responseJson = r ? await readJson(r) : undefined;
      } catch {
        setImportError(t('lines.notJson'));
        return;
      }
      const got = linesFromFhir(claimJson, currency, responseJson);
      props.onChange(linesFromImport(got, currency).slice(0, MAX_LINES));
      setImported(
        t(r ? 'lines.importedWithShares' : 'lines.imported', {
          n: got.length,
          invoice: got[0]?.invoice ?? '',
        }),
      );
    } catch (e) {
      if (e instanceof FhirImportError)
        setImportError(t('lines.fhirError', { path: e.path, problem: e.message }));
      else setImportError(t('lines.notJson'));
    }
  }

  function addPasted() {
    const rows = linesFromPaste(paste);
    if (rows.length === 0) return;
    props.onChange([...nonEmpty(lines), ...rows].slice(0, MAX_LINES));
    setPaste('');
    setImported(t('lines.pasted', { n: rows.length }));
  }

  const problem = (i: number, f: LineField) => {
    const p = props.errors[i]?.[f];
    return p === undefined ? undefined : t(`lines.problem.${p}`);
  };

  return (
    <Stack gap="sm" data-testid="invoice-lines">
      <Text size="sm">{t('lines.intro', { currency })}</Text>
      <ScrollTable minWidth={720} label={t('lines.tableLabel')}>
        <Table data-testid="lines-table">
          <Table.Thead>
            <Table.Tr>
              {FIELDS.map((f) => (
                <Table.Th key={f} scope="col">
                  {t(`lines.col.${f}`)}
                </Table.Th>
              ))}
              <Table.Th scope="col">
                <VisuallyHidden>{t('lines.remove')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l, i) => (
              <Table.Tr key={i} data-testid="line-row">
                {FIELDS.map((f) => (
                  <Table.Td key={f}>
                    <TextInput
                      size="sm"
                      aria-label={t('lines.cell', { col: t(`lines.col.${f}`), n: i + 1 })}
                      value={l[f]}
                      onChange={(e) => set(i, f, e.currentTarget.value)}
                      error={problem(i, f)}
                      aria-invalid={problem(i, f) !== undefined}
                      inputMode={
                        f === 'line'
                          ? 'numeric'
                          : f === 'invoice' || f === 'item'
                            ? 'text'
                            : 'decimal'
                      }
                      autoComplete="off"
                      data-testid={`line-${f}-${i}`}
                    />
                  </Table.Td>
                ))}
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    disabled={lines.length === 1}
                    onClick={() => props.onChange(lines.filter((_, k) => k !== i))}
                    aria-label={t('lines.removeLine', { n: i + 1 })}
                  >
                    {t('lines.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <div>
        <Button
          variant="default"
          size="xs"
          disabled={lines.length >= MAX_LINES}
          onClick={() => props.onChange([...lines, EMPTY_LINE])}
          data-testid="line-add"
        >
          {t('lines.add')}
        </Button>
      </div>
      <Textarea
        label={t('lines.pasteLabel')}
        description={t('lines.pasteHelp')}
        value={paste}
        onChange={(e) => setPaste(e.currentTarget.value)}
        autosize
        minRows={2}
        data-testid="lines-paste"
      />
      <div>
        <Button variant="default" size="xs" onClick={addPasted} data-testid="lines-paste-add">
          {t('lines.pasteAdd')}
        </Button>
      </div>
      <Stack gap={4}>
        <Text fw={600}>{t('lines.fhirTitle')}</Text>
        <Text size="sm">{t('lines.fhirHelp')}</Text>
        <Group gap="sm" wrap="wrap">
          <FileButton
            onChange={(f) => {
              setClaim(f);
              void importClaim(f, response);
            }}
            accept="application/json,application/fhir+json,.json"
          >
            {(p) => (
              <Button variant="default" {...p} data-testid="fhir-claim">
                {t('lines.chooseClaim')}
              </Button>
            )}
          </FileButton>
          <FileButton
            onChange={(f) => {
              setResponse(f);
              void importClaim(claim, f);
            }}
            accept="application/json,application/fhir+json,.json"
          >
            {(p) => (
              <Button variant="default" {...p} data-testid="fhir-response">
                {t('lines.chooseResponse')}
              </Button>
            )}
          </FileButton>
        </Group>
        {(claim || response) && (
          <Text size="sm">
            {claim ? t('lines.claimFile', { name: claim.name }) : ''}{' '}
            {response ? t('lines.responseFile', { name: response.name }) : ''}
          </Text>
        )}
      </Stack>
      <div aria-live="polite">
        {imported && (
          <Text size="sm" data-testid="lines-imported">
            {imported}
          </Text>
        )}
      </div>
      {importError && (
        <Alert color="red" role="alert" data-testid="fhir-error">
          {importError}
        </Alert>
      )}
    </Stack>
  );
}
