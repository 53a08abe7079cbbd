/**
 * The funds journal: double entry in integer minor units. Every movement debits one account and
 * credits another by the same amount, so the balances always sum to zero; only the income
 * accounts (`in:…`) may go below zero, every other balance refuses to. Money reaches a program's
 * pool in lots (a donation, an allocation, an assignment of general donations), and cases are
 * funded from the lots first in, first out, so each lot knows which cases it paid and each case
 * which lots paid it.
 */
import { z } from 'zod';
import type { FundedBy, LotSource } from '../types.js';
import { str, big, min, seqKey } from './aid-common.js';

export type { FundedBy, LotSource };
import { refuse, type ActionContext, type StateView } from '../../../runtime/contract.js';

export type AccountName = string;

export const account = {
  /** Income: donations restricted to a program. */
  donations: (program: string) => `in:donations:${program}`,
  /** Income: unrestricted donations to an organisation. */
  generalDonations: (org: string) => `in:donations-general:${org}`,
  /** Income: government allocations to a program. */
  allocations: (program: string) => `in:allocations:${program}`,
  /** Unrestricted donations an organisation has not yet assigned to a program. */
  general: (org: string) => `general:${org}`,
  pool: (program: string) => `pool:${program}`,
  reserved: (program: string) => `reserved:${program}`,
  payable: (program: string) => `payable:${program}`,
  paid: (program: string) => `paid:${program}`,
  returned: (program: string) => `returned:${program}`,
};

