/**
 * The outcome of checking a receipt: the verdict (announced to screen readers), every step with
 * ✓ / ✗ and what it established or why it failed, what the receipt proves and what it does not.
 */
import './words';
import type { ReactNode } from 'react';
import { Anchor, List, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { caseReference } from '@sdk';
import { Hash } from '../components/Hash';
import { When } from '../components/When';
import { Section } from '../components/Section';
import { useFormats, useLocale } from '../lib/locale-context';
import {
  Fields,
  HashLink,
  ResultBadge,
  TxType,
  useOrgName,
  useOrgNameText,
  useReasonText,
} from '../explorer/parts';
import type { Checked, Failure, Step } from './check';

type StepState = 'passed' | 'failed' | 'skipped';

function useJoin(): (items: string[]) => string {
  const { lang } = useLocale();
  return (items) => items.join(lang === 'en' ? ', ' : '、');
}

/** What a passed step established, in the reader's words. */
function Established(props: { step: Step; checked: Checked; quorum: number }) {
  const { t } = useTranslation('verify');
  const orgText = useOrgNameText();
  const join = useJoin();
  const fmt = useFormats();
  const { checked } = props;
  const leaf = checked.leaf;
  switch (props.step) {
    case 'format':
      return <Text size="sm">{t('detail.format')}</Text>;
    case 'leaf':
      return (
        <Text size="sm">
          {leaf?.kind === 'block'
            ? t('detail.leafBlock', { height: leaf.height })
            : t('detail.leafTx', { type: leaf?.kind === 'tx' ? leaf.tx.type : '' })}
        </Text>
      );
    case 'txid':
      return (
        <Stack gap={2}>
          <Text size="sm">{t('detail.txid')}</Text>
          {checked.receipt?.txid && <Hash value={checked.receipt.txid} full />}
        </Stack>
      );
    case 'signature':
      return (
        <Stack gap={2}>
          <Text size="sm">{t('detail.signature')}</Text>
          {leaf?.kind === 'tx' && <Hash value={leaf.tx.signer} full />}
        </Stack>
      );
    case 'checkpoint':
      return (
        <Text size="sm">
          {t('detail.checkpoint', {
            orgs: join((checked.checkpoint?.orgs ?? []).map(orgText)),
            signed: checked.checkpoint?.orgs.length ?? 0,
            quorum: props.quorum,
          })}
        </Text>
      );
    case 'inclusion':
      return (
        <Text size="sm">
          {t('detail.inclusion', {
            index: checked.receipt?.index ?? 0,
            size: fmt.number(checked.checkpoint?.size ?? 0),
          })}
        </Text>
      );
  }
}

/** Why a step failed, in plain words. */
function Explanation(props: { failure: Failure; quorum: number }) {
  const { t } = useTranslation('verify');
  const f = props.failure;
  let text: ReactNode;
  switch (f.step) {
    case 'format':
      text =
        f.reason === 'json'
          ? t('explain.formatJson', { open: '{', close: '}' })
          : t('explain.formatShape');
      break;
    case 'checkpoint':
      if (f.reason === 'quorum')
        text = t('explain.checkpointQuorum', { signed: f.signed.length, quorum: props.quorum });
      else if (f.reason === 'origin')
        text = (
          <>
            {t('explain.checkpointOrigin')} <span className="mono">{f.origin}</span>
          </>
        );
      else text = t('explain.checkpointMalformed');
      break;
    default:
      text = t(`explain.${f.step}`);
  }
  return (
    <Text size="sm" data-testid="explanation">
      {text}
    </Text>
  );
}

function Steps(props: { checked: Checked; quorum: number }) {
  const { t } = useTranslation('verify');
  const { checked } = props;
  return (
    <ol className="steps" data-testid="steps">
      {checked.steps.map((step) => {
        const r = checked.verdict.steps.find((s) => s.step === step);
        const state: StepState = r ? (r.ok ? 'passed' : 'failed') : 'skipped';
        return (
          <li key={step} className="step" data-step={step} data-state={state}>
            <span className="step-icon" aria-hidden="true">
              {state === 'passed' ? '✓' : state === 'failed' ? '✗' : '–'}
            </span>
            <Stack gap={4}>
              <Text fw={600}>
                {t(`steps.${step}`)}
                <span className="step-state">
                  {' · '}
                  {t(`steps.${state}`)}
                </span>
              </Text>
              {state === 'passed' && (
                <Established step={step} checked={checked} quorum={props.quorum} />
              )}
              {state === 'failed' && checked.failure && (
                <Explanation failure={checked.failure} quorum={props.quorum} />
              )}
              {state === 'skipped' && (
                <Text size="sm" c="dimmed">
                  {t('steps.skippedHint')}
                </Text>
              )}
            </Stack>
          </li>
        );
      })}
    </ol>
  );
}

/** What a valid receipt establishes, and what it does not. */
function Proves(props: { checked: Checked }) {
  const { t } = useTranslation('verify');
  const orgName = useOrgName();
  const reason = useReasonText();
  const fmt = useFormats();
  const { leaf, receipt, checkpoint } = props.checked;
  if (!leaf || !receipt || !checkpoint) return null;
  const common = [
    { label: t('proves.index'), value: <span className="tabular">#{receipt.index}</span> },
    { label: t('proves.size'), value: fmt.number(checkpoint.size) },
    {
      label: t('proves.signers'),
      value: (
        <List size="sm" spacing={2}>
          {checkpoint.orgs.map((o) => (
            <List.Item key={o}>{orgName(o)}</List.Item>
          ))}
        </List>
      ),
    },
  ];
  const items =
    leaf.kind === 'tx'
      ? [
          { label: t('proves.type'), value: <TxType type={leaf.tx.type} /> },
          ...(receipt.txid
            ? [
                {
                  label: t('proves.id'),
                  value: <HashLink value={receipt.txid} to={`/explorer/tx/${receipt.txid}`} />,
                },
              ]
            : []),
          // An application's receipt names the case as the family reads it aloud.
          ...(receipt.txid && leaf.tx.type === 'cases.submit' && leaf.result.ok
            ? [
                {
                  label: t('proves.caseReference'),
                  value: (
                    <span className="case-reference-inline" data-testid="receipt-reference">
                      {caseReference(receipt.txid)}
                    </span>
                  ),
                },
              ]
            : []),
          { label: t('proves.signedAt'), value: <When ms={leaf.tx.time} withTime /> },
          {
            label: t('proves.result'),
            value: (
              <Stack gap={2} align="flex-start">
                <ResultBadge result={leaf.result} />
                {!leaf.result.ok && <Text size="sm">{reason(leaf.result.code)}</Text>}
              </Stack>
            ),
          },
          ...common,
        ]
      : [
          {
            label: t('proves.block'),
            value: (
              <Anchor component={Link} to={`/explorer/blocks/${leaf.height}`}>
                {leaf.height}
              </Anchor>
            ),
          },
          { label: t('proves.blockTime'), value: <When ms={leaf.time} withTime /> },
          ...common,
        ];
  return (
    <Section id="proves-title" title={t('proves.title')} small>
      <Text size="sm">{t('proves.intro')}</Text>
      <Fields items={items} />
    </Section>
  );
}

function NotShown() {
  const { t } = useTranslation('verify');
  return (
    <Section id="not-shown-title" title={t('notShown.title')} small>
      <List size="sm" spacing="xs">
        <List.Item>{t('notShown.private')}</List.Item>
        <List.Item>{t('notShown.later')}</List.Item>
      </List>
    </Section>
  );
}

/**
 * The verdict and the checks. The live region is always in the page so that a new verdict is
 * announced when it appears.
 */
export function Verdict(props: {
  checked: Checked | null;
  quorum: number;
  source?: ReactNode;
  /** A short link named another entry than the receipt is: not valid for that document. */
  linkMismatch?: boolean;
}) {
  const { t } = useTranslation('verify');
  const { checked } = props;
  const failed = checked?.verdict.steps.find((s) => !s.ok)?.step;
  const ok = checked?.verdict.ok === true && !props.linkMismatch;
  return (
    <Stack gap="lg">
      <div role="status" aria-live="polite" aria-atomic="true">
        {checked && (
          <div className="verdict" data-ok={String(ok)} data-testid="verdict">
            <Title order={2} size="h3">
              <span aria-hidden="true">{ok ? '✓ ' : '✗ '}</span>
              {ok ? t('verdict.ok') : checked.verdict.ok ? t('verdict.linkBad') : t('verdict.bad')}
            </Title>
            <Text>
              {ok
                ? t('verdict.okText')
                : checked.verdict.ok
                  ? t('verdict.linkBadText')
                  : t('verdict.badText', { step: failed ? t(`steps.${failed}`) : '' })}
            </Text>
            {props.source}
          </div>
        )}
      </div>
      {checked && (
        <section aria-label={t('steps.title')}>
          <Steps checked={checked} quorum={props.quorum} />
        </section>
      )}
      {checked?.verdict.ok && <Proves checked={checked} />}
      {checked?.verdict.ok && <NotShown />}
    </Stack>
  );
}
