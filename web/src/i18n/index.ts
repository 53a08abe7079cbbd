/**
 * i18next set up with the app's namespaces; a chunk loaded later (a page of the portal, the
 * explorer or the verifier; the staff workspace) adds its own. A key missing in the reader's
 * language is reported on the console (the browser tests fail on any console error), never shown
 * raw.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '@sdk';
import { common } from './common';
import type { portal } from '../portal/messages';
import type { explorer } from '../explorer/messages';
import type { verify } from '../verify/messages';
import { applicant } from '../applicant/messages';
import { family } from '../applicant/family-messages';
import type { staff } from '../staff/messages';
import type { finance } from '../staff/finance/messages';
import type { oversight } from '../staff/oversight/messages';
import type { hospital } from '../staff/hospital/messages';
import type { review } from '../staff/review/messages';
import { applicantDocuments } from '../applicant/documents-messages';

/**
 * The words loaded with the app: the frame's and the applicant's (a family on a phone opens `/me`
 * first). The portal's, the explorer's and the verifier's come with their pages (their
 * `words.ts`).
 */
export const namespaces = {
  common,
  applicant,
  family,
  applicantDocuments,
};
/**
 * Every namespace, with those a chunk brings when it loads (added by `addNamespaces`): the
 * portal's, the explorer's, the verifier's and the staff workspace's.
 */
type Namespaces = typeof namespaces & {
  portal: typeof portal;
  explorer: typeof explorer;
  verify: typeof verify;
  staff: typeof staff;
  finance: typeof finance;
  oversight: typeof oversight;
  hospital: typeof hospital;
  review: typeof review;
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: { [N in keyof Namespaces]: Namespaces[N]['en'] };
  }
}

type Bundles = Record<string, Record<Lang, object>>;

/**
 * Namespaces a chunk brought before `initI18n` ran: app/prefetch.ts fetches the page being opened
 * alongside the app, so the staff workspace's chunk may run first; i18next takes them at its start.
 */
let early: Bundles | undefined = {};

function resources(all: Bundles, lang: Lang) {
  return Object.fromEntries(Object.entries(all).map(([ns, c]) => [ns, c[lang]]));
}

export async function initI18n(lang: Lang): Promise<typeof i18next> {
  const all: Bundles = { ...namespaces, ...early };
  early = undefined;
  await i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: false,
    supportedLngs: ['en', 'zh-Hant', 'zh-Hans'],
    ns: Object.keys(all),
    defaultNS: 'common',
    resources: {
      en: resources(all, 'en'),
      'zh-Hant': resources(all, 'zh-Hant'),
      'zh-Hans': resources(all, 'zh-Hans'),
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

/** Adds the namespaces a lazily loaded chunk brings, in the three languages. */
export function addNamespaces(bundles: Bundles): void {
  if (early) {
    Object.assign(early, bundles);
    return;
  }
  for (const [ns, byLang] of Object.entries(bundles))
    for (const [lang, words] of Object.entries(byLang)) {
      if (!i18next.hasResourceBundle(lang, ns)) i18next.addResourceBundle(lang, ns, words);
    }
}
