/** Pieces the applicant pages share: refusals in words, organisation names, focus on errors. */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { AidError, type Lang } from '@sdk';
import { useErrorText } from '../components/Status';
import { useOrgs } from '../lib/api';
import { useFormats } from '../lib/locale-context';
import { KeyError } from './keystore';

/** English labels start lower-case (they sit inside sentences); a field label starts upper-case. */
export function cap(s: string, lang: Lang): string {
  return lang === 'en' && s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const REFUSALS = [
  'FROZEN',
  'INVALID_STATE',
  'NOT_APPLICANT',
  'ALREADY_EXISTS',
  'WRONG_ORG',
  'FORBIDDEN_ROLE',
  'KEY_REVOKED',
  'UNKNOWN_KEY',
  'NONCE_USED',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'MALFORMED',
  'COMMITMENT_MISMATCH',
  'DUPLICATE_CLAIM',
  'CASE_OPEN',
] as const;

/**
 * A refusal or failure in words: a code recorded by the ledger (`FROZEN`, `INVALID_STATE`, …),
 * an AidError from the node, or a KeyError from this device.
 */
export function useRefusalText(): (e: unknown) => string {
  const { t } = useTranslation('applicant');
  const errorText = useErrorText();
  return useCallback(
    (e: unknown) => {
      if (e instanceof KeyError) return t(`keyErrors.${e.kind}`);
      const code = typeof e === 'string' ? e : e instanceof AidError ? e.code : undefined;
      if (code !== undefined && (REFUSALS as readonly string[]).includes(code))
        return t(`refusals.${code as (typeof REFUSALS)[number]}`);
      return typeof e === 'string' ? t('refusals.other', { code: e }) : errorText(e);
    },
    [t, errorText],
  );
}

/** An organisation's name in the reader's language (its id until the list arrives). */
export function useOrgName(): (id: string) => string {
  const orgs = useOrgs();
  const fmt = useFormats();
  return useCallback(
    (id: string) => {
      const o = orgs.data?.orgs.find((x) => x.id === id);
      return o ? fmt.name(o.names, id) : id;
    },
    [orgs.data, fmt],
  );
}

/**
 * Moves focus to the first field marked invalid inside `ref` after the errors render: call the
 * returned function when a step is checked and found wanting.
 */
export function useFocusFirstError(ref: RefObject<HTMLElement | null>): () => void {
  const [tick, setTick] = useState(0);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const el = ref.current?.querySelector<HTMLElement>(
      '[aria-invalid="true"], input[data-invalid="true"], [data-invalid] input',
    );
    el?.focus();
  }, [tick, ref]);
  return useCallback(() => setTick((n) => n + 1), []);
}
