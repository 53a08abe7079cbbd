/**
 * A patient's identity document, as the hospital's admission record or the bureau's register
 * holds it: the kind (mainland resident ID, Hong Kong ID card, Taiwan ID card) and the number,
 * checked here with the ledger's own rule (check character and all) before anything is signed.
 */
import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ValidNationalIdSchema } from '@sdk';
import { plain } from '../../applicant/facts';

export type IdKind = 'cn' | 'hk' | 'tw';
export interface PatientInput {
  kind: IdKind;
  id: string;
}
export const EMPTY_PATIENT: PatientInput = { kind: 'cn', id: '' };

/** The patient as a private part names it, or why not. */
export function parsePatient(
  p: PatientInput,
):
  | { ok: true; patient: { kind: IdKind; id: string } }
  | { ok: false; problem: 'required' | 'invalid' } {
  const id = plain(p.id).replace(/\s/g, '').toUpperCase();
  if (id === '') return { ok: false, problem: 'required' };
  const r = ValidNationalIdSchema.safeParse({ kind: p.kind, id });
  return r.success
    ? { ok: true, patient: { kind: p.kind, id } }
    : { ok: false, problem: 'invalid' };
}

export function PatientIdFields(props: {
  value: PatientInput;
  onChange(v: PatientInput): void;
  error: 'required' | 'invalid' | undefined;
  /** Where the number comes from, said under the field. */
  description?: string;
  testId: string;
}) {
  const { t } = useTranslation('hospital');
  const kinds: IdKind[] = ['cn', 'hk', 'tw'];
  return (
    <Group align="flex-start" gap="sm" wrap="wrap">
      <NativeSelect
        label={t('patient.kind')}
        value={props.value.kind}
        onChange={(e) => props.onChange({ ...props.value, kind: e.currentTarget.value as IdKind })}
        data-testid={`${props.testId}-kind`}
      >
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`patient.kinds.${k}`)}
          </option>
        ))}
      </NativeSelect>
      <TextInput
        label={t('patient.number')}
        description={props.description}
        value={props.value.id}
        onChange={(e) => props.onChange({ ...props.value, id: e.currentTarget.value })}
        error={props.error === undefined ? undefined : t(`patient.${props.error}`)}
        aria-invalid={props.error !== undefined}
        autoComplete="off"
        spellCheck={false}
        required
        data-testid={`${props.testId}-number`}
      />
    </Group>
  );
}
