/**
 * A program's rules in readable words, in the reader's language: who can get help and on whose
 * word each fact rests, how much is paid (the formula with the program's own numbers), the
 * documents asked for, how applications are decided, the versions of the rules, and the rules as
 * code for auditors. Beside them the program's money and its applications by state.
 */
import './words';
import { useMemo } from 'react';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  CASE_STATES,
  FACT_LABELS,
  ORG_TYPES,
  STATE_LABELS,
  type ProgramCondition,
  type ProgramDefinition,
  type ProgramDetail,
} from '@sdk';
import { Page } from '../components/Page';
import { Section } from '../components/Section';
import { When } from '../components/When';
import { LOCALE_TAGS } from '../i18n/locale';
import { useFormats, useLocale } from '../lib/locale-context';
import { useProgram, usePublicPrograms } from './api';
import { Loaded } from './Loaded';
import { useOrgName } from './names';
import { ProgramStatus } from './ProgramCard';
import { FigureList, UsageBar } from './ProgramFigures';
import { ScrollTable } from './ScrollTable';
import { TxLink } from './TxLink';
import './portal.css';

/** Facts the treating hospital's verification always supplies. */
const HOSPITAL_FACTS: readonly string[] = [
  'diagnoses',
  'invoiceTotal',
  'insurancePaid',
  'ownExpense',
];

function Condition(props: { condition: ProgramCondition; facts: string[] }) {
  const { t } = useTranslation('portal');
  const { locale } = useLocale();
  const fmt = useFormats();
  const c = props.condition;
  const orList = useMemo(
    () => new Intl.ListFormat(LOCALE_TAGS[locale], { type: 'disjunction' }),
    [locale],
  );
  const typeWord = (type: string) => {
    const k = ORG_TYPES.find((x) => x === type);
    return k ? t(`orgTypeBy.${k}`) : type;
  };
  return (
    <List.Item>
      <Text fw={600} className="cap">
        {fmt.name(c.labels, c.name)}
      </Text>
      {props.facts.length > 0 && (
        <>
          <Text size="sm" c="dimmed" mt={4}>
            {t('program.basedOn')}
          </Text>
          <List size="sm" withPadding>
            {props.facts.map((f) => {
              const fact = fmt.name(FACT_LABELS[f], f);
              const attested = c.attested?.find((a) => a.fact === f);
              return (
                <List.Item key={f}>
                  <span className="cap-block">
                    {HOSPITAL_FACTS.includes(f)
                      ? t('program.factHospital', { fact })
                      : attested
                        ? t('program.factAttested', {
                            fact,
                            by: orList.format(attested.by.map(typeWord)),
                          })
                        : t('program.factDeclared', { fact })}
                  </span>
                </List.Item>
              );
            })}
          </List>
        </>
      )}
    </List.Item>
  );
}

/** The benefit formula applied: what the program pays on `expense`, as the contract computes it. */
function benefitFor(d: ProgramDefinition, expense: bigint): bigint {
  const b = d.benefit;
  const after = expense > BigInt(b.deductible) ? expense - BigInt(b.deductible) : 0n;
  const rated = (after * BigInt(b.rateBp)) / 10_000n;
  const caps = [BigInt(b.perCaseCap), BigInt(b.perPatientYearCap)];
  return caps.reduce((a, c) => (c < a ? c : a), rated);
}

function HowMuch(props: { d: ProgramDefinition }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const d = props.d;
  const b = d.benefit;
  const money = (v: string | bigint) => fmt.money(v, d.currency);
  const rate = fmt.percent(b.rateBp);
  const example = BigInt(b.deductible) + BigInt(b.perCaseCap);
  return (
    <List spacing="xs">
      <List.Item>
        {BigInt(b.deductible) > 0n
          ? t('program.rateDeductible', { rate, deductible: money(b.deductible) })
          : t('program.rate', { rate })}
      </List.Item>
      <List.Item>{t('program.caseCap', { amount: money(b.perCaseCap) })}</List.Item>
      <List.Item>{t('program.yearCap', { amount: money(b.perPatientYearCap) })}</List.Item>
      <List.Item>{t('program.once')}</List.Item>
      <List.Item>
        {t('program.example', { expense: money(example), amount: money(benefitFor(d, example)) })}
      </List.Item>
    </List>
  );
}

function Review(props: { d: ProgramDefinition }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const d = props.d;
  const money = (v: string | bigint) => fmt.money(v, d.currency);
  const auto = BigInt(d.review.autoApproveUpTo);
  const two = BigInt(d.review.twoReviewersAbove);
  return (
    <List spacing="xs">
      <List.Item>
        {auto > 0n ? t('program.reviewAuto', { amount: money(auto) }) : t('program.reviewNoAuto')}
      </List.Item>
      {two > auto && (
        <List.Item>
          {auto > 0n
            ? t('program.reviewOne', { from: money(auto), to: money(two) })
            : t('program.reviewOneAll', { to: money(two) })}
        </List.Item>
      )}
      <List.Item>{t('program.reviewTwo', { amount: money(two) })}</List.Item>
      <List.Item>{t('program.reviewHospital')}</List.Item>
    </List>
  );
}

