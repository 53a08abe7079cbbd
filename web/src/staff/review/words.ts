/**
 * The refusals a reviewer's or program manager's action may meet, in words: the codes of the aid
 * contracts this workspace adds to the staff frame's own (parts.tsx `useRefusal`).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { useRefusal } from '../parts';

export const ACTION_CODES = [
  'CONFLICT_OF_INTEREST',
  'ALREADY_REVIEWED',
  'PATIENT_UNCONFIRMED',
  'DUPLICATE_CLAIM',
  'SOURCES_MISMATCH',
  'FROZEN',
  'INVALID_STATE',
  'WRONG_ORG',
  'FORBIDDEN_ROLE',
  'CURRENCY_MISMATCH',
  'MALFORMED',
  'BAD_REQUEST',
  'NOT_A_READER',
  'ERASED',
  'TAMPERED',
] as const;

/** A refusal in words: this workspace's codes first, then the frame's. */
export function useActionRefusal(): (e: unknown) => string {
  const { t } = useTranslation('review');
  const frame = useRefusal();
  return useCallback(
    (e: unknown) => {
      const code = typeof e === 'string' ? e : e instanceof AidError ? e.code : undefined;
      if (code !== undefined && (ACTION_CODES as readonly string[]).includes(code))
        return t(`codes.${code as (typeof ACTION_CODES)[number]}`);
      return frame(e);
    },
    [t, frame],
  );
}
