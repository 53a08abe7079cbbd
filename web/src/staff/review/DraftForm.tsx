/**
 * The form of a program draft: every field of `programs.publish`, conditions checked as they are
 * typed (draft.ts `checkCel`), a preview on the program's past cases and the publication.
 */
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FACT_LABELS, type Names } from '@sdk';
import { useLocale } from '../../lib/locale-context';
import { Section } from '../../components/Section';
import { useSignedAction } from '../api';
import { Refusal } from '../parts';
import {
  checkCel,
  CURRENCIES,
  emptyCondition,
  emptyDocument,
  PROGRAM_TIME_ZONES,
  toSpec,
  type CelProblem,
  type Draft,
  type DraftErrors,
} from './draft';
import { DraftPreview } from './DraftPreview';
import { useActionRefusal } from './words';

const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;

export function DraftForm(props: { initial: Draft; baseVersion: number }) {
  const { t } = useTranslation('review');
  const refusal = useActionRefusal();
  const publish = useSignedAction();
  const [d, setD] = useState<Draft>(props.initial);
  const [shown, setShown] = useState(false);
  const { spec, errors } = useMemo(() => toSpec(d), [d]);
  const err = (field: string): string | undefined =>
    shown && errors[field] ? t(`errors.${errors[field] as 'required'}`) : undefined;
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  /** Changes one entry of a list of the draft (a condition, a required document), found by key. */
  const editEntry = <L extends EntryList>(list: L, key: number, patch: Partial<Draft[L][number]>) =>
    setD((x) => ({
      ...x,
      [list]: (x[list] as Draft[L][number][]).map((y) => (y.key === key ? { ...y, ...patch } : y)),
    }));
  const removeEntry = (list: EntryList, key: number) =>
    setD((x) => ({ ...x, [list]: (x[list] as { key: number }[]).filter((y) => y.key !== key) }));
  const published = publish.state.kind === 'done';

  async function doPublish() {
    setShown(true);
    if (!spec) return;
    await publish.run({ type: 'programs.publish', payload: spec });
  }

  return (
    <Stack gap="lg" data-testid="draft-form">
      <Section
        small
        id="draft-title"
        title={
          d.isNew ? t('draft.titleNew') : t('draft.titleNext', { version: props.baseVersion + 1 })
        }
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('draft.id')}
            description={t('draft.idHelp')}
            value={d.id}
            onChange={(e) => set({ id: e.currentTarget.value.trim() })}
            readOnly={!d.isNew}
            required
            error={err('id')}
            className="mono-input"
            data-testid="draft-id"
          />
          <NativeSelect
            label={t('draft.currency')}
            value={d.currency}
            onChange={(e) => set({ currency: e.currentTarget.value })}
            disabled={!d.isNew}
            description={d.isNew ? undefined : t('draft.currencyKept')}
            data={CURRENCIES}
            data-testid="draft-currency"
          />
        </SimpleGrid>
        <NamesFields
          legend={t('draft.names')}
          value={d.names}
          onChange={(names) => set({ names })}
          error={(l) => err(`names.${l}`)}
          testId="draft-name"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('draft.timeZone')}
            description={t('draft.timeZoneHelp')}
            value={d.timeZone}
            onChange={(e) => set({ timeZone: e.currentTarget.value })}
            data={[...PROGRAM_TIME_ZONES]}
            data-testid="draft-timezone"
          />
          <AmountField
            label={t('draft.budget')}
            currency={d.currency}
            value={d.budget}
            onChange={(budget) => set({ budget })}
            error={err('budget')}
            testId="draft-budget"
          />
        </SimpleGrid>
        <Checkbox
          label={t('draft.open')}
          checked={d.open}
          onChange={(e) => set({ open: e.currentTarget.checked })}
          data-testid="draft-open"
        />
      </Section>

      <Section small id="conditions-title" title={t('draft.conditions')}>
        <Text size="sm">{t('draft.conditionsHelp')}</Text>
        {d.conditions.map((c, i) => (
          <DraftEntry
            key={c.key}
            testId="draft-condition"
            legend={t('draft.condition', { n: i + 1 })}
            nameLabel={t('draft.conditionName')}
            nameTestId="condition-name"
            labelsLegend={t('draft.conditionLabels')}
            labelTestId="condition-label"
            removeLabel={t('draft.removeConditionN', { n: i + 1 })}
            removeDisabled={d.conditions.length === 1}
            entry={c}
            error={(f) => err(`conditions.${i}.${f}`)}
            onChange={(patch) => editEntry('conditions', c.key, patch)}
            onRemove={() => removeEntry('conditions', c.key)}
          >
            <CelField
              value={c.expr}
              onChange={(expr) => editEntry('conditions', c.key, { expr })}
              n={i + 1}
            />
            {c.attested && c.attested.length > 0 && (
              <Text size="sm">
                {t('draft.attested')}{' '}
                {c.attested.map((a) => (
                  <span key={a.fact}>
                    <FactName name={a.fact} /> (
                    {a.by.map((b) => t(`orgTypes.${b as 'hospital'}`)).join(', ')}){' '}
                  </span>
                ))}
              </Text>
            )}
          </DraftEntry>
        ))}
        <div>
          <Button
            variant="light"
            onClick={() => setD((x) => ({ ...x, conditions: [...x.conditions, emptyCondition()] }))}
            data-testid="add-condition"
          >
            {t('draft.addCondition')}
          </Button>
        </div>
      </Section>

      <Section small id="benefit-title" title={t('draft.benefit')}>
        <Text size="sm">{t('draft.benefitHelp')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <AmountField
            label={t('draft.deductible')}
            currency={d.currency}
            value={d.deductible}
            onChange={(deductible) => set({ deductible })}
            error={err('deductible')}
            testId="draft-deductible"
          />
          <TextInput
            label={t('draft.rate')}
            description={t('draft.rateHelp')}
            value={d.ratePercent}
            onChange={(e) => set({ ratePercent: e.currentTarget.value })}
            inputMode="decimal"
            rightSection="%"
            required
            error={err('rate')}
            data-testid="draft-rate"
          />
          <AmountField
            label={t('draft.perCaseCap')}
            currency={d.currency}
            value={d.perCaseCap}
            onChange={(perCaseCap) => set({ perCaseCap })}
            error={err('perCaseCap')}
            testId="draft-per-case"
          />
          <AmountField
            label={t('draft.perPatientYearCap')}
            currency={d.currency}
            value={d.perPatientYearCap}
            onChange={(perPatientYearCap) => set({ perPatientYearCap })}
            error={err('perPatientYearCap')}
            testId="draft-per-year"
          />
        </SimpleGrid>
      </Section>

      <Section small id="documents-required-title" title={t('draft.documents')}>
        <Text size="sm">{t('draft.documentsHelp')}</Text>
        {d.documents.map((doc, i) => (
          <DraftEntry
            key={doc.key}
            testId="draft-document"
            legend={t('draft.document', { n: i + 1 })}
            nameLabel={t('draft.documentName')}
            labelsLegend={t('draft.documentLabels')}
            labelTestId="document-label"
            removeLabel={t('draft.removeDocumentN', { n: i + 1 })}
            entry={doc}
            error={(f) => err(`documents.${i}.${f}`)}
            onChange={(patch) => editEntry('documents', doc.key, patch)}
            onRemove={() => removeEntry('documents', doc.key)}
          />
        ))}
        <div>
          <Button
            variant="light"
            onClick={() => setD((x) => ({ ...x, documents: [...x.documents, emptyDocument()] }))}
          >
            {t('draft.addDocument')}
          </Button>
        </div>
      </Section>

      <Section small id="policy-title" title={t('draft.policy')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <AmountField
            label={t('draft.autoApprove')}
            description={t('draft.autoApproveHelp')}
            currency={d.currency}
            value={d.autoApproveUpTo}
            onChange={(autoApproveUpTo) => set({ autoApproveUpTo })}
            error={err('autoApproveUpTo')}
            testId="draft-auto"
          />
          <AmountField
            label={t('draft.twoReviewers')}
            description={t('draft.twoReviewersHelp')}
            currency={d.currency}
            value={d.twoReviewersAbove}
            onChange={(twoReviewersAbove) => set({ twoReviewersAbove })}
            error={err('twoReviewersAbove')}
            testId="draft-two"
          />
        </SimpleGrid>
      </Section>

      {shown && !spec && (
        <Alert color="red" role="alert" title={t('draft.faultsTitle')} data-testid="draft-faults">
          {t('draft.faults', { count: Object.keys(errors).length })}
        </Alert>
      )}
      {!d.isNew && (
        <DraftPreview
          id={d.id}
          spec={spec}
          currency={d.currency}
          onInvalid={() => setShown(true)}
        />
      )}
      <Section small id="publish-title" title={t('publish.title')}>
        <Text size="sm">{d.isNew ? t('publish.introNew') : t('publish.intro')}</Text>
        <Group>
          <Button
            onClick={() => void doPublish()}
            loading={publish.state.kind === 'busy'}
            disabled={published}
            data-testid="draft-publish"
          >
            {d.isNew
              ? t('publish.submitNew')
              : t('publish.submit', { version: props.baseVersion + 1 })}
          </Button>
        </Group>
        {publish.state.kind === 'failed' && (
          <Refusal testId="publish-refused">{refusal(publish.state.code)}</Refusal>
        )}
        {published && (
          <Alert color="green" role="status" data-testid="draft-published">
            {t('publish.done', { version: props.baseVersion + 1 })}
          </Alert>
        )}
      </Section>
    </Stack>
  );
}