function CaseCounts(props: { cases: Record<string, number> }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const rows = CASE_STATES.filter((s) => (props.cases[s] ?? 0) > 0);
  if (rows.length === 0) return <Text>{t('program.noCases')}</Text>;
  return (
    <Table striped aria-label={t('program.cases')} data-testid="case-counts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('program.state')}</Table.Th>
          <Table.Th scope="col" className="num">
            {t('program.count')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((s) => (
          <Table.Tr key={s}>
            <Table.Td className="cap">{fmt.name(STATE_LABELS[s], s)}</Table.Td>
            <Table.Td className="num">{fmt.number(props.cases[s] ?? 0)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Versions(props: { p: ProgramDetail }) {
  const { t } = useTranslation('portal');
  const versions = [...props.p.versions].sort((a, b) => b.version - a.version);
  return (
    <ScrollTable minWidth={480} label={t('program.versions')}>
      <Table striped aria-label={t('program.versions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('program.version')}</Table.Th>
            <Table.Th scope="col">{t('program.published')}</Table.Th>
            <Table.Th scope="col">{t('trace.tx')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>
                <Group gap="xs">
                  <span>{v.version}</span>
                  <Badge variant="light" color={v.version === props.p.version ? 'brand' : 'gray'}>
                    {v.version === props.p.version ? t('program.inForce') : t('program.earlier')}
                  </Badge>
                </Group>
              </Table.Td>
              <Table.Td>
                <When ms={v.time} withTime />
              </Table.Td>
              <Table.Td>
                <TxLink tx={v.tx} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function ForAuditors(props: { d: ProgramDefinition }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const d = props.d;
  return (
    <Accordion variant="separated">
      <Accordion.Item value="cel">
        <Accordion.Control>{t('program.auditors')}</Accordion.Control>
        <Accordion.Panel>
          <Stack gap="sm">
            <Text size="sm">
              {t('program.auditorsIntro', { money: fmt.money('100', d.currency) })}
            </Text>
            <ScrollTable minWidth={480} label={t('program.auditors')}>
              <Table aria-label={t('program.auditors')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('program.condition')}</Table.Th>
                    <Table.Th scope="col">{t('program.expression')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.conditions.map((c) => (
                    <Table.Tr key={c.name}>
                      <Table.Td className="cap">{fmt.name(c.labels, c.name)}</Table.Td>
                      <Table.Td>
                        <Code block className="cel">
                          {c.expr}
                        </Code>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            <Group gap="xs">
              <Text size="sm">
                {t('program.version')} {d.version} · {t('trace.tx')}
              </Text>
              <TxLink tx={d.tx} />
            </Group>
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

function ProgramBody(props: { p: ProgramDetail }) {
  const { t } = useTranslation('portal');
  const fmt = useFormats();
  const orgName = useOrgName();
  const money = usePublicPrograms();
  const p = props.p;
  const d = p.definition;
  const canApply = p.open && !p.frozen;
  const summary = money.data?.find((m) => m.id === p.id);
  return (
    <Page
      title={fmt.name(p.names, p.name)}
      actions={
        canApply ? (
          <Button component={Link} to={`/me/apply/${p.id}`} size="md" data-testid="apply">
            {t('program.apply')}
          </Button>
        ) : undefined
      }
    >
      <Stack gap="xs">
        <ProgramStatus program={p} />
        <Text>{t('card.runBy', { org: orgName(p.owner) ?? p.owner })}</Text>
        {!p.open && <Text>{t('program.notOpen')}</Text>}
        {p.frozen && (
          <Alert color="red" variant="light">
            {t('program.frozenNote')}
          </Alert>
        )}
      </Stack>

      <Section id="who" title={t('program.who')}>
        <Text>{t('program.whoIntro')}</Text>
        <List type="ordered" spacing="md" data-testid="conditions">
          {d.conditions.map((c) => (
            <Condition key={c.name} condition={c} facts={p.conditionFacts[c.name] ?? []} />
          ))}
        </List>
      </Section>

      <Section id="how-much" title={t('program.howMuch')}>
        <HowMuch d={d} />
      </Section>

      <Section id="documents" title={t('program.documents')}>
        {d.documents.length === 0 ? (
          <Text>{t('program.noDocuments')}</Text>
        ) : (
          <List>
            {d.documents.map((doc) => (
              <List.Item key={doc.name}>
                <span className="cap-block">{fmt.name(doc.labels, doc.name)}</span>
              </List.Item>
            ))}
          </List>
        )}
      </Section>

      <Section id="review" title={t('program.review')}>
        <Review d={d} />
      </Section>

      <Section id="money" title={t('program.money')}>
        {summary && (
          <Card withBorder padding="lg" data-testid={`program-${p.id}`}>
            <Stack gap="sm">
              <FigureList figures={summary} />
              <UsageBar figures={summary} />
            </Stack>
          </Card>
        )}
        <Title order={3} size="h4">
          {t('program.cases')}
        </Title>
        <CaseCounts cases={p.cases} />
      </Section>

      <Section id="versions" title={t('program.versions')}>
        <Text>{t('program.versionsIntro')}</Text>
        <Versions p={p} />
      </Section>

      <ForAuditors d={d} />
    </Page>
  );
}

export function ProgramPage() {
  const { t } = useTranslation('portal');
  const { id = '' } = useParams();
  const program = useProgram(id);
  if (program.data) return <ProgramBody p={program.data} />;
  return (
    <Page title={t('home.programs')}>
      <Loaded query={program}>{() => null}</Loaded>
    </Page>
  );
}
