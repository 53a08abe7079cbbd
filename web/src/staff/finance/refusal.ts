/** Refusals of the finance and oversight actions in words; other codes go to the staff words. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { useRefusal } from '../parts';

const CODES = [
  'FROZEN',
  'INSUFFICIENT_FUNDS',
  'CURRENCY_MISMATCH',
  'PATIENT_UNCONFIRMED',
  'NOT_FREEZER',
  'INVALID_STATE',
  'WRONG_ORG',
  'FORBIDDEN_ROLE',
  'MALFORMED',
] as const;

export function useMoneyRefusal(): (e: unknown) => string {
  const { t } = useTranslation('finance');
  const staffText = useRefusal();
  return useCallback(
    (e: unknown) => {
      const code = typeof e === 'string' ? e : e instanceof AidError ? e.code : undefined;
      if (code !== undefined && (CODES as readonly string[]).includes(code))
        return t(`codes.${code as (typeof CODES)[number]}`);
      return staffText(e);
    },
    [t, staffText],
  );
}
