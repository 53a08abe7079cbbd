/**
 * A fact's value in words. Apart from shared.tsx: the catalogue of facts comes with the
 * application schemas (zod), which only the pages showing facts (applying, a case) load.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { FACTS } from '@sdk';
import { useFormats, useLocale } from '../lib/locale-context';

/** A fact's value as the reader reads it: money in the program's currency, yes/no, a list. */
export function useFactValue(): (name: string, value: unknown, currency: string) => string {
  const { t } = useTranslation('applicant');
  const fmt = useFormats();
  const { lang } = useLocale();
  return useCallback(
    (name, value, currency) => {
      const type = (FACTS as Record<string, { type: string } | undefined>)[name]?.type;
      if (typeof value === 'boolean') return value ? t('yes') : t('no');
      if (Array.isArray(value)) return value.join(lang === 'en' ? ', ' : '、');
      if (type === 'money' && (typeof value === 'string' || typeof value === 'number'))
        return fmt.money(String(value), currency);
      if (typeof value === 'number') return fmt.number(value);
      return String(value);
    },
    [t, fmt, lang],
  );
}
