/**
 * `/me/apply`: the programs that take applications; `/me/apply/:program`: the application, step
 * by step (hospital, patient, declared facts, an eligibility preview by the program's own rules,
 * review), each step checked with the shared schemas, then signed in this browser and sent.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  caseReference,
  FACT_LABELS,
  loadRules,
  MINOR_DIGITS,
  openCaseCheck,
  program as fetchProgram,
  SubmitFactsSchema,
  type ProgramCondition,
  type ProgramDetail,
  type SubmitFacts,
} from '@sdk';
import { client, useOrgs } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { LOCALE_TAGS, type Locale } from '../i18n/locale';
import { Page } from '../components/Page';
import { ErrorNotice, Loading } from '../components/Status';
import { RequireUnlocked } from './AccountPage';
import {
  ageOn,
  confirmedBy,
  EMPTY_DECLARED,
  factsAsked,
  fieldsAsked,
  idFacts,
  parseDeclared,
  perPerson,
  plain,
  previewCondition,
  toMinor,
  type DeclaredErrors,
  type DeclaredField,
  type DeclaredInput,
  type PersonFact,
  type Preview,
} from './facts';
import { initialsOf, openNotes, updateNotes, type Draft, type IdKind } from './notes';
import { submitSigned, withToken, type Unlocked } from './session';
import { cap, useFocusFirstError, useRefusalText } from './shared';
import { useFactValue } from './fact-value';

// ---- the application -------------------------------------------------------------------------

const ID_KINDS: readonly IdKind[] = ['cn', 'hk', 'tw'];
const DEFAULT_KIND: Record<Locale, IdKind> = {
  'zh-HK': 'hk',
  'zh-TW': 'tw',
  'zh-CN': 'cn',
  en: 'cn',
};
const STEPS = ['hospital', 'patient', 'facts', 'preview', 'review'] as const;

/** An identity number as the contract reads it: plain characters, no spaces or brackets. */
const normaliseId = (s: string) =>
  plain(s)
    .toUpperCase()
    .replace(/[\s()-]/g, '');

type PatientInput = Draft['patient'];
type PatientErrors = Partial<Record<'id' | 'name' | 'phone', string>>;

function useRulesEngine() {
  return useQuery({
    queryKey: ['applicant', 'cel'],
    queryFn: async () => {
      await loadRules();
      return true;
    },
    staleTime: Infinity,
  });
}

export function ApplyPage() {
  const { t } = useTranslation('applicant');
  const { program: id = '' } = useParams();
  const { lang } = useLocale();
  const fmt = useFormats();
  const detail = useQuery({
    queryKey: ['applicant', 'program', id, lang],
    queryFn: () => fetchProgram(client, id, lang),
  });
  const engine = useRulesEngine();
  const [params] = useSearchParams();
  const sent = params.get('sent');
  return (
    <Page title={t('apply.title')}>
      {detail.data && (
        <Text fw={600} size="lg">
          {fmt.name(detail.data.names, detail.data.name)}
        </Text>
      )}
      <RequireUnlocked next={`/me/apply/${id}${params.size > 0 ? `?${params.toString()}` : ''}`}>
        {(u) =>
          sent !== null && /^[0-9a-f]{64}$/.test(sent) ? (
            <Sent id={sent} />
          ) : detail.isPending || engine.isPending ? (
            <Loading />
          ) : detail.isError ? (
            <ErrorNotice error={detail.error} retry={() => void detail.refetch()} />
          ) : engine.isError ? (
            <ErrorNotice error={engine.error} retry={() => void engine.refetch()} />
          ) : detail.data.frozen ? (
            <Alert color="orange" role="note">
              {t('apply.frozen')}
            </Alert>
          ) : !detail.data.open ? (
            <Alert color="orange" role="note">
              {t('apply.closed')}
            </Alert>
          ) : (
            <DraftLoader program={detail.data} unlocked={u} />
          )
        }
      </RequireUnlocked>
    </Page>
  );
}

