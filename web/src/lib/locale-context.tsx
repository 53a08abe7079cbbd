/** The reader's locale for the whole app: words, formats, and the page's `lang` attribute. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import i18next from 'i18next';
import type { Lang } from '@sdk';
import {
  formatsFor,
  langOf,
  LOCALE_TAGS,
  rememberLocale,
  type Formats,
  type Locale,
} from '../i18n/locale';

interface LocaleState {
  locale: Locale;
  lang: Lang;
  fmt: Formats;
  setLocale(l: Locale): void;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function applyLocale(locale: Locale): void {
  document.documentElement.lang = LOCALE_TAGS[locale];
}

export function LocaleProvider(props: { initial: Locale; children: ReactNode }) {
  const [locale, set] = useState<Locale>(props.initial);
  const setLocale = useCallback((l: Locale) => {
    rememberLocale(l);
    applyLocale(l);
    void i18next.changeLanguage(langOf(l));
    set(l);
  }, []);
  const value = useMemo(
    () => ({ locale, lang: langOf(locale), fmt: formatsFor(locale), setLocale }),
    [locale, setLocale],
  );
  return <LocaleContext.Provider value={value}>{props.children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const v = useContext(LocaleContext);
  if (!v) throw new Error('useLocale outside LocaleProvider');
  return v;
}

/** Formats of the reader's locale: `fmt.money(minor, currency)`, `fmt.date(ms)`, … */
export function useFormats(): Formats {
  return useLocale().fmt;
}
