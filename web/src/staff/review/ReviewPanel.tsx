/**
 * The reviewer's panel of the case page: the evidence (sources and documents), the review policy
 * and the conflict rules as they apply to this member on this case — shown before the click, with
 * the action disabled and the reason given — then approve or reject with a coded reason
 * (`cases.review`), or ask the applicant's side or the hospital for more information
 * (`cases.requestInfo`, protocol 3). Words the reviewer adds go in the private part only.
 */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, NativeSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { INFO_REASONS, program, REVIEW_REASONS, type CaseRecord } from '@sdk';
import { client } from '../../lib/api';
import { useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { useSignedAction } from '../api';
import { useStaffSession } from '../session';
import { Refusal } from '../parts';
import { askGate, reviewGate, type Block } from './gate';
import { documentsInReview } from '../documents/DocumentsPanel';
import { CaseDocumentsPanel, CaseSources } from './Evidence';
import { useActionRefusal } from './words';

const APPROVE_REASONS = ['criteria-met', 'hardship-confirmed', 'documents-verified', 'other'];
const REJECT_REASONS = [
  'criteria-not-met',
  'facts-inconsistent',
  'documents-insufficient',
  'suspected-duplicate',
  'other',
];

/** The evidence and the reviewer's actions, for the program's reviewers and managers. */
export function ReviewPanel(props: { rec: CaseRecord }) {
  const { lang } = useLocale();
  const s = useStaffSession();
  const v = s?.viewer;
  const { rec } = props;
  const prog = useQuery({
    queryKey: ['program', rec.program, lang],
    queryFn: () => program(client, rec.program, lang),
    staleTime: 60_000,
  });
  if (!v || !documentsInReview(rec, v.org, v.roles)) return null;
  const deciding = rec.state === 'assessed' || rec.state === 'appealed';
  const waiting = rec.state === 'info-requested';
  const currency = prog.data?.currency ?? 'CNY';
  return (
    <Stack gap="lg" data-testid="review-panel">
      <CaseSources rec={rec} currency={currency} />
      <CaseDocumentsPanel rec={rec} />
      {(deciding || waiting) && <Decide rec={rec} />}
    </Stack>
  );
}

function Decide(props: { rec: CaseRecord }) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const s = useStaffSession();
  const v = s!.viewer!;
  const { rec } = props;
  const gate = reviewGate(rec, v);
  const ask = askGate(rec, v);
  const waiting = rec.state === 'info-requested';
  const open = rec.infoRequests?.[rec.infoRequests.length - 1];
  return (
    <Section small id="decide-title" title={t('decide.title')}>
      <Stack gap="sm" data-testid="review-policy">
        <Text>
          {gate.needed === 2 ? t('policy.two') : t('policy.one')}{' '}
          {rec.state === 'appealed' ? t('policy.appeal') : ''}
        </Text>
        {gate.approvals.length > 0 && (
          <Text>
            {t('policy.approvedBy', { count: gate.approvals.length })}{' '}
            <span className="mono">{gate.approvals.join(', ')}</span>
          </Text>
        )}
        {gate.block === undefined && !waiting && (
          <Text fw={600} data-testid="review-position">
            {gate.needed === 2
              ? gate.position === 1
                ? t('policy.youFirst')
                : t('policy.youSecond')
              : t('policy.youDecide')}
          </Text>
        )}
        <Text size="sm">{t('policy.rules')}</Text>
      </Stack>
      {waiting && open !== undefined && (
        <Alert color="blue" title={t('ask.waitingTitle')} data-testid="info-waiting">
          {t(open.from === 'applicant' ? 'ask.waitingApplicant' : 'ask.waitingHospital', {
            reason: INFO_REASONS[open.reason as keyof typeof INFO_REASONS]?.[lang] ?? open.reason,
          })}
        </Alert>
      )}
      {!waiting && <ReviewForm rec={rec} block={gate.block} />}
      {!waiting && <AskForm rec={rec} block={ask} />}
    </Section>
  );
}

/** Why an action is closed to this member, in words, before the click. */
/** The reason a decision or a request gives, chosen from the ledger's list; none chosen is said. */
function ReasonSelect(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  disabled: boolean;
  /** Whether the form was sent without a reason. */
  missing: boolean;
  reasons: { value: string; label: string }[];
  testId: string;
}) {
  const { t } = useTranslation('review');
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      disabled={props.disabled}
      required
      error={props.missing ? t('decide.reasonMissing') : undefined}
      data={[{ value: '', label: t('decide.chooseReason') }, ...props.reasons]}
      data-testid={props.testId}
    />
  );
}

function BlockNotice(props: { block: Block; testId: string }) {
  const { t } = useTranslation('review');
  return (
    <Alert color="orange" title={t('block.title')} data-testid={props.testId}>
      <Text>
        {t(`block.${props.block}`)} <span className="mono">({props.block})</span>
      </Text>
    </Alert>
  );
}