/** Opens the draft this device keeps for the program (sealed), then shows the form on it. */
function DraftLoader(props: { program: ProgramDetail; unlocked: Unlocked }) {
  const notes = useQuery({
    queryKey: ['me', props.unlocked.key, 'notes'],
    queryFn: () => openNotes(props.unlocked),
    staleTime: Infinity,
    gcTime: 0,
  });
  if (notes.isPending) return <Loading />;
  return (
    <ApplicationForm
      program={props.program}
      unlocked={props.unlocked}
      draft={notes.data?.drafts[props.program.id]}
    />
  );
}

function ApplicationForm(props: {
  program: ProgramDetail;
  unlocked: Unlocked;
  draft: Draft | undefined;
}) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const { locale, lang } = useLocale();
  const fmt = useFormats();
  const orgs = useOrgs();
  const queryClient = useQueryClient();
  const refusal = useRefusalText();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const def = props.program.definition;
  const currency = props.program.currency;
  const asked = useMemo(() => factsAsked(def.conditions), [def.conditions]);
  const draft = props.draft;

  const [reached, setReached] = useState(draft?.reached ?? 0);
  const [hospital, setHospital] = useState(draft?.hospital ?? '');
  const [hospitalError, setHospitalError] = useState<string | undefined>();
  const [patient, setPatient] = useState<PatientInput>(
    draft?.patient ?? { kind: DEFAULT_KIND[locale], id: '', name: '', phone: '' },
  );
  const [patientErrors, setPatientErrors] = useState<PatientErrors>({});
  const [declared, setDeclared] = useState<DeclaredInput>({
    ...EMPTY_DECLARED,
    ...(draft?.declared as Partial<DeclaredInput> | undefined),
  });
  const [declaredErrors, setDeclaredErrors] = useState<DeclaredErrors>({});
  const [sending, setSending] = useState(false);
  const [checking, setChecking] = useState(false);
  const [refused, setRefused] = useState<ReactNode>(null);
  const [openCase, setOpenCase] = useState<{ id: string; reference: string } | null>(null);

  // The step is in the address (`?step=2`), so the phone's Back and Forward move between steps
  // and a reload stays where it was; never past the furthest step reached.
  const asked1 = Number(params.get('step') ?? '1');
  const active = Number.isSafeInteger(asked1)
    ? Math.min(Math.max(asked1 - 1, 0), reached, STEPS.length - 1)
    : 0;
  const goTo = (n: number) =>
    setParams({ step: String(n + 1) }, { state: { from: active }, preventScrollReset: false });

  // The draft is sealed and kept on every change: nothing typed is lost to Back, a reload or a
  // closed tab. Not kept until something is entered.
  const touched = hospital !== '' || patient.id !== '' || reached > 0;
  useEffect(() => {
    if (!touched) return;
    const d: Draft = { hospital, patient, declared: { ...declared }, reached, updated: Date.now() };
    void updateNotes(props.unlocked, (n) => ({
      ...n,
      drafts: { ...n.drafts, [props.program.id]: d },
    }));
  }, [touched, hospital, patient, declared, reached, props.unlocked, props.program.id]);

  const box = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const focusError = useFocusFirstError(box);
  const moved = useRef(false);
  // A new step: its heading takes focus, so a screen reader starts reading there.
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [active]);

  const hospitals = (orgs.data?.orgs ?? []).filter((o) => o.type === 'hospital');
  const idValue = normaliseId(patient.id);
  const fromId = idFacts(patient.kind, idValue);
  const idAge = fromId ? ageOn(fromId.birth, today()) : undefined;
  const ageFromId = asked.includes('age') && idAge !== undefined && idAge >= 0 ? idAge : undefined;

  const checkHospital = () => {
    const ok = hospitals.some((h) => h.id === hospital);
    setHospitalError(ok ? undefined : t('apply.hospital.required'));
    return ok;
  };

  const patientFacts = (): SubmitFacts | undefined => {
    const errs: PatientErrors = {};
    const facts = {
      patient: { kind: patient.kind, id: idValue },
      ...(plain(patient.name) ? { name: plain(patient.name) } : {}),
      ...(plain(patient.phone) ? { phone: plain(patient.phone) } : {}),
      declared: {},
    };
    const r = SubmitFactsSchema.safeParse(facts);
    if (!r.success)
      for (const issue of r.error.issues) {
        const [a] = issue.path;
        if (a === 'patient')
          errs.id =
            idValue === ''
              ? t('apply.patient.idRequired')
              : t('apply.patient.idInvalid', { kind: t(`apply.patient.kinds.${patient.kind}`) });
        else if (a === 'name' || a === 'phone') errs[a] = t('apply.patient.tooLong');
      }
    setPatientErrors(errs);
    return r.success ? r.data : undefined;
  };

  const declaredFacts = () => {
    const r = parseDeclared(declared, asked, currency, ageFromId);
    setDeclaredErrors(r.errors);
    return Object.keys(r.errors).length === 0 ? r.facts : undefined;
  };

  /**
   * Asks the node whether this patient already has an open case in the program that this account
   * may see: one open case per patient per program, said before anything is sent.
   */
  async function noOpenCase(facts: SubmitFacts): Promise<boolean> {
    setChecking(true);
    try {
      const open = await withToken(lang, (tok) =>
        openCaseCheck(client, tok, props.program.id, facts.patient),
      );
      setOpenCase(open);
      return open === null;
    } catch {
      // The check is a courtesy: the contract refuses a second open case anyway.
      setOpenCase(null);
      return true;
    } finally {
      setChecking(false);
    }
  }

  const checks: (() => boolean | Promise<boolean>)[] = [
    checkHospital,
    () => {
      const p = patientFacts();
      return p !== undefined && noOpenCase(p);
    },
    () => declaredFacts() !== undefined,
    () => true,
  ];

  async function next(e: FormEvent) {
    e.preventDefault();
    if (active === STEPS.length - 1) {
      void send();
      return;
    }
    if (!(await checks[active]!())) {
      focusError();
      return;
    }
    setReached((r) => Math.max(r, active + 1));
    goTo(active + 1);
  }

  function back() {
    // Came here by Next: the same as the phone's Back. Arrived otherwise (a reload): step back.
    const from = (location.state as { from?: unknown } | null)?.from;
    if (from === active - 1) void navigate(-1);
    else setParams({ step: String(active) }, { replace: true });
  }

  async function send() {
    const p = patientFacts();
    const d = declaredFacts();
    if (!checkHospital() || !p || !d) return;
    const facts = SubmitFactsSchema.parse({ ...p, declared: d });
    setSending(true);
    setRefused(null);
    try {
      const out = await submitSigned({
        type: 'cases.submit',
        payload: { program: props.program.id, hospital },
        facts,
      });
      if (out.result.ok) {
        const note = {
          initials: initialsOf(patient.name) || `…${idValue.slice(-4)}`,
          hospital: fmt.name(hospitals.find((h) => h.id === hospital)?.names, hospital),
        };
        await updateNotes(props.unlocked, (n) => {
          const drafts = { ...n.drafts };
          delete drafts[props.program.id];
          return { drafts, cases: { ...n.cases, [out.id]: note } };
        });
        queryClient.removeQueries({ queryKey: ['me', props.unlocked.key, 'notes'] });
        void queryClient.invalidateQueries({ queryKey: ['me'] });
        // The steps are over: Back from the receipt comes here, not to an empty form.
        setParams({ sent: out.id }, { replace: true });
      } else if (out.result.code === 'CASE_OPEN') {
        await noOpenCase(p);
        setRefused(refusal(out.result.code));
      } else setRefused(refusal(out.result.code));
    } catch (err) {
      setRefused(refusal(err));
    } finally {
      setSending(false);
    }
  }

  const stepName = (i: number) => t(`apply.steps.${STEPS[i]!}`);
  const parsedDeclared =
    active >= 3 ? parseDeclared(declared, asked, currency, ageFromId).facts : {};

  return (
    <Stack gap="md" ref={box}>
      <ol className="apply-steps" aria-label={tf('steps.label')}>
        {STEPS.map((s, i) => (
          <li
            key={s}
            data-state={i === active ? 'current' : i < active ? 'done' : 'todo'}
            aria-current={i === active ? 'step' : undefined}
          >
            <span className="apply-steps-n" aria-hidden="true">
              {fmt.number(i + 1)}
            </span>
            <span className="apply-steps-name">{stepName(i)}</span>
          </li>
        ))}
      </ol>

      <form onSubmit={(e) => void next(e)} noValidate aria-labelledby="step-heading">
        <Stack gap="md">
          <Title
            order={2}
            size="h3"
            id="step-heading"
            ref={heading}
            tabIndex={-1}
            className="step-heading"
          >
            {t('apply.stepOf', { n: active + 1, total: STEPS.length, name: stepName(active) })}
          </Title>
          {draft && (
            <Text size="sm" data-testid="draft-resumed">
              {tf('draft.resumed', { date: fmt.date(draft.updated) })}
            </Text>
          )}

          {active === 0 && (
            <div data-invalid={hospitalError ? '' : undefined}>
              <Radio.Group
                label={t('apply.hospital.label')}
                description={t('apply.hospital.help')}
                value={hospital}
                onChange={setHospital}
                error={hospitalError}
                required
              >
                <Stack gap={0} mt="xs">
                  {orgs.isPending && <Loading />}
                  {orgs.isError && (
                    <ErrorNotice error={orgs.error} retry={() => void orgs.refetch()} />
                  )}
                  {hospitals.map((h) => (
                    <Radio key={h.id} value={h.id} label={fmt.name(h.names, h.id)} />
                  ))}
                </Stack>
              </Radio.Group>
            </div>
          )}

          {active === 1 && (
            <>
              <Text size="sm" className="help-note">
                {t('apply.patient.privacy')}
              </Text>
              <Radio.Group
                label={t('apply.patient.kind')}
                value={patient.kind}
                onChange={(v) => setPatient({ ...patient, kind: v as IdKind })}
                required
              >
                <Stack gap={0} mt="xs">
                  {ID_KINDS.map((k) => (
                    <Radio key={k} value={k} label={t(`apply.patient.kinds.${k}`)} />
                  ))}
                </Stack>
              </Radio.Group>
              <TextInput
                label={t('apply.patient.number')}
                description={t(`apply.patient.numberHelp.${patient.kind}`)}
                value={patient.id}
                onChange={(e) => {
                  setPatient({ ...patient, id: e.currentTarget.value });
                  setOpenCase(null);
                }}
                error={patientErrors.id}
                required
                autoComplete="off"
                spellCheck={false}
                data-testid="patient-id"
              />
              {fromId && (
                <Text size="sm" data-testid="id-facts">
                  {tf('id.says', {
                    date: fmt.date(
                      Date.UTC(fromId.birth.year, fromId.birth.month - 1, fromId.birth.day),
                    ),
                    sex: tf(`id.${fromId.sex}`),
                  })}
                </Text>
              )}
              <TextInput
                label={t('apply.patient.name')}
                description={tf('id.nameHelp')}
                value={patient.name}
                onChange={(e) => setPatient({ ...patient, name: e.currentTarget.value })}
                error={patientErrors.name}
                autoComplete="name"
              />
              <TextInput
                label={t('apply.patient.phone')}
                description={t('apply.patient.phoneHelp')}
                value={patient.phone}
                onChange={(e) => setPatient({ ...patient, phone: e.currentTarget.value })}
                error={patientErrors.phone}
                type="tel"
                autoComplete="tel"
              />
              {openCase && (
                <Alert
                  color="orange"
                  title={tf('open.title')}
                  role="status"
                  data-testid="open-case"
                >
                  <Stack gap="xs">
                    <Text inherit>{tf('open.text', { reference: openCase.reference })}</Text>
                    <Anchor
                      component={Link}
                      to={`/me/cases/${openCase.id}`}
                      inherit
                      fw={600}
                      className="tap-link"
                    >
                      {tf('open.link', { reference: openCase.reference })}
                    </Anchor>
                  </Stack>
                </Alert>
              )}
            </>
          )}

          {active === 2 && (
            <DeclaredStep
              asked={asked}
              value={declared}
              onChange={setDeclared}
              errors={declaredErrors}
              currency={currency}
              ageFromId={ageFromId}
            />
          )}

          {active === 3 && <PreviewStep program={props.program} declared={parsedDeclared} />}

          {active === 4 && (
            <ReviewStep
              program={props.program}
              hospital={fmt.name(hospitals.find((h) => h.id === hospital)?.names, hospital)}
              patient={patient}
              asked={asked}
              declared={parsedDeclared}
            />
          )}

          {refused && (
            <Alert color="red" title={t('apply.refusedTitle')} role="alert">
              {refused}
            </Alert>
          )}

          <Group gap="sm">
            {active > 0 && (
              <Button variant="default" onClick={back} disabled={sending}>
                {t('apply.back')}
              </Button>
            )}
            {active < STEPS.length - 1 ? (
              <Button type="submit" loading={checking}>
                {t('apply.next')}
              </Button>
            ) : (
              <Button type="submit" loading={sending}>
                {t('apply.send')}
              </Button>
            )}
          </Group>
          {active === STEPS.length - 1 && (
            <Text size="sm" c="dimmed">
              {t('apply.signNote')}
            </Text>
          )}
        </Stack>
      </form>
    </Stack>
  );
}

