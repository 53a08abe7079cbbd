/**
 * `/me/cases/:id`: one of the applicant's cases, refreshing itself every few seconds so that
 * someone watching sees the hospital and the reviewers act: where it stands and what comes next,
 * a timeline of every step with a link to verify it on the ledger, the decision and why (each
 * condition, where each fact came from, the amount step by step), money and payments, and what
 * the applicant may do now (appeal, withdraw, give feedback).
 */
import { useRef, useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  CASE_STATES,
  caseDocuments,
  explainCase,
  getCase,
  OUTCOME_LABELS,
  READ_ROLE_LABELS,
  REASON_LABELS,
  REVIEW_REASONS,
  STATE_LABELS,
  WITHDRAWABLE_STATES,
  type CaseExplanation,
  type CaseRecord,
  type CaseState,
  type CaseView,
  type Lang,
} from '@sdk';
import { client } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { ErrorNotice, Loading } from '../components/Status';
import { Money } from '../components/Money';
import { CaseReference, MoneySummary, NextWhen } from './CaseSummary';
import { When } from '../components/When';
import { RequireUnlocked, useApplicantPrograms } from './AccountPage';
import { StateBadge } from './StateBadge';
import { useDocumentKinds } from '../lib/document-kinds';
import { useApplicantLive } from './live';
import { CaseDocuments } from './CaseDocuments';
import { submitSigned, withToken, type Unlocked } from './session';
import { cap, useFocusFirstError, useOrgName, useRefusalText } from './shared';
import { useFactValue } from './fact-value';

/** A state this app has words for (a newer node may know more). */
const isCaseState = (s: string): s is CaseState => (CASE_STATES as readonly string[]).includes(s);

const BAD = new Set(['rejected', 'cancelled']);

export function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('applicant');
  return (
    <Page title={t('case.title')}>
      <RequireUnlocked next={`/me/cases/${id}`}>
        {(u) => <CaseDetail id={id} unlocked={u} />}
      </RequireUnlocked>
    </Page>
  );
}

function CaseDetail(props: { id: string; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const refusal = useRefusalText();
  const progs = useApplicantPrograms();
  useApplicantLive(props.unlocked);
  const q = useQuery({
    queryKey: ['me', props.unlocked.key, 'case', props.id],
    queryFn: () => withToken(lang, (tok) => getCase(client, tok, props.id)),
  });
  if (q.isPending) return <Loading />;
  if (q.isError && !q.data)
    return (
      <Stack>
        <ErrorNotice error={q.error} retry={() => void q.refetch()} />
        <Anchor component={Link} to="/me" className="tap-link">
          {t('case.backToList')}
        </Anchor>
      </Stack>
    );
  const view = q.data;
  const rec = view.case;
  const prog = progs.data?.find((p) => p.id === rec.program);
  const stateLabel = cap(STATE_LABELS[rec.state]?.[lang] ?? rec.state, lang);
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Anchor component={Link} to="/me" className="tap-link">
          {t('case.backToList')}
        </Anchor>
        <Text fw={600} size="lg">
          {prog?.name ?? rec.program}
        </Text>
        <CaseReference id={rec.id} />
        <div role="status" aria-live="polite">
          <Stack gap={6}>
            <Group gap="xs">
              <Text>{t('case.now')}</Text>
              <StateBadge state={rec.state} label={stateLabel} />
            </Group>
            {isCaseState(rec.state) && <Text>{t(`case.next.${rec.state}`)}</Text>}
            <NextWhen rec={rec} />
            {!rec.decision && rec.reason && BAD.has(rec.state) && (
              <Text>{t('case.why', { reason: cap(reasonWords(rec.reason, lang), lang) })}</Text>
            )}
            {rec.outcome && (
              <Text>
                {t('case.treatment', {
                  outcome: cap(OUTCOME_LABELS[rec.outcome]?.[lang] ?? rec.outcome, lang),
                })}
              </Text>
            )}
          </Stack>
        </div>
        {q.isError && <Text size="sm">{refusal(q.error)}</Text>}
        <Text size="sm" c="dimmed">
          {t('case.refreshes')}
        </Text>
      </Stack>

      <MoneySummary rec={rec} currency={prog?.currency} />
      <Timeline rec={rec} />
      {rec.decision && <Decision rec={rec} unlocked={props.unlocked} />}
      <MoneySection view={view} currency={prog?.currency} />
      <CaseDocuments rec={rec} unlocked={props.unlocked} />
      <DocumentReads rec={rec} unlocked={props.unlocked} />
      <Actions rec={rec} unlocked={props.unlocked} />
    </Stack>
  );
}