export function FactName(props: { name: string }) {
  const { lang } = useLocale();
  return <>{FACT_LABELS[props.name]?.[lang] ?? props.name}</>;
}

type EntryList = 'conditions' | 'documents';

/**
 * One entry of a draft's list (a condition, a required document) in its own group: its short
 * name, its label in the three languages, what else it holds (`children`), and a button to remove it.
 */
function DraftEntry(props: {
  testId: string;
  legend: string;
  nameLabel: string;
  nameTestId?: string;
  labelsLegend: string;
  labelTestId: string;
  removeLabel: string;
  removeDisabled?: boolean;
  entry: { name: string; labels: Names };
  /** The fault of a field of the entry (`name`, `labels.en`, …), in words. */
  error(field: string): string | undefined;
  onChange(patch: { name?: string; labels?: Names }): void;
  onRemove(): void;
  children?: ReactNode;
}) {
  const { t } = useTranslation('review');
  return (
    <fieldset className="draft-group" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <Stack gap="sm">
        <TextInput
          label={props.nameLabel}
          description={t('draft.slugHelp')}
          value={props.entry.name}
          onChange={(e) => props.onChange({ name: e.currentTarget.value.trim() })}
          required
          error={props.error('name')}
          data-testid={props.nameTestId}
        />
        <NamesFields
          legend={props.labelsLegend}
          value={props.entry.labels}
          onChange={(labels) => props.onChange({ labels })}
          error={(l) => props.error(`labels.${l}`)}
          testId={props.labelTestId}
        />
        {props.children}
        <div>
          <Button
            variant="subtle"
            size="xs"
            disabled={props.removeDisabled ?? false}
            onClick={props.onRemove}
            aria-label={props.removeLabel}
          >
            {t('draft.remove')}
          </Button>
        </div>
      </Stack>
    </fieldset>
  );
}

