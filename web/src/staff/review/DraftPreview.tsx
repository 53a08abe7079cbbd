/**
 * What the draft would have decided on the program's past cases: the owner's node evaluates it a
 * page of cases at a time (`POST /v1/programs/{id}/preview`, 200 a page) with the contract's own
 * evaluator; this sums the pages and lists each case decided otherwise by its reference.
 */
import { useState } from 'react';
import { Anchor, Button, Progress, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { previewProgram, STATE_LABELS, type PreviewChange } from '@sdk';
import { client } from '../../lib/api';
import { useFormats, useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { ScrollTable } from '../../portal/ScrollTable';
import { Refusal } from '../parts';
import { withToken } from '../session';
import { useActionRefusal } from './words';

/** Changed cases listed at most; the counts cover them all. */
const SHOWN = 200;

interface Totals {
  evaluated: number;
  unavailable: number;
  eligibleBefore: number;
  eligibleAfter: number;
  grantedBefore: bigint;
  grantedAfter: bigint;
  changes: PreviewChange[];
}

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; totals: Totals }
  | { kind: 'done'; totals: Totals }
  | { kind: 'failed'; error: unknown };

export function DraftPreview(props: {
  id: string;
  spec: Record<string, unknown> | undefined;
  currency: string;
  onInvalid(): void;
}) {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const fmt = useFormats();
  const refusal = useActionRefusal();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const money = (v: bigint | string) => fmt.money(v, props.currency);

  async function run() {
    if (!props.spec) {
      props.onInvalid();
      return;
    }
    const spec = props.spec;
    const totals: Totals = {
      evaluated: 0,
      unavailable: 0,
      eligibleBefore: 0,
      eligibleAfter: 0,
      grantedBefore: 0n,
      grantedAfter: 0n,
      changes: [],
    };
    setState({ kind: 'busy', totals: { ...totals } });
    let cursor: string | undefined;
    try {
      do {
        const page = await withToken((tok) =>
          previewProgram(client, tok, props.id, spec, {
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
        totals.evaluated += page.evaluated;
        totals.unavailable += page.unavailable;
        totals.eligibleBefore += page.eligibleBefore;
        totals.eligibleAfter += page.eligibleAfter;
        totals.grantedBefore += BigInt(page.grantedBefore);
        totals.grantedAfter += BigInt(page.grantedAfter);
        totals.changes.push(...page.changes);
        cursor = page.nextCursor;
        setState({ kind: 'busy', totals: { ...totals, changes: [...totals.changes] } });
      } while (cursor !== undefined);
      setState({ kind: 'done', totals });
    } catch (e) {
      setState({ kind: 'failed', error: e });
    }
  }

  const totals = state.kind === 'busy' || state.kind === 'done' ? state.totals : undefined;
  const stateName = (s: string) => STATE_LABELS[s]?.[lang] ?? s;
  const decision = (d: { eligible: boolean; amount: string }) =>
    d.eligible ? money(d.amount) : t('preview.notEligible');
  return (
    <Section small id="preview-title" title={t('preview.title')}>
      <Text size="sm">{t('preview.intro')}</Text>
      <div>
        <Button
          variant="outline"
          onClick={() => void run()}
          loading={state.kind === 'busy'}
          data-testid="draft-preview"
        >
          {t('preview.run')}
        </Button>
      </div>
      {state.kind === 'busy' && (
        <Stack gap={4} role="status">
          <Progress value={100} animated aria-hidden="true" />
          <Text size="sm">{t('preview.progress', { count: state.totals.evaluated })}</Text>
        </Stack>
      )}
      {state.kind === 'failed' && (
        <Refusal testId="preview-refused">{refusal(state.error)}</Refusal>
      )}
      {state.kind === 'done' && totals && (
        <Stack gap="sm" data-testid="preview-result">
          <Text role="status">
            {t('preview.summary', {
              count: totals.evaluated,
              changed: totals.changes.length,
            })}
            {totals.unavailable > 0 && (
              <> {t('preview.unavailable', { count: totals.unavailable })}</>
            )}
          </Text>
          <ScrollTable minWidth={420} label={t('preview.countsLabel')}>
            <Table data-testid="preview-counts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('preview.measure')}</Table.Th>
                  <Table.Th scope="col">{t('preview.before')}</Table.Th>
                  <Table.Th scope="col">{t('preview.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t('preview.eligible')}</Table.Th>
                  <Table.Td data-testid="eligible-before">{totals.eligibleBefore}</Table.Td>
                  <Table.Td data-testid="eligible-after">{totals.eligibleAfter}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('preview.granted')}</Table.Th>
                  <Table.Td>{money(totals.grantedBefore)}</Table.Td>
                  <Table.Td>{money(totals.grantedAfter)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {totals.changes.length > 0 && (
            <ScrollTable minWidth={640} label={t('preview.changesLabel')}>
              <Table data-testid="preview-changes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('preview.case')}</Table.Th>
                    <Table.Th scope="col">{t('preview.state')}</Table.Th>
                    <Table.Th scope="col">{t('preview.decidedThen')}</Table.Th>
                    <Table.Th scope="col">{t('preview.draftDecides')}</Table.Th>
                    <Table.Th scope="col">{t('preview.failed')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {totals.changes.slice(0, SHOWN).map((c) => (
                    <Table.Tr key={c.id} data-testid="preview-change">
                      <Table.Td>
                        <Anchor component={Link} to={`/staff/cases/${c.id}`} className="mono">
                          {c.reference}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{stateName(c.state)}</Table.Td>
                      <Table.Td>
                        {decision(c.before)}{' '}
                        <Text span size="xs">
                          {t('preview.version', { version: c.before.version })}
                        </Text>
                      </Table.Td>
                      <Table.Td>{decision(c.after)}</Table.Td>
                      <Table.Td className="mono">{c.after.failed.join(', ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          {totals.changes.length > SHOWN && (
            <Text size="sm">{t('preview.more', { count: totals.changes.length - SHOWN })}</Text>
          )}
        </Stack>
      )}
    </Section>
  );
}