/** One entry of the double-entry journal: an amount moved from one account to another. */
export const JournalEntrySchema = z.object({
  seq: z.number().int(),
  time: z.number().int(),
  tx: z.string(),
  debit: z.string(),
  credit: z.string(),
  amount: z.string().describe('decimal string of minor units'),
  memo: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export interface Lot {
  program: string;
  seq: number;
  source: LotSource;
  amount: string;
  remaining: string;
  returned: string;
  /**
   * How many use records the lot has made: each case it funded has one, in the order it did
   * (`funds/use/<program>/<lot>/<use>`), kept apart so funding a case writes a few bytes, not the
   * lot's whole history.
   */
  uses: number;
}

/** What one case holds of one lot. */
export interface LotUse {
  case: string;
  amount: string;
}

export const fundsKeys = {
  account: (name: AccountName) => `funds/a/${name}`,
  seq: 'funds/seq',
  entry: (seq: number) => `funds/j/${seqKey(seq)}`,
  fifo: (program: string) => `funds/fifo/${program}`,
  lot: (program: string, seq: number) => `funds/lot/${program}/${seqKey(seq)}`,
  uses: (program: string, lot: number) => `funds/use/${program}/${seqKey(lot)}/`,
  use: (program: string, lot: number, use: number) =>
    `funds/use/${program}/${seqKey(lot)}/${seqKey(use)}`,
};

export function balance(state: StateView, name: AccountName): bigint {
  const v = state.get<string>(fundsKeys.account(name));
  return v === undefined ? 0n : big(v);
}

/** Posts one balanced entry. @throws INSUFFICIENT_FUNDS when the credited account would go below zero. */
export function post(
  ctx: ActionContext,
  debit: AccountName,
  credit: AccountName,
  amount: bigint,
  memo: string,
): void {
  if (amount <= 0n) refuse('INVALID_STATE', 'a journal entry moves a positive amount');
  const s = ctx.state;
  const from = balance(s, credit) - amount;
  if (from < 0n && !credit.startsWith('in:'))
    refuse('INSUFFICIENT_FUNDS', `${credit} holds ${str(from + amount)}, ${str(amount)} needed`);
  s.put(fundsKeys.account(credit), str(from));
  s.put(fundsKeys.account(debit), str(balance(s, debit) + amount));
  const seq = (s.get<number>(fundsKeys.seq) ?? 0) + 1;
  s.put(fundsKeys.seq, seq);
  s.put(fundsKeys.entry(seq), {
    seq,
    time: ctx.time,
    tx: ctx.txId,
    debit,
    credit,
    amount: str(amount),
    memo,
  } satisfies JournalEntry);
}

interface Fifo {
  head: number;
  next: number;
}

function fifo(state: StateView, program: string): Fifo {
  return state.get<Fifo>(fundsKeys.fifo(program)) ?? { head: 1, next: 1 };
}

export function getLot(state: StateView, program: string, seq: number): Lot {
  return (
    state.get<Lot>(fundsKeys.lot(program, seq)) ??
    refuse('NOT_FOUND', `no lot ${seq} in ${program}`)
  );
}

/** Puts money into a program's pool as a new lot, crediting `from`. Returns the lot number. */
export function addLot(
  ctx: ActionContext,
  program: string,
  source: LotSource,
  from: AccountName,
  amount: bigint,
): number {
  const f = fifo(ctx.state, program);
  const seq = f.next;
  ctx.state.put(fundsKeys.lot(program, seq), {
    program,
    seq,
    source,
    amount: str(amount),
    remaining: str(amount),
    returned: '0',
    uses: 0,
  } satisfies Lot);
  ctx.state.put(fundsKeys.fifo(program), { head: f.head, next: seq + 1 } satisfies Fifo);
  post(ctx, account.pool(program), from, amount, `${source.kind} ${source.id}`);
  return seq;
}

/** Reserves `amount` of the pool for a case, from the oldest lots first. */
export function reserve(
  ctx: ActionContext,
  program: string,
  caseId: string,
  amount: bigint,
): FundedBy[] {
  const s = ctx.state;
  post(ctx, account.reserved(program), account.pool(program), amount, `reserve case ${caseId}`);
  const f = fifo(s, program);
  const out: FundedBy[] = [];
  let need = amount;
  let seq = f.head;
  while (need > 0n) {
    if (seq >= f.next) refuse('INVALID_STATE', `lots of ${program} do not add up to its pool`);
    const lot = getLot(s, program, seq);
    const take = min(big(lot.remaining), need);
    if (take > 0n) {
      need -= take;
      const use = lot.uses + 1;
      out.push({ lot: seq, use, source: lot.source, amount: str(take) });
      s.put(fundsKeys.use(program, seq, use), { case: caseId, amount: str(take) } satisfies LotUse);
      s.put(fundsKeys.lot(program, seq), {
        ...lot,
        remaining: str(big(lot.remaining) - take),
        uses: use,
      } satisfies Lot);
    }
    if (need > 0n) seq++;
  }
  advanceHead(s, program, { head: seq, next: f.next });
  return out;
}

function advanceHead(state: StateView, program: string, f: Fifo): void {
  let head = f.head;
  while (head < f.next && getLot(state, program, head).remaining === '0') head++;
  state.put(fundsKeys.fifo(program), { head, next: f.next } satisfies Fifo);
}

/** Gives a case's reservation back to the lots it came from, and so to the pool. */
export function release(
  ctx: ActionContext,
  program: string,
  caseId: string,
  fundedBy: readonly FundedBy[],
): void {
  const s = ctx.state;
  let total = 0n;
  let head = fifo(s, program).head;
  for (const f of fundedBy) {
    const lot = getLot(s, program, f.lot);
    s.del(fundsKeys.use(program, f.lot, f.use));
    s.put(fundsKeys.lot(program, f.lot), {
      ...lot,
      remaining: str(big(lot.remaining) + big(f.amount)),
    } satisfies Lot);
    total += big(f.amount);
    if (f.lot < head) head = f.lot;
  }
  s.put(fundsKeys.fifo(program), { head, next: fifo(s, program).next } satisfies Fifo);
  if (total > 0n)
    post(ctx, account.pool(program), account.reserved(program), total, `release case ${caseId}`);
}

/** Returns part of a lot's unspent money to where it came from (a refund, a budget return). */
export function returnFromLot(
  ctx: ActionContext,
  program: string,
  seq: number,
  amount: bigint,
): void {
  const s = ctx.state;
  const lot = getLot(s, program, seq);
  if (big(lot.remaining) < amount)
    refuse('INSUFFICIENT_FUNDS', `lot ${seq} has ${lot.remaining} unspent, ${str(amount)} asked`);
  s.put(fundsKeys.lot(program, seq), {
    ...lot,
    remaining: str(big(lot.remaining) - amount),
    returned: str(big(lot.returned) + amount),
  } satisfies Lot);
  post(
    ctx,
    account.returned(program),
    account.pool(program),
    amount,
    `return ${lot.source.kind} ${lot.source.id}`,
  );
  advanceHead(s, program, fifo(s, program));
}

export interface ProgramFunds {
  received: bigint;
  available: bigint;
  reserved: bigint;
  payable: bigint;
  paid: bigint;
  returned: bigint;
}

export function programFunds(state: StateView, program: string): ProgramFunds {
  const available = balance(state, account.pool(program));
  const reserved = balance(state, account.reserved(program));
  const payable = balance(state, account.payable(program));
  const paid = balance(state, account.paid(program));
  const returned = balance(state, account.returned(program));
  return {
    received: available + reserved + payable + paid + returned,
    available,
    reserved,
    payable,
    paid,
    returned,
  };
}