/** A name in each of the three languages. */
function NamesFields(props: {
  legend: string;
  value: Names;
  onChange(v: Names): void;
  error(lang: string): string | undefined;
  testId: string;
}) {
  const { t } = useTranslation('review');
  return (
    <fieldset className="draft-names">
      <legend>{props.legend}</legend>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {LANGS.map((l) => (
          <TextInput
            key={l}
            label={t(`draft.lang.${l}`)}
            value={props.value[l]}
            onChange={(e) => props.onChange({ ...props.value, [l]: e.currentTarget.value })}
            required
            error={props.error(l)}
            maxLength={200}
            data-testid={`${props.testId}-${l}`}
          />
        ))}
      </SimpleGrid>
    </fieldset>
  );
}

function AmountField(props: {
  label: string;
  description?: ReactNode;
  currency: string;
  value: string;
  onChange(v: string): void;
  error: string | undefined;
  testId: string;
}) {
  return (
    <TextInput
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      inputMode="decimal"
      rightSection={<span className="mono">{props.currency}</span>}
      rightSectionWidth={52}
      required
      error={props.error}
      data-testid={props.testId}
    />
  );
}

/** A condition's CEL expression, compiled as it is typed; an error says where. */
function CelField(props: { value: string; onChange(v: string): void; n: number }) {
  const { t } = useTranslation('review');
  const check = useMemo(() => checkCel(props.value), [props.value]);
  const p = check.problem;
  const message = p && p.kind !== 'empty' ? problemText(t, p) : undefined;
  const line = p?.kind === 'syntax' ? (props.value.split('\n')[p.line - 1] ?? '') : undefined;
  return (
    <Stack gap={4}>
      <Textarea
        label={t('cel.label')}
        description={
          <>
            {t('cel.help')}{' '}
            <code>householdIncomePerCapita &lt;= 2400000 &amp;&amp; ownExpense &gt;= 300000</code>
          </>
        }
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        autosize
        minRows={1}
        maxLength={2000}
        required
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        error={message}
        classNames={{ input: 'mono' }}
        data-testid="condition-expr"
      />
      {p?.kind === 'syntax' && line !== undefined && (
        <pre className="cel-caret" aria-hidden="true" data-testid="cel-caret">
          {line}
          {'\n'}
          {' '.repeat(Math.max(0, p.column - 1))}^
        </pre>
      )}
      <Text size="sm" aria-live="polite" data-testid="cel-status">
        {p === undefined ? (
          <>
            {t('cel.ok')}{' '}
            {check.reads.map((r, i) => (
              <span key={r}>
                {i > 0 && ', '}
                <FactName name={r} />
              </span>
            ))}
          </>
        ) : p.kind === 'empty' ? (
          t('cel.empty')
        ) : (
          t('cel.fix', { n: props.n })
        )}
      </Text>
    </Stack>
  );
}

function problemText(
  t: ReturnType<typeof useTranslation<'review'>>['t'],
  p: Exclude<CelProblem, { kind: 'empty' }>,
): string {
  switch (p.kind) {
    case 'syntax':
      return t('cel.syntax', { line: p.line, column: p.column });
    case 'unknown':
      return t('cel.unknown', { facts: p.facts.join(', ') });
    case 'call':
      return t('cel.call', { name: p.name });
    default:
      return t(`cel.${p.kind}`);
  }
}

export type { DraftErrors };
