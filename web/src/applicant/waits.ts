/**
 * How long the steps of a case usually take, from the ledger's own public figures: the public
 * case list (no personal data) gives each case's path with the time of every step.
 */

/** What the public case list gives of a case's path. */
export interface PublicPath {
  submitted: number;
  history: { state: string; time: number }[];
}

/** The states in which a program has decided a case (approved, waiting for money, refused). */
const DECIDED = new Set(['funded', 'waitlisted', 'rejected']);

function median(ms: number[]): { ms: number; cases: number } | undefined {
  if (ms.length === 0) return undefined;
  const s = [...ms].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return {
    ms: s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2),
    cases: s.length,
  };
}

/**
 * The median time from application to first decision over a program's decided cases, in ms, and
 * how many cases it is from; undefined when none has been decided yet.
 */
export function usualDecisionTime(
  cases: readonly PublicPath[],
): { ms: number; cases: number } | undefined {
  return median(
    cases.flatMap((c) => {
      const t = c.history.find((h) => DECIDED.has(h.state))?.time;
      return t === undefined ? [] : [t - c.submitted];
    }),
  );
}

/**
 * The median time a case stays in `state` before its next step, over the cases that have left
 * it; undefined when none has yet.
 */
export function usualTimeIn(
  cases: readonly PublicPath[],
  state: string,
): { ms: number; cases: number } | undefined {
  return median(
    cases.flatMap((c) => {
      const i = c.history.findIndex((h) => h.state === state);
      const next = i >= 0 ? c.history[i + 1] : undefined;
      return next === undefined ? [] : [next.time - c.history[i]!.time];
    }),
  );
}

type Unit = 'day' | 'days' | 'hour' | 'hours' | 'minute' | 'minutes';

/** A wait in the largest whole unit that fits: days, else hours, else minutes. */
export function duration(
  ms: number,
  num: (n: number) => string,
  say: (k: `wait.${Unit}`, o: { n: string }) => string,
): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const one = (n: number, a: Unit, many: Unit) => say(`wait.${n === 1 ? a : many}`, { n: num(n) });
  if (minutes >= 2 * 24 * 60) return one(Math.round(minutes / (24 * 60)), 'day', 'days');
  if (minutes >= 120) return one(Math.round(minutes / 60), 'hour', 'hours');
  return one(minutes, 'minute', 'minutes');
}

/** The address of a program's public case list, as much as one page gives. */
export const publicCasesPath = (program: string) =>
  `/v1/public/cases?program=${encodeURIComponent(program)}&limit=200`;
