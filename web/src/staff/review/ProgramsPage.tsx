/**
 * The program manager's workspace (`/staff/programs`): the organisation's programs, and a form to
 * draft a new program or the next version of one — names, currency, budget, conditions as CEL
 * checked as they are typed, the benefit formula, the documents required, the review policy —
 * then a preview of what the draft would have decided on the program's past cases
 * (`POST /v1/programs/{id}/preview`, page by page) and its publication (`programs.publish`).
 */
import { useEffect, useState } from 'react';
import { Button, Group, NativeSelect, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { loadRules, program, programs } from '@sdk';
import { client } from '../../lib/api';
import { useFormats, useLocale } from '../../lib/locale-context';
import { Page } from '../../components/Page';
import { Section } from '../../components/Section';
import { ErrorNotice, Loading } from '../../components/Status';
import { ScrollTable } from '../../portal/ScrollTable';
import { useStaffQuery } from '../api';
import { useStaffSession } from '../session';
import { draftFrom, newDraft, type Draft } from './draft';
import { DraftForm } from './DraftForm';

export function ProgramsPage() {
  const { t } = useTranslation('review');
  const { lang } = useLocale();
  const fmt = useFormats();
  const s = useStaffSession();
  const org = s?.viewer?.org ?? '';
  const list = useStaffQuery(['programs', lang], () => programs(client, lang));
  const mine = (list.data ?? []).filter((p) => p.owner === org);
  const [choice, setChoice] = useState('');
  const [draft, setDraft] = useState<Draft | undefined>();
  const [rulesReady, setRulesReady] = useState(false);
  useEffect(() => {
    let live = true;
    void loadRules().then(() => live && setRulesReady(true));
    return () => {
      live = false;
    };
  }, []);
  const base = useQuery({
    queryKey: ['program', choice, lang],
    queryFn: () => program(client, choice, lang),
    enabled: choice !== '' && choice !== 'new',
  });

  function start() {
    if (choice === 'new') setDraft(newDraft());
    else if (base.data) setDraft(draftFrom(base.data.definition));
  }

  return (
    <Page title={t('programs.title')}>
      <Text>{t('programs.intro')}</Text>
      <Section small id="mine-title" title={t('programs.mine')}>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorNotice error={list.error} retry={() => void list.refetch()} />
        ) : mine.length === 0 ? (
          <Text>{t('programs.none')}</Text>
        ) : (
          <ScrollTable minWidth={560} label={t('programs.mine')}>
            <Table data-testid="my-programs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('programs.name')}</Table.Th>
                  <Table.Th scope="col">{t('programs.version')}</Table.Th>
                  <Table.Th scope="col">{t('programs.budget')}</Table.Th>
                  <Table.Th scope="col">{t('programs.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mine.map((p) => (
                  <Table.Tr key={p.id} data-testid={`program-${p.id}`}>
                    <Table.Td>{p.name}</Table.Td>
                    <Table.Td data-testid="program-version">{p.version}</Table.Td>
                    <Table.Td>{fmt.money(p.budget, p.currency)}</Table.Td>
                    <Table.Td>
                      {p.frozen
                        ? t('programs.frozen')
                        : p.open
                          ? t('programs.open')
                          : t('programs.closed')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Section>
      <Section small id="draft-start-title" title={t('programs.startTitle')}>
        <Group align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('programs.what')}
            value={choice}
            onChange={(e) => {
              setChoice(e.currentTarget.value);
              setDraft(undefined);
            }}
            data={[
              { value: '', label: t('programs.choose') },
              ...mine.map((p) => ({
                value: p.id,
                label: t('programs.nextVersion', { name: p.name, version: p.version + 1 }),
              })),
              { value: 'new', label: t('programs.newProgram') },
            ]}
            data-testid="draft-choice"
          />
          <Button
            onClick={start}
            disabled={choice === '' || (choice !== 'new' && !base.data) || !rulesReady}
            loading={choice !== '' && choice !== 'new' && base.isPending}
            data-testid="draft-start"
          >
            {t('programs.start')}
          </Button>
        </Group>
      </Section>
      {draft && (
        <DraftForm
          key={`${draft.id}-${draft.isNew ? 'new' : 'next'}`}
          initial={draft}
          baseVersion={draft.isNew ? 0 : (base.data?.version ?? 0)}
        />
      )}
    </Page>
  );
}
