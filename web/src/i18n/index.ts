/**
 * i18next set up with every namespace of the app. A key missing in the reader's language is
 * reported on the console (the browser tests fail on any console error), never shown raw.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '@sdk';
import { common } from './common';
import { portal } from '../portal/messages';
import { explorer } from '../explorer/messages';
import { verify } from '../verify/messages';
import { applicant } from '../applicant/messages';
import { family } from '../applicant/family-messages';
import { staff } from '../staff/messages';
import { review } from '../staff/review/messages';

export const namespaces = {
  common,
  portal,
  explorer,
  verify,
  applicant,
  family,
  staff,
  review,
};
type Namespaces = typeof namespaces;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: { [N in keyof Namespaces]: Namespaces[N]['en'] };
  }
}

function resources(lang: Lang) {
  return Object.fromEntries(Object.entries(namespaces).map(([ns, c]) => [ns, c[lang]]));
}

export async function initI18n(lang: Lang): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: false,
    supportedLngs: ['en', 'zh-Hant', 'zh-Hans'],
    ns: Object.keys(namespaces),
    defaultNS: 'common',
    resources: {
      en: resources('en'),
      'zh-Hant': resources('zh-Hant'),
      'zh-Hans': resources('zh-Hans'),
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (lngs, ns, key) => {
      console.error(`missing translation ${ns}:${key} for ${lngs.join(',')}`);
    },
  });
  return i18next;
}
