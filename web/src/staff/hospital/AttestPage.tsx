/**
 * `/staff/attest`: a government bureau's clerk attests facts about patients from the bureau's own
 * records (income per person, household size, age, region, low-income and disability status), one
 * patient at a time or in bulk from a CSV file. The file is read on this device by the SDK's
 * `attestationsFromCsv`; each row's result (ready, or refused with a code and the column at fault)
 * is shown before anything is signed, and each good row becomes one signed `attest.facts` whose
 * private part holds the identity number and the facts, its result shown beside it once signed.
 */
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  FileButton,
  Group,
  NativeSelect,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  attestationsFromCsv,
  buildSubmission,
  MAX_ATTEST_ROWS,
  PersonFactsSchema,
  type AttestRow,
  type PersonFacts,
} from '@sdk';
import { useFormats } from '../../lib/locale-context';
import { Page } from '../../components/Page';
import { Section } from '../../components/Section';
import { ScrollTable } from '../../portal/ScrollTable';
import { plain, toMinor } from '../../applicant/facts';
import { useSignedAction } from '../api';
import { Refusal } from '../parts';
import { chainId, useStaffSession } from '../session';
import { client } from '../../lib/api';
import { ActionResult } from './HospitalPanel';
import { EMPTY_PATIENT, parsePatient, PatientIdFields, type PatientInput } from './PatientId';
import { codeOf, useHospitalRefusal } from './refusal';

/** Rows sent in one request. */
const BATCH = 20;

/** Bureaus attest incomes in the programs' currency. */
const CURRENCY = 'CNY';

export function AttestPage() {
  const { t } = useTranslation('hospital');
  return (
    <Page title={t('attest.title')}>
      <Stack gap="xl" maw={960}>
        <Text>{t('attest.intro')}</Text>
        <AttestOne />
        <AttestBulk />
      </Stack>
    </Page>
  );
}

type Flag = '' | 'yes' | 'no';

function AttestOne() {
  const { t } = useTranslation('hospital');
  const [patient, setPatient] = useState<PatientInput>(EMPTY_PATIENT);
  const [patientError, setPatientError] = useState<'required' | 'invalid' | undefined>();
  const [income, setIncome] = useState('');
  const [size, setSize] = useState('');
  const [age, setAge] = useState('');
  const [region, setRegion] = useState('');
  const [lowIncome, setLowIncome] = useState<Flag>('');
  const [disability, setDisability] = useState<Flag>('');
  const [errors, setErrors] = useState<Partial<Record<keyof PersonFacts | 'none', boolean>>>({});
  const action = useSignedAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = parsePatient(patient);
    setPatientError(p.ok ? undefined : p.problem);
    const errs: Partial<Record<keyof PersonFacts | 'none', boolean>> = {};
    const facts: Record<string, unknown> = {};
    if (plain(income) !== '') {
      const m = toMinor(income, CURRENCY);
      if (m === undefined) errs.householdIncomePerCapita = true;
      else facts.householdIncomePerCapita = m;
    }
    const whole = (s: string) => (/^[0-9]{1,3}$/.test(plain(s)) ? Number(plain(s)) : Number.NaN);
    if (plain(size) !== '') facts.householdSize = whole(size);
    if (plain(age) !== '') facts.age = whole(age);
    if (plain(region) !== '') facts.region = plain(region).toUpperCase();
    if (lowIncome !== '') facts.lowIncome = lowIncome === 'yes';
    if (disability !== '') facts.disability = disability === 'yes';
    const r = PersonFactsSchema.safeParse(facts);
    if (!r.success)
      for (const issue of r.error.issues) errs[issue.path[0] as keyof PersonFacts] = true;
    if (Object.keys(facts).length === 0) errs.none = true;
    setErrors(errs);
    if (!p.ok || Object.keys(errs).length > 0 || !r.success) return;
    await action.run({
      type: 'attest.facts',
      payload: {},
      facts: { patient: p.patient, facts: r.data },
    });
  }

  const err = (f: keyof PersonFacts) => (errors[f] ? t(`attest.invalid.${f}`) : undefined);
  const flagSelect = (f: 'lowIncome' | 'disability', value: Flag, set: (v: Flag) => void) => (
    <NativeSelect
      label={t(`attest.facts.${f}`)}
      value={value}
      onChange={(e) => set(e.currentTarget.value as Flag)}
      data-testid={`attest-${f}`}
    >
      <option value="">{t('attest.notStated')}</option>
      <option value="yes">{t('attest.yes')}</option>
      <option value="no">{t('attest.no')}</option>
    </NativeSelect>
  );

  return (
    <Section id="attest-one" title={t('attest.oneTitle')}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="attest-form">
        <Stack gap="sm">
          <Text size="sm">{t('attest.oneIntro')}</Text>
          <PatientIdFields
            value={patient}
            onChange={setPatient}
            error={patientError}
            description={t('attest.fromRecords')}
            testId="attest-patient"
          />
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('attest.facts.householdIncomePerCapita')}
              description={t('attest.incomeHelp')}
              value={income}
              onChange={(e) => setIncome(e.currentTarget.value)}
              error={err('householdIncomePerCapita')}
              aria-invalid={errors.householdIncomePerCapita === true}
              inputMode="decimal"
              autoComplete="off"
              data-testid="attest-income"
            />
            <TextInput
              label={t('attest.facts.householdSize')}
              value={size}
              onChange={(e) => setSize(e.currentTarget.value)}
              error={err('householdSize')}
              aria-invalid={errors.householdSize === true}
              inputMode="numeric"
              autoComplete="off"
              data-testid="attest-size"
            />
            <TextInput
              label={t('attest.facts.age')}
              value={age}
              onChange={(e) => setAge(e.currentTarget.value)}
              error={err('age')}
              aria-invalid={errors.age === true}
              inputMode="numeric"
              autoComplete="off"
              data-testid="attest-age"
            />
            <TextInput
              label={t('attest.facts.region')}
              description={t('attest.regionHelp')}
              value={region}
              onChange={(e) => setRegion(e.currentTarget.value)}
              error={err('region')}
              aria-invalid={errors.region === true}
              autoComplete="off"
              data-testid="attest-region"
            />
            {flagSelect('lowIncome', lowIncome, setLowIncome)}
            {flagSelect('disability', disability, setDisability)}
          </Group>
          {errors.none && (
            <Alert color="red" role="alert" data-testid="attest-none">
              {t('attest.noFacts')}
            </Alert>
          )}
          <div>
            <Button
              type="submit"
              loading={action.state.kind === 'busy'}
              data-testid="attest-submit"
            >
              {t('attest.submit')}
            </Button>
          </div>
          <ActionResult state={action.state} done={t('attest.done')} testId="attest" />
        </Stack>
      </form>
    </Section>
  );
}

