/**
 * The reader's locale: 繁體中文 with Taiwan or Hong Kong formats, 简体中文, or English. The language
 * picks the words; the locale picks how dates, numbers and money look. Chosen once, remembered in
 * this browser, switchable at any time.
 */
import { MINOR_DIGITS, type Lang, type Names } from '@sdk';

export const LOCALES = ['zh-TW', 'zh-HK', 'zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each locale named in its own language (the switcher shows them so). */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-TW': '繁體中文（台灣）',
  'zh-HK': '繁體中文（香港）',
  'zh-CN': '简体中文',
  en: 'English',
};

/** BCP 47 tags for the page's `lang` attribute and for Intl. */
export const LOCALE_TAGS: Record<Locale, string> = {
  'zh-TW': 'zh-Hant-TW',
  'zh-HK': 'zh-Hant-HK',
  'zh-CN': 'zh-Hans-CN',
  en: 'en',
};

export function langOf(locale: Locale): Lang {
  return locale === 'en' ? 'en' : locale === 'zh-CN' ? 'zh-Hans' : 'zh-Hant';
}

const STORAGE_KEY = 'aidledger.locale';

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The remembered locale, else the browser's preference, else English. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage blocked: fall through to the browser's languages
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const tag = l.toLowerCase();
    if (tag === 'zh-hk' || tag === 'zh-mo' || tag.startsWith('zh-hant-hk')) return 'zh-HK';
    if (tag === 'zh-tw' || tag.startsWith('zh-hant')) return 'zh-TW';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/** Formats per locale: money from minor units (never through a float), dates, numbers. */
export interface Formats {
  money(minor: string | bigint, currency: string): string;
  number(n: number | bigint): string;
  date(ms: number): string;
  dateTime(ms: number): string;
  /** To the second: for blocks and transactions, often seconds apart. */
  instant(ms: number): string;
  percent(basisPoints: number): string;
  name(names: Names | undefined, fallback?: string): string;
}

/** Minor units as an exact decimal string ("123456", 2 → "1234.56"). */
export function minorToDecimal(minor: string | bigint, digits: number): string {
  const v = typeof minor === 'bigint' ? minor : BigInt(minor);
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? s : s.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${s.slice(-digits)}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** Made on first use: each Intl formatter takes a slow phone tens of milliseconds to build. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

export function formatsFor(locale: Locale): Formats {
  const tag = LOCALE_TAGS[locale];
  const lang = langOf(locale);
  const moneyFmt = new Map<string, Intl.NumberFormat>();
  const numberFmt = once(() => new Intl.NumberFormat(tag));
  // Chinese readers get the numeric date of their region (Taiwan 2026/11/29, Hong Kong
  // 29/11/2026, mainland 2026/11/29); English readers an unambiguous "Nov 29, 2026".
  const numeric = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
  const dateFmt = once(
    () => new Intl.DateTimeFormat(tag, locale === 'en' ? { dateStyle: 'medium' } : numeric),
  );
  const dateTimeFmt = once(
    () =>
      new Intl.DateTimeFormat(
        tag,
        locale === 'en'
          ? { dateStyle: 'medium', timeStyle: 'short' }
          : { ...numeric, hour: 'numeric', minute: '2-digit' },
      ),
  );
  const instantFmt = once(
    () =>
      new Intl.DateTimeFormat(
        tag,
        locale === 'en'
          ? { dateStyle: 'medium', timeStyle: 'medium' }
          : { ...numeric, hour: 'numeric', minute: '2-digit', second: '2-digit' },
      ),
  );
  const pctFmt = once(
    () => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 }),
  );
  return {
    money(minor, currency) {
      const digits = MINOR_DIGITS[currency] ?? 2;
      let f = moneyFmt.get(currency);
      if (!f) {
        f = new Intl.NumberFormat(tag, {
          style: 'currency',
          currency,
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
        moneyFmt.set(currency, f);
      }
      // Intl formats a decimal string exactly: no float on the way.
      return f.format(minorToDecimal(minor, digits) as Intl.StringNumericLiteral);
    },
    number: (n) => numberFmt().format(n),
    date: (ms) => dateFmt().format(ms),
    dateTime: (ms) => dateTimeFmt().format(ms),
    instant: (ms) => instantFmt().format(ms),
    percent: (bp) =>
      pctFmt().format(`${minorToDecimal(BigInt(bp), 4)}` as Intl.StringNumericLiteral),
    name: (names, fallback = '') => names?.[lang] ?? names?.en ?? fallback,
  };
}
