/**
 * A program draft as the manager's form holds it (amounts as typed, in major units; the rate as a
 * percentage) and as `programs.publish` takes it (ProgramSpecSchema: minor units as decimal
 * strings, the rate in basis points). Conditions are checked as they are typed by the same CEL
 * compiler the contracts use (`compileRule` through the SDK): a syntax error with its line and
 * column, decimal numbers and clock calls refused, facts the catalogue does not know named.
 */
import {
  AidError,
  compileRule,
  FACTS,
  MINOR_DIGITS,
  type FactName,
  type Facts,
  type Names,
  type ProgramDefinition,
} from '@sdk';
import { minorToDecimal } from '../../i18n/locale';
import { toMinor } from '../../applicant/facts';

/** The time zones a program may use (TIME_ZONES of the aid contracts). */
export const PROGRAM_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'UTC',
] as const;

export const CURRENCIES = Object.keys(MINOR_DIGITS);

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export interface DraftCondition {
  key: number;
  name: string;
  labels: Names;
  expr: string;
  /** Kept as published: which organisation types must attest which facts. */
  attested?: { fact: string; by: string[] }[];
}

export interface DraftDocument {
  key: number;
  name: string;
  labels: Names;
}

export interface Draft {
  /** A new program (id and currency chosen now) or the next version of `id`. */
  isNew: boolean;
  id: string;
  names: Names;
  currency: string;
  timeZone: string;
  budget: string;
  conditions: DraftCondition[];
  deductible: string;
  ratePercent: string;
  perCaseCap: string;
  perPatientYearCap: string;
  documents: DraftDocument[];
  autoApproveUpTo: string;
  twoReviewersAbove: string;
  open: boolean;
}

let keys = 0;
export const nextKey = (): number => ++keys;

const emptyNames = (): Names => ({ en: '', 'zh-Hant': '', 'zh-Hans': '' });

export function emptyCondition(): DraftCondition {
  return { key: nextKey(), name: '', labels: emptyNames(), expr: '' };
}

export function emptyDocument(): DraftDocument {
  return { key: nextKey(), name: '', labels: emptyNames() };
}

/** A new program's empty form. */
export function newDraft(): Draft {
  return {
    isNew: true,
    id: '',
    names: emptyNames(),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: '',
    conditions: [emptyCondition()],
    deductible: '0',
    ratePercent: '',
    perCaseCap: '',
    perPatientYearCap: '',
    documents: [],
    autoApproveUpTo: '0',
    twoReviewersAbove: '0',
    open: true,
  };
}

/** The form of the next version of a published program, filled with its current rules. */
export function draftFrom(def: ProgramDefinition): Draft {
  const major = (minor: string) => {
    const s = minorToDecimal(minor, MINOR_DIGITS[def.currency] ?? 2);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  };
  return {
    isNew: false,
    id: def.id,
    names: { ...def.names },
    currency: def.currency,
    timeZone: def.timeZone,
    budget: major(def.budget),
    conditions: def.conditions.map((c) => ({
      key: nextKey(),
      name: c.name,
      labels: { ...c.labels },
      expr: c.expr,
      ...(c.attested ? { attested: c.attested.map((a) => ({ fact: a.fact, by: [...a.by] })) } : {}),
    })),
    deductible: major(def.benefit.deductible),
    ratePercent: String(def.benefit.rateBp / 100),
    perCaseCap: major(def.benefit.perCaseCap),
    perPatientYearCap: major(def.benefit.perPatientYearCap),
    documents: def.documents.map((d) => ({
      key: nextKey(),
      name: d.name,
      labels: { ...d.labels },
    })),
    autoApproveUpTo: major(def.review.autoApproveUpTo),
    twoReviewersAbove: major(def.review.twoReviewersAbove),
    open: def.open,
  };
}

/** What is wrong with a condition's CEL expression, with where. */
export type CelProblem =
  | { kind: 'empty' }
  | { kind: 'long' }
  | { kind: 'syntax'; line: number; column: number }
  | { kind: 'decimal' }
  | { kind: 'call'; name: string }
  | { kind: 'nested' }
  | { kind: 'unknown'; facts: string[] }
  | { kind: 'notBool' };

/** A sample value of each fact's type, to try a rule on. */
const SAMPLE: Facts = Object.fromEntries(
  Object.entries(FACTS).map(([name, f]) => [
    name,
    f.type === 'int' || f.type === 'money'
      ? 0n
      : f.type === 'bool'
        ? false
        : f.type === 'codes'
          ? []
          : '',
  ]),
);

/**
 * Checks a condition as the contract will when it is published: compiles it with the contracts'
 * CEL compiler (`loadRules()` must have run) and names the facts it reads that the catalogue
 * does not know; then tries it on facts of the right types, to catch a rule that compares a
 * number with a string (`notBool`), which the contract would count as a failed condition.
 */