/** A row's problem as a code the screen words, from the reader's message. */
export function rowCode(r: Extract<AttestRow, { ok: false }>): RowCode {
  if (r.error === 'no fact to attest') return 'NO_FACTS';
  if (r.column === 'id_kind') return 'BAD_ID_KIND';
  if (r.column === 'id_number') return 'BAD_ID';
  if (r.error === 'yes or no') return 'BAD_FLAG';
  if (r.error === 'a whole number') return 'BAD_NUMBER';
  if (r.column === 'householdIncomePerCapita') return 'BAD_AMOUNT';
  return 'BAD_VALUE';
}
export type RowCode =
  'NO_FACTS' | 'BAD_ID_KIND' | 'BAD_ID' | 'BAD_FLAG' | 'BAD_NUMBER' | 'BAD_AMOUNT' | 'BAD_VALUE';

/** What became of a row once signing began. */
type Signed =
  | { kind: 'waiting' }
  | { kind: 'recorded'; tx: string }
  | { kind: 'refused'; code: string; error?: unknown };

/** The last four characters of an identity number, the rest hidden (the clerk's screen only). */
function masked(id: string): string {
  return `${'•'.repeat(Math.max(0, id.length - 4))}${id.slice(-4)}`;
}

function AttestBulk() {
  const { t } = useTranslation('hospital');
  const fmt = useFormats();
  const refusal = useHospitalRefusal();
  const [file, setFile] = useState<File | null>(null);
  const [rows, setRows] = useState<AttestRow[] | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [signed, setSigned] = useState<Record<number, Signed>>({});
  const [running, setRunning] = useState(false);
  const session = useStaffSession();

  async function choose(f: File | null) {
    setFile(f);
    setRows(null);
    setSigned({});
    setFileError(undefined);
    if (!f) return;
    try {
      if (f.size > 2 * 1024 * 1024) throw new Error('too large');
      setRows(await attestationsFromCsv(await f.text(), CURRENCY));
    } catch {
      setFileError(t('bulk.badFile', { max: MAX_ATTEST_ROWS }));
    }
  }

  const good = (rows ?? []).filter((r): r is Extract<AttestRow, { ok: true }> => r.ok);
  const done = Object.values(signed).filter((s) => s.kind !== 'waiting').length;

  /**
   * Signs every good row, then sends them in batches (`POST /v1/txs`, all of a batch admitted or
   * none): each row's result is the ledger's, shown as its batch comes back.
   */
  async function signAll() {
    if (!session) return;
    setRunning(true);
    setSigned(Object.fromEntries(good.map((r) => [r.row, { kind: 'waiting' } as Signed])));
    try {
      const chain = await chainId();
      for (let i = 0; i < good.length; i += BATCH) {
        const batch = good.slice(i, i + BATCH);
        const results: Record<number, Signed> = {};
        try {
          const subs = batch.map((r) =>
            buildSubmission(
              { chain, type: 'attest.facts', payload: {}, facts: r.facts },
              session.seed,
            ),
          );
          const outs = await client.submitMany(subs);
          batch.forEach((r, k) => {
            const out = outs[k];
            results[r.row] =
              out === undefined
                ? { kind: 'refused', code: 'UNAVAILABLE' }
                : out.result.ok
                  ? { kind: 'recorded', tx: out.id }
                  : { kind: 'refused', code: out.result.code };
          });
        } catch (e) {
          for (const r of batch) results[r.row] = { kind: 'refused', code: codeOf(e), error: e };
        }
        setSigned((s) => ({ ...s, ...results }));
      }
    } catch (e) {
      setSigned((s) =>
        Object.fromEntries(
          Object.entries(s).map(([k, v]) => [
            k,
            v.kind === 'waiting' ? { kind: 'refused', code: codeOf(e), error: e } : v,
          ]),
        ),
      );
    } finally {
      setRunning(false);
    }
  }

  const factsText = (f: PersonFacts) =>
    Object.entries(f)
      .map(([k, v]) => {
        const label = t(`attest.facts.${k as keyof PersonFacts}`);
        if (k === 'householdIncomePerCapita') return `${label}: ${fmt.money(String(v), CURRENCY)}`;
        if (typeof v === 'boolean') return `${label}: ${v ? t('attest.yes') : t('attest.no')}`;
        return `${label}: ${String(v)}`;
      })
      .join(' · ');

  return (
    <Section id="attest-bulk" title={t('bulk.title')}>
      <Stack gap="sm">
        <Text size="sm">{t('bulk.intro')}</Text>
        <Text size="sm" className="mono">
          id_kind,id_number,householdIncomePerCapita,householdSize,lowIncome
        </Text>
        <Group gap="sm">
          <FileButton onChange={(f) => void choose(f)} accept="text/csv,.csv">
            {(p) => (
              <Button variant="default" {...p} disabled={running} data-testid="bulk-file">
                {t('bulk.choose')}
              </Button>
            )}
          </FileButton>
          {file && <Text size="sm">{file.name}</Text>}
        </Group>
        {fileError && <Refusal testId="bulk-file-error">{fileError}</Refusal>}
        {rows && (
          <>
            <Text data-testid="bulk-summary" aria-live="polite">
              {t('bulk.summary', { ok: good.length, bad: rows.length - good.length })}
            </Text>
            <ScrollTable minWidth={640} label={t('bulk.tableLabel')}>
              <Table data-testid="bulk-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('bulk.row')}</Table.Th>
                    <Table.Th scope="col">{t('bulk.patient')}</Table.Th>
                    <Table.Th scope="col">{t('bulk.facts')}</Table.Th>
                    <Table.Th scope="col">{t('bulk.result')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => {
                    const s = signed[r.row];
                    return (
                      <Table.Tr key={r.row} data-testid={`bulk-row-${r.row}`}>
                        <Table.Td>{r.row}</Table.Td>
                        <Table.Td className="mono">
                          {r.ok
                            ? `${r.facts.patient.kind.toUpperCase()} ${masked(r.facts.patient.id)}`
                            : ''}
                        </Table.Td>
                        <Table.Td>{r.ok ? factsText(r.facts.facts) : ''}</Table.Td>
                        <Table.Td data-testid="bulk-result">
                          {!r.ok ? (
                            <Text c="red.8" size="sm" data-result="refused">
                              {t('bulk.refusedRow', {
                                code: rowCode(r),
                                words: t(`bulk.codes.${rowCode(r)}`, {
                                  column: r.column ?? '',
                                }),
                              })}
                            </Text>
                          ) : s === undefined ? (
                            <Text size="sm" data-result="ready">
                              {t('bulk.ready')}
                            </Text>
                          ) : s.kind === 'waiting' ? (
                            <Text size="sm" data-result="waiting">
                              {t('bulk.waiting')}
                            </Text>
                          ) : s.kind === 'recorded' ? (
                            <Text size="sm" data-result="recorded">
                              {t('bulk.recorded')}{' '}
                              <Anchor
                                component={Link}
                                to={`/explorer/tx/${s.tx}`}
                                aria-label={t('bulk.txOf', { row: r.row })}
                              >
                                {t('bulk.tx')}
                              </Anchor>
                            </Text>
                          ) : (
                            <Text c="red.8" size="sm" data-result="refused">
                              {t('bulk.refusedSigned', {
                                code: s.code,
                                words: refusal(s.error ?? s.code),
                              })}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {running && (
              <Progress
                value={good.length === 0 ? 100 : (done / good.length) * 100}
                aria-label={t('bulk.progress', { done, n: good.length })}
              />
            )}
            <div>
              <Button
                onClick={() => void signAll()}
                disabled={good.length === 0 || running || done > 0}
                loading={running}
                data-testid="bulk-sign"
              >
                {t('bulk.sign', { n: good.length })}
              </Button>
            </div>
            {!running && done > 0 && (
              <Text role="status" data-testid="bulk-signed">
                {t('bulk.signed', {
                  recorded: Object.values(signed).filter((s) => s.kind === 'recorded').length,
                  refused: Object.values(signed).filter((s) => s.kind === 'refused').length,
                })}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Section>
  );
}
