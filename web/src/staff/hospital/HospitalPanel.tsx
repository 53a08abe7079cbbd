/**
 * What the treating hospital's clerk or social worker does on a case, by where the case stands:
 * verify it (the patient's identity from the admission record, the diagnoses and the invoice
 * lines — typed, pasted or imported from a FHIR claim) or decline it with a coded reason; match a
 * case verified before protocol 2 to the admission record; answer a request for information
 * addressed to the hospital (or, for a social worker, to the applicant's side); confirm that the
 * payment arrived; close with the outcome; and move a family's case to their new phone's account
 * after checking the patient in person (`cases.recover`).
 */
import { createContext, useCallback, useContext, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  DECLINE_REASONS,
  ENDED_STATES,
  INFO_REASONS,
  OUTCOME_LABELS,
  program,
  type CaseRecord,
} from '@sdk';
import { client } from '../../lib/api';
import { useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { cap } from '../../applicant/shared';
import { keyCheckText } from '../../applicant/RecoveryPages';
import { useSignedAction, type ActionState } from '../api';
import { Refusal } from '../parts';
import { useHospitalRefusal } from './refusal';
import { plain } from '../../applicant/facts';
import { useStaffSession } from '../session';
import type { StaffRole } from '../roles';
import { InvoiceLines } from './InvoiceLines';
import { EMPTY_LINE, parseLines, type LineErrors, type LineInput } from './lines';
import { EMPTY_PATIENT, parsePatient, PatientIdFields, type PatientInput } from './PatientId';

export const HOSPITAL_PANEL_ROLES: readonly StaffRole[] = ['clerk', 'social-worker'];

const OUTCOMES = Object.keys(OUTCOME_LABELS);
const IDENTIFY_STATES = ['verified', 'assessed', 'appealed', 'waitlisted', 'funded'];
const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;

/** The program's currency (for amounts typed in major units). */
function useCurrency(programId: string): string | undefined {
  const { lang } = useLocale();
  const p = useQuery({
    queryKey: ['program', programId, lang],
    queryFn: () => program(client, programId, lang),
    staleTime: 60_000,
  });
  return p.data?.currency;
}

/**
 * Where a panel keeps the last step done: a form leaves the page once its step moves the case on,
 * so the panel says what was done instead.
 */
const DoneNotice = createContext<((text: string) => void) | undefined>(undefined);

/**
 * A signed action of the panel: once done, the panel says so (the form may already have left the
 * page, its step having moved the case on).
 */
function usePanelAction(doneText: string) {
  const action = useSignedAction();
  const notice = useContext(DoneNotice);
  const run = async (spec: Parameters<typeof action.run>[0]) => {
    const ok = await action.run(spec);
    if (ok) notice?.(doneText);
    return ok;
  };
  return { state: action.state, run };
}

/** An action's outcome under its form: done in words, or refused with the code's words. */
export function ActionResult(props: { state: ActionState; done: string; testId: string }) {
  const refusal = useHospitalRefusal();
  const notice = useContext(DoneNotice);
  const { t } = useTranslation('hospital');
  const s = props.state;
  if (s.kind === 'done' && !notice)
    return (
      <Alert color="green" role="status" data-testid={`${props.testId}-done`}>
        {props.done}
      </Alert>
    );
  if (s.kind === 'failed')
    return (
      <Refusal testId={`${props.testId}-refused`}>
        {refusal(s.error ?? s.code)} ({t('code', { code: s.code })})
      </Refusal>
    );
  return null;
}

export function HospitalPanel(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const s = useStaffSession();
  const v = s?.viewer;
  const { rec } = props;
  const [done, setDone] = useState<{ case: string; text: string } | undefined>();
  const notice = useCallback((text: string) => setDone({ case: rec.id, text }), [rec.id]);
  if (!v || v.orgType !== 'hospital' || v.org !== rec.hospital) return null;
  const ended = (ENDED_STATES as readonly string[]).includes(rec.state);
  const ask = rec.infoRequests?.[rec.infoRequests.length - 1];
  const mayAnswer =
    rec.state === 'info-requested' &&
    ask !== undefined &&
    ask.answered === undefined &&
    (ask.from === 'hospital' || v.roles.includes('social-worker'));
  return (
    <Section id="hospital-actions" title={t('panel.title')}>
      <DoneNotice.Provider value={notice}>
        <Stack gap="lg" data-testid="hospital-panel">
          <div role="status">
            {done?.case === rec.id && (
              <Alert color="green" data-testid="hospital-done">
                {done.text}
              </Alert>
            )}
          </div>
          {rec.state === 'submitted' && (
            <>
              <VerifyForm rec={rec} />
              <DeclineForm rec={rec} />
            </>
          )}
          {rec.identified === undefined && IDENTIFY_STATES.includes(rec.state) && (
            <IdentifyForm rec={rec} />
          )}
          {mayAnswer && <AnswerForm rec={rec} reason={ask.reason} from={ask.from} />}
          {rec.state === 'disbursed' &&
            (v.roles.includes('clerk') ? (
              <ConfirmForm rec={rec} />
            ) : (
              <Text data-testid="confirm-by-clerk">{t('confirm.byClerk')}</Text>
            ))}
          {rec.state === 'confirmed' && <CloseForm rec={rec} />}
          {!ended && <RecoverForm rec={rec} />}
          {ended && rec.state !== 'closed' && <Text>{t('panel.ended')}</Text>}
          {rec.state === 'closed' && <Text data-testid="case-closed">{t('panel.closed')}</Text>}
        </Stack>
      </DoneNotice.Provider>
    </Section>
  );
}

function VerifyForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const currency = useCurrency(props.rec.program) ?? 'CNY';
  const [patient, setPatient] = useState<PatientInput>(EMPTY_PATIENT);
  const [patientError, setPatientError] = useState<'required' | 'invalid' | undefined>();
  const [diagnoses, setDiagnoses] = useState('');
  const [diagError, setDiagError] = useState<'required' | 'invalid' | undefined>();
  const [age, setAge] = useState('');
  const [ageError, setAgeError] = useState(false);
  const [lines, setLines] = useState<LineInput[]>([EMPTY_LINE]);
  const [lineErrors, setLineErrors] = useState<LineErrors[]>([]);
  const [invalid, setInvalid] = useState(false);
  const action = usePanelAction(t('verify.done'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = parsePatient(patient);
    setPatientError(p.ok ? undefined : p.problem);
    const codes = diagnoses
      .split(/[\s,，;；、]+/)
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== '');
    const dErr =
      codes.length === 0
        ? 'required'
        : codes.length > 20 || !codes.every((c) => ICD10.test(c))
          ? 'invalid'
          : undefined;
    setDiagError(dErr);
    const ageText = plain(age);
    const ageValue = /^[0-9]{1,3}$/.test(ageText) ? Number(ageText) : Number.NaN;
    const aErr = ageText !== '' && !(ageValue >= 0 && ageValue <= 150);
    setAgeError(aErr);
    const parsed = parseLines(lines, currency);
    setLineErrors(parsed.errors);
    const linesOk = parsed.errors.every((x) => Object.keys(x).length === 0);
    const bad = !p.ok || dErr !== undefined || aErr || !linesOk;
    setInvalid(bad);
    if (!p.ok || bad) return;
    await action.run({
      type: 'cases.verify',
      payload: { case: props.rec.id },
      facts: {
        patient: p.patient,
        diagnoses: codes,
        ...(ageText === '' ? {} : { age: ageValue }),
        lines: parsed.lines,
      },
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="verify-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('verify.title')}
        </Text>
        <Text size="sm">{t('verify.intro')}</Text>
        <PatientIdFields
          value={patient}
          onChange={setPatient}
          error={patientError}
          description={t('verify.fromAdmission')}
          testId="verify-patient"
        />
        <TextInput
          label={t('verify.diagnoses')}
          description={t('verify.diagnosesHelp')}
          value={diagnoses}
          onChange={(e) => setDiagnoses(e.currentTarget.value)}
          error={diagError === undefined ? undefined : t(`verify.diagnoses_${diagError}`)}
          aria-invalid={diagError !== undefined}
          autoComplete="off"
          required
          data-testid="verify-diagnoses"
        />
        <TextInput
          label={t('verify.age')}
          description={t('verify.ageHelp')}
          value={age}
          onChange={(e) => setAge(e.currentTarget.value)}
          error={ageError ? t('verify.ageInvalid') : undefined}
          aria-invalid={ageError}
          inputMode="numeric"
          autoComplete="off"
          data-testid="verify-age"
        />
        <InvoiceLines lines={lines} errors={lineErrors} currency={currency} onChange={setLines} />
        {invalid && (
          <Alert color="red" role="alert" data-testid="verify-invalid">
            {t('verify.fix')}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={action.state.kind === 'busy'} data-testid="verify-submit">
            {t('verify.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('verify.done')} testId="verify" />
      </Stack>
    </form>
  );
}

function DeclineForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const action = usePanelAction(t('decline.done'));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setMissing(reason === '');
    if (reason === '') return;
    await action.run({
      type: 'cases.decline',
      payload: { case: props.rec.id, reason },
      ...(note.trim() === '' ? {} : { facts: { note: note.trim().slice(0, 2000) } }),
    });
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="decline-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('decline.title')}
        </Text>
        <NativeSelect
          label={t('decline.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={missing ? t('decline.chooseReason') : undefined}
          aria-invalid={missing}
          required
          data-testid="decline-reason"
        >
          <option value="">{t('decline.choose')}</option>
          {Object.entries(DECLINE_REASONS).map(([code, names]) => (
            <option key={code} value={code}>
              {cap(names[lang], lang)}
            </option>
          ))}
        </NativeSelect>
        <Textarea
          label={t('note.label')}
          description={t('note.help')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="decline-note"
        />
        <div>
          <Button
            type="submit"
            color="red.9"
            variant="outline"
            loading={action.state.kind === 'busy'}
            data-testid="decline-submit"
          >
            {t('decline.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('decline.done')} testId="decline" />
      </Stack>
    </form>
  );
}

function IdentifyForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const [patient, setPatient] = useState<PatientInput>(EMPTY_PATIENT);
  const [error, setError] = useState<'required' | 'invalid' | undefined>();
  const action = usePanelAction(t('identify.done'));
  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = parsePatient(patient);
    setError(p.ok ? undefined : p.problem);
    if (!p.ok) return;
    await action.run({
      type: 'cases.identify',
      payload: { case: props.rec.id },
      facts: { patient: p.patient },
    });
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="identify-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('identify.title')}
        </Text>
        <Text size="sm">{t('identify.intro')}</Text>
        <PatientIdFields
          value={patient}
          onChange={setPatient}
          error={error}
          description={t('verify.fromAdmission')}
          testId="identify-patient"
        />
        <div>
          <Button
            type="submit"
            loading={action.state.kind === 'busy'}
            data-testid="identify-submit"
          >
            {t('identify.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('identify.done')} testId="identify" />
      </Stack>
    </form>
  );
}

function AnswerForm(props: { rec: CaseRecord; reason: string; from: 'applicant' | 'hospital' }) {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const [note, setNote] = useState('');
  const action = usePanelAction(t('answer.done'));
  const reason = (INFO_REASONS as Record<string, Record<string, string> | undefined>)[props.reason];
  async function submit(e: FormEvent) {
    e.preventDefault();
    await action.run({
      type: 'cases.answerInfo',
      payload: { case: props.rec.id },
      ...(note.trim() === '' ? {} : { facts: { note: note.trim().slice(0, 2000) } }),
    });
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="answer-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('answer.title')}
        </Text>
        <Text data-testid="answer-asked">
          {t(props.from === 'hospital' ? 'answer.askedHospital' : 'answer.askedApplicant', {
            reason: reason ? cap(reason[lang] ?? props.reason, lang) : props.reason,
          })}
        </Text>
        <Text size="sm">{t('answer.documents')}</Text>
        <Textarea
          label={t('answer.note')}
          description={t('note.help')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="answer-note"
        />
        <div>
          <Button type="submit" loading={action.state.kind === 'busy'} data-testid="answer-submit">
            {t('answer.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('answer.done')} testId="answer" />
      </Stack>
    </form>
  );
}

function ConfirmForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const action = usePanelAction(t('confirm.done'));
  return (
    <Stack gap="sm" data-testid="confirm-form">
      <Text fw={700} component="h3" size="lg">
        {t('confirm.title')}
      </Text>
      <Text size="sm">{t('confirm.intro')}</Text>
      <div>
        <Button
          loading={action.state.kind === 'busy'}
          onClick={() =>
            void action.run({ type: 'cases.confirm', payload: { case: props.rec.id } })
          }
          data-testid="confirm-submit"
        >
          {t('confirm.submit')}
        </Button>
      </div>
      <ActionResult state={action.state} done={t('confirm.done')} testId="confirm" />
    </Stack>
  );
}

function CloseForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const { lang } = useLocale();
  const [outcome, setOutcome] = useState('');
  const [missing, setMissing] = useState(false);
  const action = usePanelAction(t('close.done'));
  async function submit(e: FormEvent) {
    e.preventDefault();
    setMissing(outcome === '');
    if (outcome === '') return;
    await action.run({ type: 'cases.close', payload: { case: props.rec.id, outcome } });
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="close-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('close.title')}
        </Text>
        <NativeSelect
          label={t('close.outcome')}
          value={outcome}
          onChange={(e) => setOutcome(e.currentTarget.value)}
          error={missing ? t('close.chooseOutcome') : undefined}
          aria-invalid={missing}
          required
          data-testid="close-outcome"
        >
          <option value="">{t('close.choose')}</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {cap(OUTCOME_LABELS[o]![lang], lang)}
            </option>
          ))}
        </NativeSelect>
        <div>
          <Button type="submit" loading={action.state.kind === 'busy'} data-testid="close-submit">
            {t('close.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('close.done')} testId="close" />
      </Stack>
    </form>
  );
}

const KEY = /^[0-9a-f]{64}$/;

/**
 * The family shows the new phone's account (`/me/new-phone`: a QR code of its public key and a
 * check text of its first twelve hex digits); the clerk types or scans the key, reads the check
 * text back to them, checks the patient's identity in person, and signs `cases.recover`.
 */
function RecoverForm(props: { rec: CaseRecord }) {
  const { t } = useTranslation('hospital');
  const [key, setKey] = useState('');
  const [checked, setChecked] = useState(false);
  const [errors, setErrors] = useState<{ key?: boolean; checked?: boolean }>({});
  const action = usePanelAction(t('recover.done'));
  const typed = key.replace(/\s/g, '').toLowerCase();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs = { key: !KEY.test(typed), checked: !checked };
    setErrors(errs);
    if (errs.key || errs.checked) return;
    await action.run({
      type: 'cases.recover',
      payload: { case: props.rec.id, account: typed },
    });
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="recover-form">
      <Stack gap="sm">
        <Text fw={700} component="h3" size="lg">
          {t('recover.title')}
        </Text>
        <Text size="sm">{t('recover.intro')}</Text>
        <TextInput
          label={t('recover.key')}
          description={t('recover.keyHelp')}
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={errors.key ? t('recover.keyInvalid') : undefined}
          aria-invalid={errors.key === true}
          autoComplete="off"
          spellCheck={false}
          classNames={{ input: 'mono' }}
          required
          data-testid="recover-key"
        />
        {KEY.test(typed) && (
          <Text data-testid="recover-check">
            {t('recover.check')} <span className="mono">{keyCheckText(typed)}</span>
          </Text>
        )}
        <Checkbox
          label={t('recover.checked')}
          checked={checked}
          onChange={(e) => setChecked(e.currentTarget.checked)}
          error={errors.checked ? t('recover.checkFirst') : undefined}
          data-testid="recover-checked"
        />
        <div>
          <Button
            type="submit"
            variant="outline"
            loading={action.state.kind === 'busy'}
            data-testid="recover-submit"
          >
            {t('recover.submit')}
          </Button>
        </div>
        <ActionResult state={action.state} done={t('recover.done')} testId="recover" />
      </Stack>
    </form>
  );
}
