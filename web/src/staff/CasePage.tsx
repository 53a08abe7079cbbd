/**
 * A case as a member of staff sees it (`/staff/cases/{id}`): where it stands, its whole history
 * (every step, who took it, when, and the transaction to verify it), its reviews and payments,
 * the program's rules applied to it in words (`GET /v1/cases/{id}/explain`, with the fact values
 * the viewer may see), and the action panels that the viewer's roles add (panels.tsx).
 */
import { Anchor, Stack, Table, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  AidError,
  caseReference,
  explainCase,
  FACTS,
  getCase,
  STATE_LABELS,
  type CaseExplanation,
  type CaseRecord,
  type FactName,
} from '@sdk';
import { client } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { ErrorNotice, Loading } from '../components/Status';
import { When } from '../components/When';
import { ScrollTable } from '../portal/ScrollTable';
import { StateBadge } from '../applicant/StateBadge';
import { cap, useOrgName } from '../applicant/shared';
import { useStaffQuery } from './api';
import { CASE_PANELS } from './panels';
import { useStaffSession } from './session';

const CASE_ID = /^[0-9a-f]{64}$/;

export function CasePage() {
  const { t } = useTranslation('staff');
  const { id = '' } = useParams();
  const valid = CASE_ID.test(id);
  const view = useStaffQuery(['case', id], (tok) => getCase(client, tok, id), {
    enabled: valid,
  });
  const title = t('case.title', { id: id.slice(0, 10) });
  if (!valid)
    return (
      <Page title={title}>
        <ErrorNotice error={new AidError('NOT_FOUND', 'no such case')} />
      </Page>
    );
  return (
    <Page title={title}>
      <Anchor component={Link} to="/staff/queue" size="sm">
        {t('case.back')}
      </Anchor>
      {view.isPending ? (
        <Loading />
      ) : view.isError ? (
        <ErrorNotice error={view.error} retry={() => void view.refetch()} />
      ) : (
        <CaseBody rec={view.data.case} />
      )}
    </Page>
  );
}

