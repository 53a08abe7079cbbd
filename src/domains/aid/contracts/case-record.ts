/**
 * A case as the contracts keep it, and the waitlist of a program: approved cases the pool could
 * not yet fund, funded strictly in the order they were approved as money arrives. Personal and
 * medical facts are never here: only amounts, fingerprints, a patient key and the ids of the
 * transactions whose private parts hold the facts.
 */
import { big, seqKey, str } from './aid-common.js';
import type { CaseRecord, CaseState } from '../types.js';
import { balance, account, reserve } from './journal.js';
import { refuse, type ActionContext, type StateView } from '../../../runtime/contract.js';

export {
  CASE_STATES,
  OUTCOMES,
  type Applicant,
  type BenefitSteps,
  type CaseRecord,
  type CaseState,
  type ConditionResult,
  type Decision,
  type Review,
  type Source,
} from '../types.js';

export const caseKeys = {
  case: (id: string) => `cases/c/${id}`,
  wait: (program: string) => `cases/wait/${program}`,
  waitEntry: (program: string, seq: number) => `cases/wait/${program}/${seqKey(seq)}`,
  /** From protocol 3: the patient's newest case in a program (open unless its state has ended). */
  open: (patient: string, program: string) => `cases/open/${patient}/${program}`,
};

export function getCase(state: StateView, id: string): CaseRecord {
  return state.get<CaseRecord>(caseKeys.case(id)) ?? refuse('NOT_FOUND', `no case ${id}`);
}

/** Moves a case to `to`, recording who did it and when. */
export function transition(ctx: ActionContext, rec: CaseRecord, to: CaseState): CaseRecord {
  return {
    ...rec,
    state: to,
    updated: ctx.time,
    history: [
      ...rec.history,
      { state: to, time: ctx.time, tx: ctx.txId, by: ctx.signer.member || 'applicant' },
    ],
  };
}

export function putCase(state: StateView, rec: CaseRecord): void {
  state.put(caseKeys.case(rec.id), rec);
}

interface Queue {
  head: number;
  tail: number;
}

function queue(state: StateView, program: string): Queue {
  return state.get<Queue>(caseKeys.wait(program)) ?? { head: 1, tail: 1 };
}

/** Funds an approved case now if the pool can and nobody waits before it; else waitlists it. */
export function fundOrWait(ctx: ActionContext, rec: CaseRecord): CaseRecord {
  const q = queue(ctx.state, rec.program);
  const amount = big(rec.amount ?? '0');
  if (q.head === q.tail && balance(ctx.state, account.pool(rec.program)) >= amount) {
    const fundedBy = reserve(ctx, rec.program, rec.id, amount);
    return { ...transition(ctx, rec, 'funded'), fundedBy };
  }
  ctx.state.put(caseKeys.waitEntry(rec.program, q.tail), rec.id);
  ctx.state.put(caseKeys.wait(rec.program), { head: q.head, tail: q.tail + 1 } satisfies Queue);
  return { ...transition(ctx, rec, 'waitlisted'), waitSeq: q.tail };
}

/**
 * Funds waitlisted cases in the order they were approved while the pool covers the next one.
 * Cases that left the waitlist (withdrawn, cancelled) are passed over; a frozen case holds the
 * line until it is unfrozen, so nobody is funded out of turn. Returns how many were funded.
 */
export function drainWaitlist(
  ctx: ActionContext,
  program: string,
  isFrozen: (id: string) => boolean,
): number {
  const s = ctx.state;
  const q = queue(s, program);
  let head = q.head;
  let funded = 0;
  while (head < q.tail) {
    const id = s.get<string>(caseKeys.waitEntry(program, head));
    const rec = id === undefined ? undefined : s.get<CaseRecord>(caseKeys.case(id));
    if (!rec || rec.state !== 'waitlisted') {
      s.del(caseKeys.waitEntry(program, head));
      head++;
      continue;
    }
    if (isFrozen(rec.id)) break;
    const amount = big(rec.amount ?? '0');
    if (balance(s, account.pool(program)) < amount) break;
    const fundedBy = reserve(ctx, program, rec.id, amount);
    const next: CaseRecord = { ...transition(ctx, rec, 'funded'), fundedBy };
    delete next.waitSeq;
    putCase(s, next);
    s.del(caseKeys.waitEntry(program, head));
    head++;
    funded++;
  }
  if (head !== q.head) s.put(caseKeys.wait(program), { head, tail: q.tail } satisfies Queue);
  return funded;
}

export const amountOf = (rec: CaseRecord): bigint => big(rec.amount ?? '0');
export { str };
