/**
 * Donations and allocations: money coming in. A donor (an organisation, a person under an alias, or
 * anonymous) gives to a program (restricted) or to an organisation (general, assigned to its
 * programs later); a bureau allocates budget to its program. Each becomes a lot in the program's
 * pool, so its money can be followed to the cases it paid. Money arriving funds the waitlist.
 *
 * From protocol 2 no payment or budget reference is public: it travels in the private part
 * (domains/aid/reasons.ts, PaymentReferenceSchema says why), and a return states a coded reason.
 */
import { z } from 'zod';
import {
  big,
  FREEZE_KEY,
  NoteSchema,
  OrgRefSchema,
  PositiveAmountSchema,
  SlugSchema,
  signerOrg,
  str,
  TxRefSchema,
  checkNotFrozen,
} from './aid-common.js';
import { drainWaitlist } from './case-record.js';
import { account, addLot, balance, post, returnFromLot } from './journal.js';
import { getProgram, type ProgramRecord } from './programs.js';
import { PaymentFactsSchema, PaymentReferenceSchema, ReturnReasonSchema } from '../reasons.js';
import { action, refuse, type ActionContext, type Contract } from '../../../runtime/contract.js';

export const DonorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('org'), org: OrgRefSchema }),
  /** A person, under the alias they chose to be shown by; their name stays private. */
  z.strictObject({ kind: z.literal('person'), alias: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('anonymous') }),
]);

export const RailSchema = z.strictObject({
  kind: z.enum([
    'bank-transfer',
    'fps',
    'alipay',
    'wechat-pay',
    'card',
    'cheque',
    'cash',
    'treasury',
  ]),
  reference: z.string().min(1).max(128),
});
/** Protocol 2: how the money came, and nothing more; the reference is in the private part. */
export const RailSchemaV2 = z.strictObject({ kind: RailSchema.shape.kind });

/** Who gave, privately (protocol 1). */
const DonorFactsSchema = z.strictObject({
  name: z.string().min(1).max(200),
  contact: z.string().max(200).optional(),
  taxId: z.string().max(64).optional(),
});
/** Protocol 2: who gave and the payment reference, privately; any of them. */
export const DonorFactsSchemaV2 = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    contact: z.string().max(200).optional(),
    taxId: z.string().max(64).optional(),
    reference: PaymentReferenceSchema.optional(),
  })
  .refine((f) => Object.keys(f).length > 0, 'at least one of name, contact, taxId, reference');

/**
 * The rules that differ between protocol versions: version 1 is kept exactly as it ran; version 2
 * keeps references out of the public payloads.
 */
interface Rules {
  v2: boolean;
}
const V1: Rules = { v2: false };
const V2: Rules = { v2: true };

export interface DonationRecord {
  id: string;
  org: string;
  donor: z.infer<typeof DonorSchema>;
  amount: string;
  currency: string;
  program: string | null;
  /** With its `reference` only under protocol 1. */
  rail: { kind: z.infer<typeof RailSchema>['kind']; reference?: string };
  time: number;
  /** Lots this donation's money became: the whole of a restricted one, each assignment of a general one. */
  lots: { program: string; lot: number; amount: string }[];
  /** Of a general donation, what is not yet assigned to a program. */
  unassigned: string;
}

export interface AllocationRecord {
  id: string;
  org: string;
  program: string;
  amount: string;
  /** Only under protocol 1; from protocol 2 in the allocation's private part. */
  reference?: string;
  time: number;
  lot: number;
}

export const donationKeys = {
  donation: (id: string) => `donations/d/${id}`,
  allocation: (id: string) => `funds/alloc/${id}`,
};

const generalAccount = (org: string, currency: string) => account.general(`${org}:${currency}`);

function ownProgram(ctx: ActionContext, id: string): ProgramRecord {
  const p = getProgram(ctx.state, id);
  if (p.owner !== ctx.signer.org) refuse('WRONG_ORG', `program ${id} belongs to ${p.owner}`);
  return p;
}

function drain(ctx: ActionContext, program: string): void {
  if (ctx.state.get(FREEZE_KEY.program(program)) !== undefined) return;
  drainWaitlist(ctx, program, (id) => ctx.state.get(FREEZE_KEY.case(id)) !== undefined);
}

export function getDonation(ctx: ActionContext, id: string): DonationRecord {
  return (
    ctx.state.get<DonationRecord>(donationKeys.donation(id)) ??
    refuse('NOT_FOUND', `no donation ${id}`)
  );
}