/** Today's date in the browser, as year, month and day. */
function today(): { year: number; month: number; day: number } {
  const d = new Date();
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

function DeclaredStep(props: {
  asked: readonly PersonFact[];
  value: DeclaredInput;
  onChange(v: DeclaredInput): void;
  errors: DeclaredErrors;
  currency: string;
  ageFromId: number | undefined;
}) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const { lang, locale } = useLocale();
  const fmt = useFormats();
  const label = (f: PersonFact) => cap(FACT_LABELS[f]?.[lang] ?? f, lang);
  const digits = MINOR_DIGITS[props.currency] ?? 2;
  // The currency in words ("人民幣", "Chinese Yuan"), not its code.
  const currency = useMemo(
    () =>
      new Intl.DisplayNames([LOCALE_TAGS[locale]], { type: 'currency' }).of(props.currency) ??
      props.currency,
    [locale, props.currency],
  );
  const err = (f: DeclaredField) => {
    const e = props.errors[f];
    if (e === undefined) return undefined;
    if (e === 'required') return t('apply.facts.required');
    if (f === 'householdIncome') return tf('income.invalid', { currency, digits });
    return t(`apply.facts.invalid.${f as 'age' | 'householdSize' | 'region'}`, {
      currency,
      digits,
    });
  };
  const set = (f: keyof DeclaredInput, v: string | boolean) =>
    props.onChange({ ...props.value, [f]: v });
  const fields = fieldsAsked(props.asked, props.ageFromId !== undefined);
  if (props.asked.length === 0) return <Text>{t('apply.facts.none')}</Text>;
  const perCapita = props.asked.includes('householdIncomePerCapita');
  const total = toMinor(props.value.householdIncome, props.currency);
  const size = /^[0-9]{1,2}$/.test(plain(props.value.householdSize))
    ? Number(plain(props.value.householdSize))
    : Number.NaN;
  const per = perPerson(total, size);
  return (
    <>
      <Text>{t('apply.facts.intro')}</Text>
      {props.ageFromId !== undefined && (
        <Text data-testid="age-from-id">{tf('id.age', { age: fmt.number(props.ageFromId) })}</Text>
      )}
      {fields.map((f) =>
        f === 'lowIncome' || f === 'disability' ? (
          <Checkbox
            key={f}
            label={t(`apply.facts.check.${f}`)}
            description={label(f)}
            checked={props.value[f]}
            onChange={(e) => set(f, e.currentTarget.checked)}
          />
        ) : (
          <TextInput
            key={f}
            label={
              f === 'householdIncome'
                ? tf('income.label', { currency })
                : f === 'householdSize' && perCapita
                  ? tf('income.size')
                  : label(f)
            }
            description={f === 'householdIncome' ? tf('income.help') : t(`apply.facts.help.${f}`)}
            value={props.value[f]}
            onChange={(e) => set(f, e.currentTarget.value)}
            error={err(f)}
            required
            inputMode={f === 'region' ? 'text' : f === 'householdIncome' ? 'decimal' : 'numeric'}
            autoComplete="off"
            data-testid={`fact-${f}`}
          />
        ),
      )}
      {perCapita && (
        <Text fw={600} aria-live="polite" data-testid="per-person">
          {per !== undefined
            ? tf('income.perPerson', { amount: fmt.money(per, props.currency) })
            : tf('income.perPersonLater')}
        </Text>
      )}
    </>
  );
}