function ReviewForm(props: { rec: CaseRecord; block: Block | undefined }) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const refusal = useActionRefusal();
  const action = useSignedAction();
  const [verdict, setVerdict] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const reasons = verdict === 'approve' ? APPROVE_REASONS : REJECT_REASONS;
  const disabled = props.block !== undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (disabled) return;
    if (!reasons.includes(reason)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const ok = await action.run({
      type: 'cases.review',
      payload: { case: props.rec.id, approve: verdict === 'approve', reason },
      ...(note.trim() !== '' ? { facts: { note: note.trim() } } : {}),
    });
    if (ok) {
      setNote('');
      setReason('');
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="review-form-title" noValidate>
      <Stack gap="sm">
        <Text fw={600} id="review-form-title">
          {t('decide.reviewTitle')}
        </Text>
        {props.block !== undefined && <BlockNotice block={props.block} testId="review-blocked" />}
        <Radio.Group
          label={t('decide.verdict')}
          value={verdict}
          onChange={(v) => {
            setVerdict(v as 'approve' | 'reject');
            setReason('');
          }}
        >
          <Group gap="md" mt={4}>
            <Radio
              value="approve"
              label={t('decide.approve')}
              disabled={disabled}
              data-testid="verdict-approve"
            />
            <Radio
              value="reject"
              label={t('decide.reject')}
              disabled={disabled}
              data-testid="verdict-reject"
            />
          </Group>
        </Radio.Group>
        <ReasonSelect
          label={t('decide.reason')}
          value={reason}
          onChange={setReason}
          disabled={disabled}
          missing={missing}
          reasons={reasons.map((r) => ({
            value: r,
            label: REVIEW_REASONS[r as keyof typeof REVIEW_REASONS][lang],
          }))}
          testId="review-reason"
        />
        <Textarea
          label={t('decide.note')}
          description={t('decide.noteHelp')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          disabled={disabled}
          data-testid="review-note"
        />
        <Group>
          <Button
            type="submit"
            disabled={disabled}
            loading={action.state.kind === 'busy'}
            {...(verdict === 'approve' ? {} : { color: 'red.8' })}
            data-testid="review-submit"
          >
            {verdict === 'approve' ? t('decide.submitApprove') : t('decide.submitReject')}
          </Button>
        </Group>
        {action.state.kind === 'failed' && (
          <Refusal testId="review-refused">{refusal(action.state.code)}</Refusal>
        )}
        {action.state.kind === 'done' && (
          <Alert color="green" role="status" data-testid="review-done">
            {t('decide.done')}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function AskForm(props: { rec: CaseRecord; block: Block | undefined }) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const refusal = useActionRefusal();
  const action = useSignedAction();
  const [from, setFrom] = useState<'applicant' | 'hospital'>('applicant');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const disabled = props.block !== undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (disabled) return;
    if (!Object.hasOwn(INFO_REASONS, reason)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    await action.run({
      type: 'cases.requestInfo',
      payload: { case: props.rec.id, reason, from },
      ...(note.trim() !== '' ? { facts: { note: note.trim() } } : {}),
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="ask-form-title" noValidate>
      <Stack gap="sm">
        <Text fw={600} id="ask-form-title">
          {t('ask.title')}
        </Text>
        <Text size="sm">{t('ask.intro')}</Text>
        {props.block !== undefined && <BlockNotice block={props.block} testId="ask-blocked" />}
        <Radio.Group
          label={t('ask.from')}
          value={from}
          onChange={(v) => setFrom(v as 'applicant' | 'hospital')}
        >
          <Group gap="md" mt={4}>
            <Radio
              value="applicant"
              label={t('ask.applicant')}
              disabled={disabled}
              data-testid="ask-from-applicant"
            />
            <Radio
              value="hospital"
              label={t('ask.hospital')}
              disabled={disabled}
              data-testid="ask-from-hospital"
            />
          </Group>
        </Radio.Group>
        <ReasonSelect
          label={t('ask.reason')}
          value={reason}
          onChange={setReason}
          disabled={disabled}
          missing={missing}
          reasons={Object.entries(INFO_REASONS).map(([value, words]) => ({
            value,
            label: words[lang],
          }))}
          testId="ask-reason"
        />
        <Textarea
          label={t('ask.note')}
          description={t('decide.noteHelp')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          disabled={disabled}
          data-testid="ask-note"
        />
        <Group>
          <Button
            type="submit"
            variant="outline"
            disabled={disabled}
            loading={action.state.kind === 'busy'}
            data-testid="ask-submit"
          >
            {t('ask.submit')}
          </Button>
        </Group>
        {action.state.kind === 'failed' && (
          <Refusal testId="ask-refused">{refusal(action.state.code)}</Refusal>
        )}
      </Stack>
    </form>
  );
}