export function checkCel(expr: string): { problem?: CelProblem; reads: string[] } {
  if (expr.trim() === '') return { problem: { kind: 'empty' }, reads: [] };
  if (expr.length > 2000) return { problem: { kind: 'long' }, reads: [] };
  let rule;
  try {
    rule = compileRule(expr);
  } catch (e) {
    const msg = e instanceof AidError || e instanceof Error ? e.message : String(e);
    const pos = /:(\d+):(\d+):/.exec(msg);
    if (pos) return { problem: { kind: 'syntax', line: +pos[1]!, column: +pos[2]! }, reads: [] };
    if (/decimal/.test(msg)) return { problem: { kind: 'decimal' }, reads: [] };
    const call = /may not call ([A-Za-z_]+)/.exec(msg);
    if (call) return { problem: { kind: 'call', name: call[1]! }, reads: [] };
    if (/nested/.test(msg)) return { problem: { kind: 'nested' }, reads: [] };
    return { problem: { kind: 'syntax', line: 1, column: 1 }, reads: [] };
  }
  const unknown = rule.reads.filter((r) => !Object.hasOwn(FACTS, r));
  if (unknown.length > 0) return { problem: { kind: 'unknown', facts: unknown }, reads: [] };
  const tried = rule.evaluate(SAMPLE);
  if (!tried.ok && /overload|type/i.test(tried.error))
    return { problem: { kind: 'notBool' }, reads: [...rule.reads] };
  return { reads: [...rule.reads] };
}

/** The form's faults, by field path (`names.en`, `conditions.3.expr`, `benefit.rate`, …). */
export type DraftErrors = Record<string, string>;

const major = (s: string, currency: string) => toMinor(s, currency);

/** The draft as a `programs.publish` payload, or its faults (error keys of the messages). */
export function toSpec(d: Draft): { spec?: Record<string, unknown>; errors: DraftErrors } {
  const errors: DraftErrors = {};
  if (!SLUG.test(d.id)) errors.id = 'slug';
  for (const l of ['en', 'zh-Hant', 'zh-Hans'] as const)
    if (d.names[l].trim() === '') errors[`names.${l}`] = 'required';
  const amount = (field: string, s: string) => {
    const m = major(s, d.currency);
    if (m === undefined) errors[field] = 'amount';
    return m ?? '0';
  };
  const budget = amount('budget', d.budget);
  const deductible = amount('deductible', d.deductible);
  const perCaseCap = amount('perCaseCap', d.perCaseCap);
  const perPatientYearCap = amount('perPatientYearCap', d.perPatientYearCap);
  const autoApproveUpTo = amount('autoApproveUpTo', d.autoApproveUpTo);
  const twoReviewersAbove = amount('twoReviewersAbove', d.twoReviewersAbove);
  if (
    errors.autoApproveUpTo === undefined &&
    errors.twoReviewersAbove === undefined &&
    BigInt(twoReviewersAbove) < BigInt(autoApproveUpTo)
  )
    errors.twoReviewersAbove = 'belowAuto';
  const rate = /^([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(d.ratePercent.trim());
  const rateBp = rate ? Number(rate[1]) * 100 + Number((rate[2] ?? '').padEnd(2, '0')) : NaN;
  if (!rate || rateBp > 10_000) errors.rate = 'rate';
  if (d.conditions.length === 0) errors.conditions = 'oneCondition';
  const names = new Set<string>();
  d.conditions.forEach((c, i) => {
    if (!SLUG.test(c.name)) errors[`conditions.${i}.name`] = 'slug';
    else if (names.has(c.name)) errors[`conditions.${i}.name`] = 'duplicate';
    names.add(c.name);
    for (const l of ['en', 'zh-Hant', 'zh-Hans'] as const)
      if (c.labels[l].trim() === '') errors[`conditions.${i}.labels.${l}`] = 'required';
    if (checkCel(c.expr).problem) errors[`conditions.${i}.expr`] = 'cel';
  });
  const docs = new Set<string>();
  d.documents.forEach((doc, i) => {
    if (!SLUG.test(doc.name)) errors[`documents.${i}.name`] = 'slug';
    else if (docs.has(doc.name)) errors[`documents.${i}.name`] = 'duplicate';
    docs.add(doc.name);
    for (const l of ['en', 'zh-Hant', 'zh-Hans'] as const)
      if (doc.labels[l].trim() === '') errors[`documents.${i}.labels.${l}`] = 'required';
  });
  if (Object.keys(errors).length > 0) return { errors };
  const trimmed = (n: Names): Names => ({
    en: n.en.trim(),
    'zh-Hant': n['zh-Hant'].trim(),
    'zh-Hans': n['zh-Hans'].trim(),
  });
  return {
    errors,
    spec: {
      id: d.id,
      names: trimmed(d.names),
      currency: d.currency,
      timeZone: d.timeZone,
      budget,
      conditions: d.conditions.map((c) => ({
        name: c.name,
        labels: trimmed(c.labels),
        expr: c.expr,
        ...(c.attested ? { attested: c.attested } : {}),
      })),
      benefit: { deductible, rateBp, perCaseCap, perPatientYearCap },
      documents: d.documents.map((doc) => ({ name: doc.name, labels: trimmed(doc.labels) })),
      review: { autoApproveUpTo, twoReviewersAbove },
      open: d.open,
    },
  };
}

export type { FactName };
