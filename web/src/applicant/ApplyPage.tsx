/**
 * `/me/apply`: the programs that take applications; `/me/apply/:program`: the application, step
 * by step (hospital, patient, declared facts, an eligibility preview by the program's own rules,
 * review), each step checked with the shared schemas, then signed in this browser and sent.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Radio,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  FACT_LABELS,
  loadRules,
  MINOR_DIGITS,
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
import { Empty, ErrorNotice, Loading } from '../components/Status';
import { Hash } from '../components/Hash';
import { RequireUnlocked, useApplicantPrograms } from './AccountPage';
import {
  confirmedBy,
  EMPTY_DECLARED,
  factsAsked,
  parseDeclared,
  plain,
  previewCondition,
  type DeclaredErrors,
  type DeclaredInput,
  type PersonFact,
  type Preview,
} from './facts';
import { submitSigned } from './session';
import { cap, useFactValue, useFocusFirstError, useOrgName, useRefusalText } from './shared';

// ---- choose a program ----------------------------------------------------------------------

export function ChooseProgramPage() {
  const { t } = useTranslation('applicant');
  const progs = useApplicantPrograms();
  const orgName = useOrgName();
  const open = (progs.data ?? []).filter((p) => p.open && !p.frozen);
  return (
    <Page title={t('choose.title')}>
      <Text maw={640}>{t('choose.text')}</Text>
      {progs.isPending ? (
        <Loading />
      ) : progs.isError ? (
        <ErrorNotice error={progs.error} retry={() => void progs.refetch()} />
      ) : open.length === 0 ? (
        <Empty text={t('choose.none')} />
      ) : (
        <Stack component="ul" gap="sm" className="plain-list">
          {open.map((p) => (
            <li key={p.id}>
              <Card withBorder padding="md">
                <Stack gap={6}>
                  <Anchor component={Link} to={`/me/apply/${p.id}`} fw={600} size="lg">
                    {p.name}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {t('choose.runBy', { org: orgName(p.owner) })}
                  </Text>
                </Stack>
              </Card>
            </li>
          ))}
        </Stack>
      )}
    </Page>
  );
}

// ---- the application -------------------------------------------------------------------------

type IdKind = 'cn' | 'hk' | 'tw';
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

interface PatientInput {
  kind: IdKind;
  id: string;
  name: string;
  phone: string;
}
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
  return (
    <Page title={t('apply.title')}>
      {detail.data && (
        <Text fw={600} size="lg">
          {fmt.name(detail.data.names, detail.data.name)}
        </Text>
      )}
      <RequireUnlocked next={`/me/apply/${id}`}>
        {() =>
          detail.isPending || engine.isPending ? (
            <Loading />
          ) : detail.isError ? (
            <ErrorNotice error={detail.error} retry={() => void detail.refetch()} />
          ) : engine.isError ? (
            <ErrorNotice error={engine.error} retry={() => void engine.refetch()} />
          ) : detail.data.frozen ? (
            <Alert color="orange">{t('apply.frozen')}</Alert>
          ) : !detail.data.open ? (
            <Alert color="orange">{t('apply.closed')}</Alert>
          ) : (
            <ApplicationForm program={detail.data} />
          )
        }
      </RequireUnlocked>
    </Page>
  );
}

function ApplicationForm(props: { program: ProgramDetail }) {
  const { t } = useTranslation('applicant');
  const { locale } = useLocale();
  const fmt = useFormats();
  const orgs = useOrgs();
  const queryClient = useQueryClient();
  const refusal = useRefusalText();
  const def = props.program.definition;
  const currency = props.program.currency;
  const asked = useMemo(() => factsAsked(def.conditions), [def.conditions]);

  const [active, setActive] = useState(0);
  const [hospital, setHospital] = useState('');
  const [hospitalError, setHospitalError] = useState<string | undefined>();
  const [patient, setPatient] = useState<PatientInput>({
    kind: DEFAULT_KIND[locale],
    id: '',
    name: '',
    phone: '',
  });
  const [patientErrors, setPatientErrors] = useState<PatientErrors>({});
  const [declared, setDeclared] = useState<DeclaredInput>(EMPTY_DECLARED);
  const [declaredErrors, setDeclaredErrors] = useState<DeclaredErrors>({});
  const [sending, setSending] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

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

  const checkHospital = () => {
    const ok = hospitals.some((h) => h.id === hospital);
    setHospitalError(ok ? undefined : t('apply.hospital.required'));
    return ok;
  };

  const patientFacts = (): SubmitFacts | undefined => {
    const errs: PatientErrors = {};
    const idValue = normaliseId(patient.id);
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
    const r = parseDeclared(declared, asked, currency);
    setDeclaredErrors(r.errors);
    return Object.keys(r.errors).length === 0 ? r.facts : undefined;
  };

  const checks = [
    checkHospital,
    () => patientFacts() !== undefined,
    () => declaredFacts() !== undefined,
    () => true,
  ];

  function next(e: FormEvent) {
    e.preventDefault();
    if (active === STEPS.length - 1) {
      void send();
      return;
    }
    if (!checks[active]!()) {
      focusError();
      return;
    }
    setActive((a) => Math.min(a + 1, STEPS.length - 1));
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
        setSent(out.id);
        setActive(STEPS.length);
        void queryClient.invalidateQueries({ queryKey: ['me'] });
      } else setRefused(refusal(out.result.code));
    } catch (err) {
      setRefused(refusal(err));
    } finally {
      setSending(false);
    }
  }

  const stepName = (i: number) => t(`apply.steps.${STEPS[i]!}`);
  const parsedDeclared = active >= 3 ? parseDeclared(declared, asked, currency).facts : {};

  return (
    <Stack gap="md" ref={box}>
      <Stepper
        active={active}
        onStepClick={(i) => i < active && sent === null && setActive(i)}
        allowNextStepsSelect={false}
        size="sm"
        className="apply-stepper"
      >
        {STEPS.map((s, i) => (
          <Stepper.Step key={s} label={stepName(i)} />
        ))}
      </Stepper>

      {sent !== null ? (
        <Sent id={sent} />
      ) : (
        <form onSubmit={next} noValidate aria-labelledby="step-heading">
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
                  <Stack gap="xs" mt="xs">
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
                <Alert color="brand" variant="light">
                  {t('apply.patient.privacy')}
                </Alert>
                <Radio.Group
                  label={t('apply.patient.kind')}
                  value={patient.kind}
                  onChange={(v) => setPatient({ ...patient, kind: v as IdKind })}
                  required
                >
                  <Stack gap="xs" mt="xs">
                    {ID_KINDS.map((k) => (
                      <Radio key={k} value={k} label={t(`apply.patient.kinds.${k}`)} />
                    ))}
                  </Stack>
                </Radio.Group>
                <TextInput
                  label={t('apply.patient.number')}
                  description={t(`apply.patient.numberHelp.${patient.kind}`)}
                  value={patient.id}
                  onChange={(e) => setPatient({ ...patient, id: e.currentTarget.value })}
                  error={patientErrors.id}
                  required
                  autoComplete="off"
                  spellCheck={false}
                  data-testid="patient-id"
                />
                <TextInput
                  label={t('apply.patient.name')}
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
              </>
            )}

            {active === 2 && (
              <DeclaredStep
                asked={asked}
                value={declared}
                onChange={setDeclared}
                errors={declaredErrors}
                currency={currency}
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
                <Button
                  variant="default"
                  onClick={() => setActive((a) => a - 1)}
                  disabled={sending}
                >
                  {t('apply.back')}
                </Button>
              )}
              {active < STEPS.length - 1 ? (
                <Button type="submit">{t('apply.next')}</Button>
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
      )}
    </Stack>
  );
}

function DeclaredStep(props: {
  asked: readonly PersonFact[];
  value: DeclaredInput;
  onChange(v: DeclaredInput): void;
  errors: DeclaredErrors;
  currency: string;
}) {
  const { t } = useTranslation('applicant');
  const { lang, locale } = useLocale();
  const label = (f: PersonFact) => cap(FACT_LABELS[f]?.[lang] ?? f, lang);
  const digits = MINOR_DIGITS[props.currency] ?? 2;
  // The currency in words ("人民幣", "Chinese Yuan"), not its code.
  const currency = useMemo(
    () =>
      new Intl.DisplayNames([LOCALE_TAGS[locale]], { type: 'currency' }).of(props.currency) ??
      props.currency,
    [locale, props.currency],
  );
  const err = (f: PersonFact) => {
    const e = props.errors[f];
    return e === undefined
      ? undefined
      : e === 'required'
        ? t('apply.facts.required')
        : t(`apply.facts.invalid.${f as Exclude<PersonFact, 'lowIncome' | 'disability'>}`, {
            currency,
            digits,
          });
  };
  const set = (f: keyof DeclaredInput, v: string | boolean) =>
    props.onChange({ ...props.value, [f]: v });
  if (props.asked.length === 0) return <Text>{t('apply.facts.none')}</Text>;
  return (
    <>
      <Text>{t('apply.facts.intro')}</Text>
      {props.asked.map((f) =>
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
              f === 'householdIncomePerCapita'
                ? t('apply.facts.moneyLabel', { label: label(f), currency })
                : label(f)
            }
            description={t(`apply.facts.help.${f}`)}
            value={props.value[f]}
            onChange={(e) => set(f, e.currentTarget.value)}
            error={err(f)}
            required
            inputMode={
              f === 'region' ? 'text' : f === 'householdIncomePerCapita' ? 'decimal' : 'numeric'
            }
            autoComplete="off"
            data-testid={`fact-${f}`}
          />
        ),
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
      <Alert color="orange" variant="light" title={t('preview.notDecisionTitle')}>
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
  return (
    <Stack gap="md">
      <Alert color="brand" title={t('sent.title')} role="status">
        {t('sent.text')}
      </Alert>
      <Group gap="xs">
        <Text>{t('sent.caseNumber')}</Text>
        <Hash value={props.id} />
      </Group>
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