/**
 * A case's or a review's reason in the reader's language: from protocol 2 a published code; a
 * reason written under protocol 1 is shown as written.
 */
function reasonWords(reason: string, lang: Lang): string {
  if (Object.hasOwn(REVIEW_REASONS, reason))
    return REVIEW_REASONS[reason as keyof typeof REVIEW_REASONS][lang];
  return REASON_LABELS[reason]?.[lang] ?? reason;
}

/** Who took a step, from the member id the ledger records (`<org>/<member>`). */
function useByWhom(): (by: string) => string {
  const { t } = useTranslation('applicant');
  const orgName = useOrgName();
  return (by) =>
    by === 'applicant'
      ? t('timeline.byYou')
      : t('timeline.byOrg', { org: orgName(by.split('/')[0] ?? by) });
}

function Timeline(props: { rec: CaseRecord }) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const { lang } = useLocale();
  const byWhom = useByWhom();
  const h = props.rec.history;
  return (
    <Section small id="timeline-title" title={t('timeline.title')}>
      <ol className="timeline" data-testid="timeline">
        {h.map((step, i) => {
          const label = cap(STATE_LABELS[step.state]?.[lang] ?? step.state, lang);
          return (
            <li
              key={step.tx}
              data-current={i === h.length - 1 ? '' : undefined}
              data-tone={BAD.has(step.state) ? 'bad' : undefined}
              aria-current={i === h.length - 1 ? 'step' : undefined}
            >
              <Stack gap={2}>
                <Text fw={600}>{label}</Text>
                <Text size="sm">
                  <When ms={step.time} withTime /> · {byWhom(step.by)}
                </Text>
              </Stack>
            </li>
          );
        })}
      </ol>
      <details className="check-steps">
        <summary>{tf('check.summary')}</summary>
        <Text size="sm">{tf('check.text')}</Text>
        <ul className="plain-list">
          {h.map((step) => {
            const label = cap(STATE_LABELS[step.state]?.[lang] ?? step.state, lang);
            return (
              <li key={step.tx}>
                <Anchor component={Link} to={`/verify/${step.tx}`} className="tap-link">
                  {t('timeline.verifyStep', { step: label })}
                </Anchor>
              </li>
            );
          })}
        </ul>
      </details>
    </Section>
  );
}

/**
 * Who read the case's documents: every read is a transaction the reader signed, committed before
 * the bytes were served, so the list is the ledger's, each entry verifiable.
 */