const ORG_TYPES = ['government', 'hospital'] as const;

function PreviewStep(props: {
  program: ProgramDetail;
  declared: ReturnType<typeof parseDeclared>['facts'];
}) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const fmt = useFormats();
  const def = props.program.definition;
  const results = def.conditions.map((c) => ({ c, p: previewCondition(c, props.declared) }));
  const anyNotMet = results.some((r) => r.p.kind === 'not-met');
  const b = def.benefit;
  return (
    <>
      <Alert color="orange" variant="light" title={t('preview.notDecisionTitle')} role="note">
        {t('preview.notDecision')}
      </Alert>
      <Stack component="ul" gap="sm" className="plain-list" aria-label={t('preview.conditions')}>
        {results.map(({ c, p }) => (
          <li key={c.name}>
            <PreviewItem condition={c} preview={p} label={cap(fmt.name(c.labels, c.name), lang)} />
          </li>
        ))}
      </Stack>
      {anyNotMet && <Text>{t('preview.notMetNote')}</Text>}
      <Text>
        {BigInt(b.deductible) > 0n
          ? t('preview.benefit', {
              rate: fmt.percent(b.rateBp),
              deductible: fmt.money(b.deductible, props.program.currency),
              cap: fmt.money(b.perCaseCap, props.program.currency),
            })
          : t('preview.benefitNoDeductible', {
              rate: fmt.percent(b.rateBp),
              cap: fmt.money(b.perCaseCap, props.program.currency),
            })}
      </Text>
    </>
  );
}

