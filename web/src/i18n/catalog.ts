/**
 * Message catalogues: each part of the app declares its words once in English and once in each
 * Chinese script, and the types make a missing or extra key a build error.
 */
import type { Lang } from '@sdk';

/** The shape of a catalogue in another language: the same keys, any strings. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export type Catalog<T> = Record<Lang, Messages<T>>;

/** Declares a namespace's words in the three languages; TypeScript holds the keys equal. */
export function catalog<const T>(en: T, zhHant: Messages<T>, zhHans: Messages<T>): Catalog<T> {
  return { en: en as Messages<T>, 'zh-Hant': zhHant, 'zh-Hans': zhHans };
}