function DocumentReads(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const orgName = useOrgName();
  const { label } = useDocumentKinds(props.rec.program);
  const q = useQuery({
    queryKey: ['me', props.unlocked.key, 'documents', props.rec.id],
    queryFn: () => withToken(lang, (tok) => caseDocuments(client, tok, props.rec.id)),
  });
  // A node without documents (an older one) has nothing to list: the section stays away.
  if (q.isError && !q.data) return null;
  if (q.isPending) return null;
  const d = q.data;
  if (d.documents.length === 0) return null;
  const reads = d.reads ?? [];
  return (
    <Section small id="reads-title" title={t('reads.title')}>
      <Text size="sm">{t('reads.intro', { count: d.documents.length })}</Text>
      {reads.length === 0 ? (
        <Text>{t('reads.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table data-testid="document-reads">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('reads.when')}</Table.Th>
                <Table.Th scope="col">{t('reads.who')}</Table.Th>
                <Table.Th scope="col">{t('reads.document')}</Table.Th>
                <Table.Th scope="col">{t('reads.record')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reads.map((r) => (
                <Table.Tr key={r.tx}>
                  <Table.Td>
                    <When ms={r.time} withTime />
                  </Table.Td>
                  <Table.Td>
                    {r.reader === 'applicant'
                      ? t('reads.you')
                      : `${orgName(r.org)} · ${READ_ROLE_LABELS[r.as]?.[lang] ?? r.as}`}
                  </Table.Td>
                  <Table.Td>{label(r.kind)}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/verify/${r.tx}`}
                      className="tap-link"
                      aria-label={t('reads.verifyRead', { kind: label(r.kind) })}
                    >
                      {t('timeline.verify')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function Decision(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const { lang } = useLocale();
  const orgName = useOrgName();
  const rec = props.rec;
  const q = useQuery({
    // Asked again whenever the case changes (a review, an approval).
    queryKey: ['me', props.unlocked.key, 'explain', rec.id, lang, rec.updated],
    queryFn: () => withToken(lang, (tok) => explainCase(client, tok, rec.id, lang)),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  return (
    <Section small id="decision-title" title={t('decision.title')}>
      {q.isPending ? (
        <Loading />
      ) : q.isError && !q.data ? (
        <ErrorNotice error={q.error} retry={() => void q.refetch()} />
      ) : (
        <Explanation e={q.data} />
      )}
      {rec.reviews.length > 0 && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('decision.reviews')}
          </Title>
          <Stack component="ul" gap="xs" className="plain-list">
            {rec.reviews.map((r) => (
              <li key={r.tx}>
                <Card withBorder padding="sm">
                  <Text fw={600}>
                    {r.approve
                      ? t('decision.approvedBy', { org: orgName(r.org) })
                      : t('decision.rejectedBy', { org: orgName(r.org) })}
                  </Text>
                  <Text size="sm">
                    <When ms={r.time} withTime />
                  </Text>
                  <Text size="sm">
                    {t('decision.reason')}
                    {Object.hasOwn(REVIEW_REASONS, r.reason) ? (
                      reasonWords(r.reason, lang)
                    ) : (
                      <q>{r.reason}</q>
                    )}
                  </Text>
                </Card>
              </li>
            ))}
          </Stack>
        </Stack>
      )}
    </Section>
  );
}

function Explanation(props: { e: CaseExplanation }) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const fmt = useFormats();
  const { lang } = useLocale();
  const factValue = useFactValue();
  const e = props.e;
  const currency = e.amount.currency;
  return (
    <Stack gap="md">
      <Text fw={600}>{e.eligible ? t('decision.eligible') : t('decision.notEligible')}</Text>
      {e.reasonLabel && <Text>{t('decision.outcome', { outcome: cap(e.reasonLabel, lang) })}</Text>}
      <Text size="sm" c="dimmed">
        {t('decision.version', { version: e.version })} · {t(`decision.review.${e.review}`)}
      </Text>
      {e.differences && e.differences.length > 0 && (
        <Text>
          {t('decision.differs', { facts: e.differences.map((d) => d.label).join(', ') })}
        </Text>
      )}
      <details className="why-details">
        <summary>{tf('why.summary')}</summary>
        <Stack gap="md" mt="sm">
          <Stack
            component="ul"
            gap="sm"
            className="plain-list"
            aria-label={t('decision.conditions')}
          >
            {e.conditions.map((c) => (
              <li key={c.name}>
                <Card withBorder padding="sm" className="condition" data-passed={String(c.passed)}>
                  <Stack gap={4}>
                    <Text fw={600}>{cap(c.label, lang)}</Text>
                    <Text size="sm">
                      {c.passed
                        ? t('decision.passed')
                        : c.reasonLabel
                          ? t('decision.failedBecause', { reason: c.reasonLabel })
                          : t('decision.failed')}
                    </Text>
                    {c.facts.length > 0 && (
                      <Stack component="ul" gap={2} className="plain-list">
                        {c.facts.map((f) => (
                          <Text component="li" size="sm" key={f.name}>
                            {f.value !== undefined
                              ? t('decision.fact', {
                                  fact: cap(f.label, lang),
                                  value: factValue(f.name, f.value, currency),
                                  source: f.sourceLabel,
                                })
                              : f.declared !== undefined
                                ? t('decision.factDeclared', {
                                    fact: cap(f.label, lang),
                                    value: factValue(f.name, f.declared, currency),
                                    source: f.sourceLabel,
                                  })
                                : t('decision.factNoValue', {
                                    fact: cap(f.label, lang),
                                    source: f.sourceLabel,
                                  })}
                          </Text>
                        ))}
                      </Stack>
                    )}
                  </Stack>
                </Card>
              </li>
            ))}
          </Stack>
          <Title order={3} size="h4">
            {t('decision.amountTitle')}
          </Title>
          <Table withTableBorder variant="vertical" layout="fixed">
            <Table.Tbody>
              {e.amount.steps.map((s) => (
                <Table.Tr key={s.step}>
                  <Table.Th w="60%">{cap(s.label, lang)}</Table.Th>
                  <Table.Td ta="right">
                    <Money amount={s.value} currency={currency} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </details>
      {e.amount.approved !== undefined && (
        <Text fw={600}>
          {t('decision.approvedAmount', { amount: fmt.money(e.amount.approved, currency) })}
        </Text>
      )}
      {e.amount.reducedFrom !== undefined && (
        <Text size="sm">
          {t('decision.reducedFrom', { amount: fmt.money(e.amount.reducedFrom, currency) })}
        </Text>
      )}
    </Stack>
  );
}

/** Waiting for money, the lots that paid the case, and the payments to the hospital. */
function MoneySection(props: { view: CaseView; currency: string | undefined }) {
  const { t } = useTranslation('applicant');
  const fmt = useFormats();
  const orgName = useOrgName();
  const rec = props.view.case;
  const currency = props.currency;
  if (rec.state !== 'waitlisted' && props.view.funding.length === 0 && rec.payments.length === 0)
    return null;
  return (
    <Section small id="money-title" title={t('money.title')}>
      {rec.state === 'waitlisted' && (
        <Alert color="blue" role="note" data-testid="waitlist">
          <Stack gap={4}>
            <Text inherit>{t('money.waitlisted')}</Text>
            {props.view.waitlist && (
              <Text inherit fw={600}>
                {props.view.waitlist.position === 1
                  ? t('money.placeNext')
                  : t('money.place', {
                      position: fmt.number(props.view.waitlist.position),
                      ahead: fmt.number(props.view.waitlist.ahead),
                    })}
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      {props.view.funding.length > 0 && currency && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('money.fundedBy')}
          </Title>
          <Stack component="ul" gap={4} className="plain-list">
            {props.view.funding.map((f) => (
              <li key={`${f.lot}-${f.use}`}>
                <Text>
                  {t(f.source.kind === 'donation' ? 'money.donation' : 'money.allocation', {
                    amount: fmt.money(f.amount, currency),
                  })}{' '}
                  <Anchor
                    component={Link}
                    to={`/verify/${f.source.id}`}
                    className="tap-link"
                    aria-label={t('money.verifySource', { id: f.source.id.slice(0, 10) })}
                  >
                    {t('timeline.verify')}
                  </Anchor>
                </Text>
              </li>
            ))}
          </Stack>
        </Stack>
      )}
      {rec.payments.length > 0 && (
        <Stack component="ul" gap="xs" className="plain-list" aria-label={t('money.payments')}>
          {rec.payments.map((p) => (
            <li key={p.tx}>
              <Card withBorder padding="sm">
                <Stack gap={4}>
                  <Text fw={600}>
                    {rec.amount !== undefined && currency
                      ? t('money.paidTo', {
                          hospital: orgName(rec.hospital),
                          amount: fmt.money(rec.amount, currency),
                        })
                      : t('money.paidToHospital', { hospital: orgName(rec.hospital) })}
                  </Text>
                  <Text size="sm">
                    <When ms={p.time} withTime />
                    {p.reference !== undefined && (
                      <> · {t('money.reference', { reference: p.reference })}</>
                    )}
                  </Text>
                  <Text size="sm">
                    {p.confirmed !== undefined
                      ? t('money.confirmed', { date: fmt.date(p.confirmed) })
                      : t('money.notConfirmed')}
                  </Text>
                </Stack>
              </Card>
            </li>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** Submits an applicant action on the case and refreshes it; answers the refusal, if any. */
function useCaseAction(rec: CaseRecord, unlocked: Unlocked) {
  const queryClient = useQueryClient();
  const refusal = useRefusalText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const out = await submitSigned({
        type,
        payload: { case: rec.id, ...payload },
        ...(facts ? { facts } : {}),
      });
      if (!out.result.ok) setError(refusal(out.result.code));
      return out.result.ok;
    } catch (e) {
      setError(refusal(e));
      return false;
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['me', unlocked.key] });
    }
  };
  return { busy, error, run };
}

function Actions(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const rec = props.rec;
  const canAppeal = rec.state === 'rejected' && rec.decision !== undefined && !rec.appealed;
  const canWithdraw = (WITHDRAWABLE_STATES as readonly string[]).includes(rec.state);
  const canFeedback = rec.state === 'closed' && !rec.feedback;
  if (!canAppeal && !canWithdraw && !canFeedback && !rec.feedback) return null;
  return (
    <Section small id="actions-title" title={t('actions.title')}>
      {canAppeal && <Appeal rec={rec} unlocked={props.unlocked} />}
      {canFeedback && <Feedback rec={rec} unlocked={props.unlocked} />}
      {rec.feedback && <Text>{t('actions.feedback.given', { rating: rec.feedback.rating })}</Text>}
      {canWithdraw && <Withdraw rec={rec} unlocked={props.unlocked} />}
    </Section>
  );
}

/** An action the applicant may take: what it does, its fields, its refusal if any, its button. */
function ActionCard(props: {
  title: string;
  text: string;
  action: { busy: boolean; error: string | null };
  submit: string;
  onSubmit(): void;
  children: ReactNode;
}) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {props.title}
        </Title>
        <Text>{props.text}</Text>
        {props.children}
        {props.action.error && (
          <Alert color="red" role="alert">
            {props.action.error}
          </Alert>
        )}
        <div>
          <Button loading={props.action.busy} onClick={props.onSubmit}>
            {props.submit}
          </Button>
        </div>
      </Stack>
    </Card>
  );
}

function Appeal(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const [statement, setStatement] = useState('');
  const a = useCaseAction(props.rec, props.unlocked);
  const text = statement.trim();
  return (
    <ActionCard
      title={t('actions.appeal.title')}
      text={t('actions.appeal.text')}
      action={a}
      submit={t('actions.appeal.submit')}
      onSubmit={() => void a.run('cases.appeal', {}, text === '' ? undefined : { statement: text })}
    >
      <Textarea
        label={t('actions.appeal.statement')}
        description={t('actions.appeal.statementHelp')}
        value={statement}
        onChange={(e) => setStatement(e.currentTarget.value)}
        maxLength={4000}
        autosize
        minRows={3}
      />
    </ActionCard>
  );
}

const RATINGS = ['1', '2', '3', '4', '5'] as const;

function Feedback(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const [rating, setRating] = useState('');
  const [ratingError, setRatingError] = useState<string | undefined>();
  const [comment, setComment] = useState('');
  const a = useCaseAction(props.rec, props.unlocked);
  const box = useRef<HTMLDivElement>(null);
  const focusError = useFocusFirstError(box);
  const send = () => {
    if (!RATINGS.includes(rating as (typeof RATINGS)[number])) {
      setRatingError(t('actions.feedback.ratingRequired'));
      focusError();
      return;
    }
    setRatingError(undefined);
    const c = comment.trim();
    void a.run('cases.feedback', { rating: Number(rating) }, c === '' ? undefined : { comment: c });
  };
  return (
    <ActionCard
      title={t('actions.feedback.title')}
      text={t('actions.feedback.text')}
      action={a}
      submit={t('actions.feedback.submit')}
      onSubmit={send}
    >
      <div ref={box} data-invalid={ratingError ? '' : undefined}>
        <Radio.Group
          label={t('actions.feedback.rating')}
          value={rating}
          onChange={setRating}
          error={ratingError}
          required
        >
          <Stack gap={4} mt="xs">
            {RATINGS.map((r) => (
              <Radio key={r} value={r} label={t(`actions.feedback.ratings.r${r}`)} />
            ))}
          </Stack>
        </Radio.Group>
      </div>
      <Textarea
        label={t('actions.feedback.comment')}
        description={t('actions.feedback.commentHelp')}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        maxLength={4000}
        autosize
        minRows={3}
      />
    </ActionCard>
  );
}

function Withdraw(props: { rec: CaseRecord; unlocked: Unlocked }) {
  const { t } = useTranslation('applicant');
  const { t: common } = useTranslation();
  const [open, setOpen] = useState(false);
  const a = useCaseAction(props.rec, props.unlocked);
  return (
    <Stack gap="xs">
      {a.error && (
        <Alert color="red" role="alert">
          {a.error}
        </Alert>
      )}
      <div>
        <Button variant="default" onClick={() => setOpen(true)}>
          {t('actions.withdraw.button')}
        </Button>
      </div>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('actions.withdraw.title')}
        closeButtonProps={{ 'aria-label': common('actions.close') }}
      >
        <Stack>
          <Text>{t('actions.withdraw.text')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('actions.withdraw.keep')}
            </Button>
            <Button
              color="red.9"
              loading={a.busy}
              onClick={() => void a.run('cases.withdraw', {}).then(() => setOpen(false))}
            >
              {t('actions.withdraw.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
