/**
 * The top of a case page in a family's terms: the case reference to read aloud, what happens next
 * and about when (from how long that step has taken other cases on the ledger), and, once the
 * program has decided, the money: the bills after insurance, what the program grants, and what is
 * left for the family to pay (bills − insurance − granted), computed in bigint minor units.
 */
import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseReference, type CaseRecord } from '@sdk';
import { client } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { duration, publicCasesPath, usualTimeIn, type PublicPath } from './waits';

/** States after which nothing more happens to a case. */
const FINAL = new Set(['closed', 'withdrawn', 'cancelled', 'rejected']);

/** The money of a decided case, or undefined before the decision. */
export function caseMoney(
  rec: CaseRecord,
): { bills: bigint; granted: bigint; left: bigint; final: boolean } | undefined {
  const steps = rec.approvedWith ?? rec.decision?.benefit;
  if (!steps || !rec.decision?.eligible) return undefined;
  // The bills after basic insurance, as the hospital stated them.
  const bills = BigInt(steps.expense);
  // Approved: the amount the reviewers approved; before that, what the rules would give.
  const granted = BigInt(rec.amount ?? steps.amount);
  const left = bills > granted ? bills - granted : 0n;
  return { bills, granted, left, final: rec.amount !== undefined };
}

export function CaseReference(props: { id: string }) {
  const { t } = useTranslation('family');
  return (
    <Stack gap={0}>
      <Text size="sm">{t('reference.label')}</Text>
      <Text className="case-reference" data-testid="case-reference">
        {caseReference(props.id)}
      </Text>
    </Stack>
  );
}

/** About when the next step comes, from the ledger's figures for this program. */
export function NextWhen(props: { rec: CaseRecord }) {
  const { t } = useTranslation('family');
  const fmt = useFormats();
  const rec = props.rec;
  const q = useQuery({
    queryKey: ['applicant', 'public-cases', rec.program],
    queryFn: () => client.get<{ cases: PublicPath[] }>(publicCasesPath(rec.program)),
    staleTime: 300_000,
    enabled: !FINAL.has(rec.state),
  });
  if (FINAL.has(rec.state) || !q.data) return null;
  const usual = usualTimeIn(q.data.cases, rec.state);
  if (!usual) return null;
  return (
    <Text data-testid="next-when">
      {t('next.usually', {
        time: duration(usual.ms, fmt.number, (k, o) => t(k, o)),
        cases: fmt.number(usual.cases),
      })}
    </Text>
  );
}

export function MoneySummary(props: { rec: CaseRecord; currency: string | undefined }) {
  const { t } = useTranslation('family');
  const fmt = useFormats();
  const m = caseMoney(props.rec);
  const currency = props.currency;
  if (!m || !currency) return null;
  const money = (v: bigint) => fmt.money(v.toString(), currency);
  return (
    <section aria-labelledby="owed-title" className="owed">
      <Text component="h2" fw={700} size="lg" id="owed-title">
        {m.final ? t('owed.title') : t('owed.titleProposed')}
      </Text>
      <Table withTableBorder variant="vertical" layout="fixed" data-testid="owed">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w="60%">{t('owed.bills')}</Table.Th>
            <Table.Td ta="right">{money(m.bills)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{m.final ? t('owed.granted') : t('owed.grantedProposed')}</Table.Th>
            <Table.Td ta="right">− {money(m.granted)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('owed.left')}</Table.Th>
            <Table.Td ta="right" fw={700} data-testid="owed-left">
              {money(m.left)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="sm">{t('owed.note')}</Text>
    </section>
  );
}