/** Protocol 1, as it ran. */
export const donations: Contract = {
  name: 'donations',
  writes: ['funds/', 'cases/'],
  actions: {
    receive: receiveAction(V1),

    /** Assigns (part of) a general donation to one of the organisation's programs. */
    assign: action({
      schema: z.strictObject({
        donation: TxRefSchema,
        program: SlugSchema,
        amount: PositiveAmountSchema,
      }),
      roles: ['finance', 'program-manager'],
      apply(ctx, p) {
        const d = getDonation(ctx, p.donation);
        if (d.org !== ctx.signer.org) refuse('WRONG_ORG', `donation went to ${d.org}`);
        const prog = ownProgram(ctx, p.program);
        checkNotFrozen(ctx.state, { program: prog.id, orgs: [d.org] });
        if (prog.currency !== d.currency)
          refuse('CURRENCY_MISMATCH', `program ${prog.id} is in ${prog.currency}`);
        const amount = big(p.amount);
        if (big(d.unassigned) < amount)
          refuse(
            'INSUFFICIENT_FUNDS',
            `donation has ${d.unassigned} unassigned, ${p.amount} asked`,
          );
        const lot = addLot(
          ctx,
          prog.id,
          { kind: 'donation', id: d.id },
          generalAccount(d.org, d.currency),
          amount,
        );
        ctx.state.put(donationKeys.donation(d.id), {
          ...d,
          unassigned: str(big(d.unassigned) - amount),
          lots: [...d.lots, { program: prog.id, lot, amount: p.amount }],
        } satisfies DonationRecord);
        drain(ctx, prog.id);
      },
    }),
  },
};

function receiveAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      donor: DonorSchema,
      amount: PositiveAmountSchema,
      currency: z.string().regex(/^[A-Z]{3}$/),
      program: SlugSchema.optional(),
      rail: rules.v2 ? RailSchemaV2 : RailSchema,
    }),
    roles: ['finance'],
    private: 'optional',
    facts: rules.v2 ? DonorFactsSchemaV2 : DonorFactsSchema,
    apply(ctx, p) {
      const org = signerOrg(ctx, ['charity', 'government']);
      checkNotFrozen(ctx.state, { orgs: [org.id] });
      const amount = big(p.amount);
      const rec: DonationRecord = {
        id: ctx.txId,
        org: org.id,
        donor: p.donor,
        amount: p.amount,
        currency: p.currency,
        program: p.program ?? null,
        rail: p.rail,
        time: ctx.time,
        lots: [],
        unassigned: p.program === undefined ? p.amount : '0',
      };
      if (p.program !== undefined) {
        const prog = ownProgram(ctx, p.program);
        if (prog.currency !== p.currency)
          refuse('CURRENCY_MISMATCH', `program ${prog.id} is in ${prog.currency}`);
        const lot = addLot(
          ctx,
          prog.id,
          { kind: 'donation', id: ctx.txId },
          account.donations(prog.id),
          amount,
        );
        rec.lots.push({ program: prog.id, lot, amount: p.amount });
        ctx.state.put(donationKeys.donation(rec.id), rec);
        drain(ctx, prog.id);
      } else {
        post(
          ctx,
          generalAccount(org.id, p.currency),
          account.generalDonations(org.id),
          amount,
          `donation ${ctx.txId}`,
        );
        ctx.state.put(donationKeys.donation(rec.id), rec);
      }
    },
  });
}

function allocateAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      program: SlugSchema,
      amount: PositiveAmountSchema,
      ...(rules.v2 ? {} : { reference: NoteSchema }),
    }),
    roles: ['finance', 'program-manager'],
    ...(rules.v2 ? { private: 'optional' as const, facts: PaymentFactsSchema } : {}),
    apply(ctx, p) {
      const prog = ownProgram(ctx, p.program);
      checkNotFrozen(ctx.state, { orgs: [prog.owner] });
      const lot = addLot(
        ctx,
        prog.id,
        { kind: 'allocation', id: ctx.txId },
        account.allocations(prog.id),
        big(p.amount),
      );
      ctx.state.put(donationKeys.allocation(ctx.txId), {
        id: ctx.txId,
        org: prog.owner,
        program: prog.id,
        amount: p.amount,
        ...('reference' in p && typeof p.reference === 'string' ? { reference: p.reference } : {}),
        time: ctx.time,
        lot,
      } satisfies AllocationRecord);
      drain(ctx, prog.id);
    },
  });
}

/** Returns unspent money of one lot to its donor or to the treasury. */
function returnAction(rules: Rules) {
  return action({
    schema: z.strictObject({
      program: SlugSchema,
      lot: z.number().int().min(1),
      amount: PositiveAmountSchema,
      ...(rules.v2 ? { reason: ReturnReasonSchema } : { reference: NoteSchema }),
    }),
    roles: ['finance'],
    ...(rules.v2 ? { private: 'optional' as const, facts: PaymentFactsSchema } : {}),
    apply(ctx, p) {
      const prog = ownProgram(ctx, p.program);
      checkNotFrozen(ctx.state, { program: prog.id, orgs: [prog.owner] });
      returnFromLot(ctx, prog.id, p.lot, big(p.amount));
    },
  });
}

/** Protocol 1, as it ran. */
export const funds: Contract = {
  name: 'funds',
  writes: ['cases/'],
  actions: {
    allocate: allocateAction(V1),
    return: returnAction(V1),
  },
};

/** Protocol 2: the payment reference in the private part. */
export const donationsV2: Contract = {
  ...donations,
  actions: { ...donations.actions, receive: receiveAction(V2) },
};

/** Protocol 2: budget and return references in the private part, a return's reason coded. */
export const fundsV2: Contract = {
  ...funds,
  actions: { ...funds.actions, allocate: allocateAction(V2), return: returnAction(V2) },
};

export { balance };