function CaseBody(props: { rec: CaseRecord }) {
  const { t } = useTranslation('staff');
  const { lang } = useLocale();
  const fmt = useFormats();
  const orgName = useOrgName();
  const s = useStaffSession();
  const { rec } = props;
  const roles = s?.viewer?.roles ?? [];
  const panels = CASE_PANELS.filter((p) => p.roles.some((r) => roles.includes(r)));
  const stateName = (st: string) => cap(STATE_LABELS[st]?.[lang] ?? st, lang);
  return (
    <Stack gap="lg">
      <dl className="staff-facts" data-testid="case-summary">
        <dt>{t('case.reference')}</dt>
        <dd className="mono" data-testid="case-reference">
          {caseReference(rec.id)}
        </dd>
        <dt>{t('case.number')}</dt>
        <dd className="mono case-number">{rec.id}</dd>
        <dt>{t('case.state')}</dt>
        <dd>
          <StateBadge state={rec.state} label={stateName(rec.state)} />
        </dd>
        <dt>{t('case.program')}</dt>
        <dd>
          <span className="mono">{rec.program}</span> · {orgName(rec.owner)}
        </dd>
        <dt>{t('case.hospital')}</dt>
        <dd>{orgName(rec.hospital)}</dd>
        <dt>{t('case.submitted')}</dt>
        <dd>
          <When ms={rec.submitted} withTime />
        </dd>
      </dl>
      {panels.map((p) => (
        <div key={p.id}>{p.render(rec)}</div>
      ))}
      <Section id="history-title" title={t('case.history')}>
        <ol className="staff-history" data-testid="case-history">
          {rec.history.map((step) => (
            <li key={step.tx}>
              <Text fw={600}>{stateName(step.state)}</Text>
              <Text size="sm">
                <When ms={step.time} withTime /> ·{' '}
                <span className="mono">
                  {step.by === 'applicant' ? t('case.applicant') : step.by}
                </span>
              </Text>
              <Anchor
                component={Link}
                to={`/explorer/tx/${step.tx}`}
                size="sm"
                aria-label={`${t('case.transaction')}: ${stateName(step.state)}`}
              >
                {t('case.transaction')}
              </Anchor>
            </li>
          ))}
        </ol>
      </Section>
      {rec.reviews.length > 0 && (
        <Section id="reviews-title" title={t('case.reviews')}>
          <ScrollTable minWidth={520} label={t('case.reviews')}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('case.reviewer')}</Table.Th>
                  <Table.Th scope="col">{t('case.verdict')}</Table.Th>
                  <Table.Th scope="col">{t('case.reason')}</Table.Th>
                  <Table.Th scope="col">{t('case.when')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rec.reviews.map((r) => (
                  <Table.Tr key={r.tx}>
                    <Table.Td className="mono">{r.member}</Table.Td>
                    <Table.Td>{r.approve ? t('case.approved') : t('case.rejected')}</Table.Td>
                    <Table.Td className="mono">{r.reason}</Table.Td>
                    <Table.Td>
                      <When ms={r.time} withTime />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </Section>
      )}
      {rec.payments.length > 0 && (
        <Section id="payments-title" title={t('case.payments')}>
          <ul>
            {rec.payments.map((p) => (
              <li key={p.tx}>
                <When ms={p.time} withTime />
                {p.reference !== undefined && <> · {p.reference}</>} ·{' '}
                {p.confirmed !== undefined
                  ? t('case.confirmed', { when: fmt.dateTime(p.confirmed) })
                  : t('case.unconfirmed')}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {rec.decision !== undefined && <Explanation id={rec.id} />}
    </Stack>
  );
}

/** The program's rules applied to the case, in the reader's language. */
function Explanation(props: { id: string }) {
  const { t } = useTranslation('staff');
  const { lang } = useLocale();
  const fmt = useFormats();
  const e = useStaffQuery(['explain', props.id, lang], (tok) =>
    explainCase(client, tok, props.id, lang),
  );
  return (
    <Section id="explain-title" title={t('case.rules')}>
      {e.isPending ? (
        <Loading />
      ) : e.isError ? (
        <ErrorNotice error={e.error} />
      ) : (
        <ExplanationBody e={e.data} money={(v) => fmt.money(v, e.data.amount.currency)} />
      )}
    </Section>
  );
}

/** A fact's value in words: money in the program's currency, lists as lists. */
function factText(name: string, v: unknown, money: (v: string) => string): string {
  if (Array.isArray(v)) return v.join(', ');
  if (FACTS[name as FactName]?.type === 'money' && /^[0-9]+$/.test(String(v)))
    return money(String(v));
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function ExplanationBody(props: { e: CaseExplanation; money(v: string): string }) {
  const { t } = useTranslation('staff');
  const { e } = props;
  return (
    <Stack gap="sm" data-testid="case-rules">
      <Text>
        {t('case.ruleVersion', { name: e.programName, version: e.version })} ·{' '}
        {e.eligible ? t('case.eligible') : t('case.notEligible')}
      </Text>
      <ul className="staff-conditions">
        {e.conditions.map((c) => (
          <li key={c.name} data-passed={c.passed ? '' : undefined}>
            <Text fw={600}>
              {c.passed ? t('case.conditionMet') : t('case.conditionNotMet')}: {c.label}
            </Text>
            {c.facts.map((f) => (
              <Text size="sm" key={f.name}>
                {f.label}
                {f.value !== undefined && <>: {factText(f.name, f.value, props.money)}</>} ·{' '}
                {f.sourceLabel}
                {f.by !== undefined && (
                  <>
                    {' '}
                    (<span className="mono">{f.by}</span>)
                  </>
                )}
              </Text>
            ))}
          </li>
        ))}
      </ul>
      <Text>{t('case.granted', { amount: props.money(e.amount.granted) })}</Text>
    </Stack>
  );
}