function PreviewItem(props: { condition: ProgramCondition; preview: Preview; label: string }) {
  const { t } = useTranslation('applicant');
  const p = props.preview;
  const who = confirmedBy(props.condition).filter((w): w is (typeof ORG_TYPES)[number] =>
    (ORG_TYPES as readonly string[]).includes(w),
  );
  const passed = p.kind === 'met' ? 'true' : p.kind === 'not-met' ? 'false' : 'pending';
  return (
    <Card
      withBorder
      padding="sm"
      className="condition"
      data-passed={passed}
      data-testid="preview-condition"
    >
      <Stack gap={4}>
        <Text fw={600}>{props.label}</Text>
        <Text size="sm">{t(`preview.result.${p.kind}`)}</Text>
        {p.kind !== 'hospital' && who.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('preview.confirmBy', {
              who: who.map((w) => t(`preview.who.${w}`)).join(t('preview.or')),
            })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function ReviewStep(props: {
  program: ProgramDetail;
  hospital: string;
  patient: PatientInput;
  asked: readonly PersonFact[];
  declared: ReturnType<typeof parseDeclared>['facts'];
}) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const fmt = useFormats();
  const factValue = useFactValue();
  const rows: [string, string][] = [
    [t('review.program'), fmt.name(props.program.names, props.program.name)],
    [t('review.hospital'), props.hospital],
    [t('review.idKind'), t(`apply.patient.kinds.${props.patient.kind}`)],
    [t('review.idNumber'), normaliseId(props.patient.id)],
  ];
  if (plain(props.patient.name)) rows.push([t('review.name'), plain(props.patient.name)]);
  if (plain(props.patient.phone)) rows.push([t('review.phone'), plain(props.patient.phone)]);
  for (const f of props.asked)
    rows.push([
      cap(FACT_LABELS[f]?.[lang] ?? f, lang),
      factValue(f, props.declared[f], props.program.currency),
    ]);
  return (
    <>
      <Text>{t('review.text')}</Text>
      <Table withTableBorder variant="vertical" layout="fixed">
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w="40%">{k}</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function Sent(props: { id: string }) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const reference = caseReference(props.id);
  return (
    <Stack gap="md">
      <Alert color="brand" title={t('sent.title')} role="status">
        {t('sent.text')}
      </Alert>
      <Stack gap={4}>
        <Text>{tf('reference.label')}</Text>
        <Text className="case-reference" data-testid="case-reference">
          {reference}
        </Text>
        <Text size="sm">{tf('reference.help')}</Text>
      </Stack>
      <Group gap="sm">
        <Button component={Link} to={`/me/cases/${props.id}`}>
          {t('sent.follow')}
        </Button>
        <Button component={Link} to={`/verify/${props.id}`} variant="light">
          {t('sent.receipt')}
        </Button>
      </Group>
    </Stack>
  );
}
