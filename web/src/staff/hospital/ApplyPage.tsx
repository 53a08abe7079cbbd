/**
 * `/staff/apply`: a hospital social worker applies for a patient who has no phone or account.
 * The hospital applies on the patient's behalf, as `aidledger case submit` does: the program and
 * the hospital in public, the patient's identity number, name, phone and declared facts in the
 * private part of the social worker's signed `cases.submit`. Before sending, the node is asked
 * whether the patient already has an open case in the program (`POST /v1/cases/open-check`), and
 * such a case is named with a link to it.
 */
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { caseReference, loadRules, openCaseCheck, program, programs } from '@sdk';
import { client } from '../../lib/api';
import { useLocale } from '../../lib/locale-context';
import { Page } from '../../components/Page';
import { ErrorNotice, Loading } from '../../components/Status';
import {
  ageOn,
  EMPTY_DECLARED,
  factsAsked,
  fieldsAsked,
  idFacts,
  parseDeclared,
  type DeclaredErrors,
  type DeclaredField,
  type DeclaredInput,
} from '../../applicant/facts';
import { useSignedAction } from '../api';
import { useStaffSession, withToken } from '../session';
import { ActionResult } from './HospitalPanel';
import { EMPTY_PATIENT, parsePatient, PatientIdFields, type PatientInput } from './PatientId';

function today(): { year: number; month: number; day: number } {
  const d = new Date();
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

export function ApplyPage() {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const list = useQuery({
    queryKey: ['programs', lang],
    queryFn: () => programs(client, lang),
    staleTime: 60_000,
  });
  const [programId, setProgramId] = useState('');
  const open = (list.data ?? []).filter((p) => p.open && !p.frozen);
  return (
    <Page title={t('apply.title')}>
      <Stack gap="md" maw={760}>
        <Text>{t('apply.intro')}</Text>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorNotice error={list.error} retry={() => void list.refetch()} />
        ) : (
          <NativeSelect
            label={t('apply.program')}
            value={programId}
            onChange={(e) => setProgramId(e.currentTarget.value)}
            data-testid="apply-program"
          >
            <option value="">{t('apply.chooseProgram')}</option>
            {open.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        )}
        {programId !== '' && <ApplyForm key={programId} programId={programId} />}
      </Stack>
    </Page>
  );
}

