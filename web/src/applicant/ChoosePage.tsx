/**
 * `/me/apply`: the programs that take applications, each saying whom it is for (its conditions in
 * words), what it pays, the documents to bring and how long a decision usually takes — the last
 * worked out from the ledger's own public cases: the median time from application to decision
 * (see waits.ts).
 */
import { Button, Card, List, Stack, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { program as fetchProgram, type ProgramDetail, type ProgramView } from '@sdk';
import { client } from '../lib/api';
import { useFormats, useLocale } from '../lib/locale-context';
import { Page } from '../components/Page';
import { Empty, ErrorNotice, Loading } from '../components/Status';
import { useApplicantPrograms } from './AccountPage';
import { cap, useOrgName } from './shared';
import { duration, publicCasesPath, usualDecisionTime, type PublicPath } from './waits';

export function ChooseProgramPage() {
  const { t } = useTranslation('applicant');
  const progs = useApplicantPrograms();
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
        <Stack component="ul" gap="md" className="plain-list">
          {open.map((p) => (
            <li key={p.id}>
              <ProgramChoice program={p} />
            </li>
          ))}
        </Stack>
      )}
    </Page>
  );
}

function ProgramChoice(props: { program: ProgramView }) {
  const { t } = useTranslation('applicant');
  const { t: tf } = useTranslation('family');
  const { lang } = useLocale();
  const fmt = useFormats();
  const orgName = useOrgName();
  const p = props.program;
  const [detail, decided] = useQueries({
    queries: [
      {
        queryKey: ['applicant', 'program', p.id, lang],
        queryFn: () => fetchProgram(client, p.id, lang),
        staleTime: 60_000,
      },
      {
        queryKey: ['applicant', 'public-cases', p.id],
        queryFn: () => client.get<{ cases: PublicPath[] }>(publicCasesPath(p.id)),
        staleTime: 300_000,
      },
    ],
  });
  const d: ProgramDetail | undefined = detail.data;
  const usual = decided.data ? usualDecisionTime(decided.data.cases) : undefined;
  const headingId = `choice-${p.id}`;
  return (
    <Card withBorder padding="md" component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Title order={2} size="h4" id={headingId}>
          {d ? fmt.name(d.names, d.name) : p.name}
        </Title>
        <Text size="sm">{t('choose.runBy', { org: orgName(p.owner) })}</Text>
        {detail.isPending ? (
          <Loading />
        ) : detail.isError ? (
          <ErrorNotice error={detail.error} retry={() => void detail.refetch()} />
        ) : (
          d && (
            <dl className="choice-facts">
              <div>
                <dt>{tf('choose.forWhom')}</dt>
                <dd>
                  <List size="sm" spacing={2}>
                    {d.definition.conditions.map((c) => (
                      <List.Item key={c.name}>{cap(fmt.name(c.labels, c.name), lang)}</List.Item>
                    ))}
                  </List>
                </dd>
              </div>
              <div>
                <dt>{tf('choose.pays')}</dt>
                <dd>
                  {BigInt(d.definition.benefit.deductible) > 0n
                    ? t('preview.benefit', {
                        rate: fmt.percent(d.definition.benefit.rateBp),
                        deductible: fmt.money(d.definition.benefit.deductible, d.currency),
                        cap: fmt.money(d.definition.benefit.perCaseCap, d.currency),
                      })
                    : t('preview.benefitNoDeductible', {
                        rate: fmt.percent(d.definition.benefit.rateBp),
                        cap: fmt.money(d.definition.benefit.perCaseCap, d.currency),
                      })}
                </dd>
              </div>
              <div>
                <dt>{tf('choose.bring')}</dt>
                <dd>
                  {d.definition.documents.length === 0 ? (
                    tf('choose.bringNothing')
                  ) : (
                    <List size="sm" spacing={2}>
                      {d.definition.documents.map((doc) => (
                        <List.Item key={doc.name}>
                          {cap(fmt.name(doc.labels, doc.name), lang)}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </dd>
              </div>
              <div>
                <dt>{tf('choose.time')}</dt>
                <dd data-testid={`decision-time-${p.id}`}>
                  {usual
                    ? tf('choose.timeIs', {
                        time: duration(usual.ms, fmt.number, (k, o) => tf(k, o)),
                        cases: fmt.number(usual.cases),
                      })
                    : decided.isPending
                      ? tf('choose.timeLoading')
                      : tf('choose.timeNone')}
                </dd>
              </div>
            </dl>
          )
        )}
        <div>
          <Button
            component={Link}
            to={`/me/apply/${p.id}`}
            variant="light"
            // The visible words first, so a voice command saying them still finds the link.
            aria-label={
              tf('choose.apply') +
              tf('choose.applyTo', { program: d ? fmt.name(d.names, d.name) : p.name })
            }
          >
            {tf('choose.apply')}
          </Button>
        </div>
      </Stack>
    </Card>
  );
}
