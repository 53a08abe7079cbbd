/**
 * Refusals the hospital's, bureau's and documents' screens meet, in words of their own; any other
 * code goes to the staff frame's words. The code itself is always shown beside the words.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { AidError } from '@sdk';
import { useRefusal } from '../parts';

const CODES = [
  'PATIENT_MISMATCH',
  'DUPLICATE_CLAIM',
  'LINE_CONFLICT',
  'CASE_OPEN',
  'NOT_APPLICANT',
  'WRONG_ORG',
  'INVALID_STATE',
  'NOT_FOUND',
  'FROZEN',
  'TOO_LARGE',
  'UNSUPPORTED_TYPE',
  'NOT_A_READER',
  'CASE_NOT_VISIBLE',
  'ERASED',
  'DOCUMENT_ERASED',
  'TAMPERED',
  'ALREADY_SERVED',
  'FORBIDDEN_ROLE',
  'RATE_LIMITED',
  'UNAVAILABLE',
] as const;
export type KnownCode = (typeof CODES)[number];

/** The code of a refusal: a ledger code as given, an AidError's code, else UNAVAILABLE. */
export function codeOf(e: unknown): string {
  return typeof e === 'string' ? e : e instanceof AidError ? e.code : 'UNAVAILABLE';
}

/** A refusal in the reader's words. */
export function useHospitalRefusal(): (e: unknown) => string {
  const { t } = useTranslation('hospital');
  const frame = useRefusal();
  return useCallback(
    (e: unknown) => {
      const code = codeOf(e);
      return (CODES as readonly string[]).includes(code)
        ? t(`refusals.${code as KnownCode}`)
        : frame(e);
    },
    [t, frame],
  );
}