function ApplyForm(props: { programId: string }) {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const s = useStaffSession();
  // The program and the rules engine its conditions are read with (factsAsked compiles them).
  const detail = useQuery({
    queryKey: ['program-with-rules', props.programId, lang],
    queryFn: async () => {
      await loadRules();
      return program(client, props.programId, lang);
    },
    staleTime: 60_000,
  });
  const [patient, setPatient] = useState<PatientInput>(EMPTY_PATIENT);
  const [patientError, setPatientError] = useState<'required' | 'invalid' | undefined>();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [declared, setDeclared] = useState<DeclaredInput>(EMPTY_DECLARED);
  const [declaredErrors, setDeclaredErrors] = useState<DeclaredErrors>({});
  const [openCase, setOpenCase] = useState<{ id: string; reference: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const action = useSignedAction();

  if (detail.isPending) return <Loading />;
  if (detail.isError) return <ErrorNotice error={detail.error} />;
  const currency = detail.data.currency;
  const asked = factsAsked(detail.data.definition.conditions);
  const parsedId = parsePatient(patient);
  const fromId = parsedId.ok ? idFacts(parsedId.patient.kind, parsedId.patient.id) : undefined;
  const idAge = fromId ? ageOn(fromId.birth, today()) : undefined;
  const ageFromId = asked.includes('age') && idAge !== undefined && idAge >= 0 ? idAge : undefined;
  const fields = fieldsAsked(asked, ageFromId !== undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = parsePatient(patient);
    setPatientError(p.ok ? undefined : p.problem);
    const d = parseDeclared(declared, asked, currency, ageFromId);
    setDeclaredErrors(d.errors);
    if (!p.ok || Object.keys(d.errors).length > 0) return;
    setChecking(true);
    let already: { id: string; reference: string } | null = null;
    try {
      already = await withToken((tok) => openCaseCheck(client, tok, props.programId, p.patient));
    } catch {
      // The check is a courtesy: the contract refuses a second open case anyway (CASE_OPEN).
      already = null;
    } finally {
      setChecking(false);
    }
    setOpenCase(already);
    if (already) return;
    await action.run({
      type: 'cases.submit',
      payload: { program: props.programId, hospital: s?.viewer?.org ?? '' },
      facts: {
        patient: p.patient,
        ...(name.trim() === '' ? {} : { name: name.trim().slice(0, 200) }),
        ...(phone.trim() === '' ? {} : { phone: phone.trim().slice(0, 64) }),
        declared: d.facts,
      },
    });
  }

  const done = action.state.kind === 'done' ? action.state.outcome : null;
  const field = (f: Exclude<DeclaredField, 'lowIncome' | 'disability'>) => (
    <TextInput
      key={f}
      label={t(`apply.facts.${f}`)}
      value={declared[f]}
      onChange={(e) => setDeclared({ ...declared, [f]: e.currentTarget.value })}
      error={declaredErrors[f] === undefined ? undefined : t(`apply.${declaredErrors[f]}`)}
      aria-invalid={declaredErrors[f] !== undefined}
      inputMode={f === 'region' ? 'text' : 'decimal'}
      autoComplete="off"
      required
      data-testid={`apply-${f}`}
    />
  );

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="apply-form">
      <Stack gap="sm">
        <PatientIdFields
          value={patient}
          onChange={(v) => {
            setPatient(v);
            setOpenCase(null);
          }}
          error={patientError}
          description={t('apply.idHelp')}
          testId="apply-patient"
        />
        <TextInput
          label={t('apply.name')}
          description={t('apply.private')}
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.currentTarget.value)}
          autoComplete="off"
          data-testid="apply-name"
        />
        <TextInput
          label={t('apply.phone')}
          value={phone}
          maxLength={64}
          onChange={(e) => setPhone(e.currentTarget.value)}
          autoComplete="off"
          inputMode="tel"
          data-testid="apply-phone"
        />
        {fields.length > 0 && <Text fw={600}>{t('apply.declared')}</Text>}
        {fields.map((f) =>
          f === 'lowIncome' || f === 'disability' ? (
            <Checkbox
              key={f}
              label={t(`apply.facts.${f}`)}
              checked={declared[f]}
              onChange={(e) => setDeclared({ ...declared, [f]: e.currentTarget.checked })}
              data-testid={`apply-${f}`}
            />
          ) : (
            field(f)
          ),
        )}
        {ageFromId !== undefined && (
          <Text size="sm" data-testid="apply-age-from-id">
            {t('apply.ageFromId', { age: ageFromId })}
          </Text>
        )}
        {openCase && (
          <Alert color="orange" role="alert" data-testid="apply-open-case">
            {t('apply.openCase', { reference: openCase.reference })}{' '}
            <Anchor component={Link} to={`/staff/cases/${openCase.id}`}>
              {t('apply.openCaseLink')}
            </Anchor>
          </Alert>
        )}
        <div>
          <Button
            type="submit"
            loading={checking || action.state.kind === 'busy'}
            data-testid="apply-submit"
          >
            {t('apply.submit')}
          </Button>
        </div>
        {done ? (
          <Alert color="green" role="status" data-testid="apply-done">
            {t('apply.done', { reference: caseReference(done.id) })}{' '}
            <Anchor component={Link} to={`/staff/cases/${done.id}`} data-testid="apply-case-link">
              {t('apply.openNew')}
            </Anchor>
          </Alert>
        ) : (
          <ActionResult state={action.state} done="" testId="apply" />
        )}
      </Stack>
    </form>
  );
}
