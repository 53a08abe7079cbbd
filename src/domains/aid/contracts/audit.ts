/**
 * Regulators freeze and unfreeze a case, a program or an organisation. While frozen, nothing moves:
 * no transition of the case, no case or money movement of the program, nothing signed by the
 * organisation's members and no case at its hospital. The freeze and its reason are public.
 *
 * From protocol 2 the reason is a published code (domains/aid/reasons.ts) with any words of the
 * regulator's in the private part, and a freeze is lifted only by the organisation that placed
 * it, or by any regulator citing a proposal the consortium adopted to lift that very freeze.
 */
import { z } from 'zod';
import { FREEZE_KEY, NoteSchema, OrgRefSchema, SlugSchema, TxRefSchema } from './aid-common.js';
import { drainWaitlist, getCase } from './case-record.js';
import { getProgram } from './programs.js';
import { orgOf } from './aid-common.js';
import { FreezeReasonSchema, PrivateNoteSchema, UnfreezeReasonSchema } from '../reasons.js';
import {
  keys as membershipKeys,
  ProposalIdSchema,
  type ProposalRecord,
} from '../../membership/contracts/membership.js';
import { action, refuse, type ActionContext, type Contract } from '../../../runtime/contract.js';

const Target = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('case'), id: TxRefSchema }),
  z.strictObject({ kind: z.literal('program'), id: SlugSchema }),
  z.strictObject({ kind: z.literal('org'), id: OrgRefSchema }),
]);
type Target = z.infer<typeof Target>;

export interface FreezeRecord {
  target: Target;
  by: string;
  org: string;
  /** Free text under protocol 1; a code of FREEZE_REASONS from protocol 2. */
  reason: string;
  time: number;
  tx: string;
}

function keyOf(t: Target): string {
  return FREEZE_KEY[t.kind](t.id);
}

function exists(ctx: ActionContext, t: Target): void {
  if (t.kind === 'case') getCase(ctx.state, t.id);
  else if (t.kind === 'program') getProgram(ctx.state, t.id);
  else orgOf(ctx.state, t.id);
}

function freeze(ctx: ActionContext, p: { target: Target; reason: string }): void {
  exists(ctx, p.target);
  if (ctx.state.get(keyOf(p.target)) !== undefined)
    refuse('INVALID_STATE', `${p.target.kind} ${p.target.id} is frozen already`);
  ctx.state.put(keyOf(p.target), {
    target: p.target,
    by: ctx.signer.member,
    org: ctx.signer.org,
    reason: p.reason,
    time: ctx.time,
    tx: ctx.txId,
  } satisfies FreezeRecord);
}

function unfreeze(ctx: ActionContext, target: Target): void {
  ctx.state.del(keyOf(target));
  // A waitlisted case that was holding the line may now be funded, and those behind it.
  const program =
    target.kind === 'case'
      ? getCase(ctx.state, target.id).program
      : target.kind === 'program'
        ? target.id
        : undefined;
  if (program !== undefined && ctx.state.get(FREEZE_KEY.program(program)) === undefined)
    drainWaitlist(ctx, program, (id) => ctx.state.get(FREEZE_KEY.case(id)) !== undefined);
}

function frozen(ctx: ActionContext, target: Target): FreezeRecord {
  return (
    ctx.state.get<FreezeRecord>(keyOf(target)) ??
    refuse('INVALID_STATE', `${target.kind} ${target.id} is not frozen`)
  );
}

/** Protocol 1, as it ran. */
export const audit: Contract = {
  name: 'audit',
  writes: ['cases/', 'funds/'],
  actions: {
    freeze: action({
      schema: z.strictObject({ target: Target, reason: NoteSchema }),
      roles: ['regulator'],
      apply: freeze,
    }),
    unfreeze: action({
      schema: z.strictObject({ target: Target, reason: NoteSchema }),
      roles: ['regulator'],
      apply(ctx, p) {
        frozen(ctx, p.target);
        unfreeze(ctx, p.target);
      },
    }),
  },
};

/** Protocol 2: coded reasons, private notes, and only the freezer (or the consortium) unfreezes. */
export const auditV2: Contract = {
  name: 'audit',
  writes: ['cases/', 'funds/'],
  actions: {
    freeze: action({
      schema: z.strictObject({ target: Target, reason: FreezeReasonSchema }),
      roles: ['regulator'],
      private: 'optional',
      facts: PrivateNoteSchema,
      apply: freeze,
    }),
    unfreeze: action({
      schema: z.strictObject({
        target: Target,
        reason: UnfreezeReasonSchema,
        /** An adopted proposal to lift this freeze: lets a regulator of another organisation. */
        proposal: ProposalIdSchema.optional(),
      }),
      roles: ['regulator'],
      private: 'optional',
      facts: PrivateNoteSchema,
      apply(ctx, p) {
        const rec = frozen(ctx, p.target);
        if (p.proposal !== undefined) {
          const prop = ctx.state.get<ProposalRecord>(membershipKeys.proposal(p.proposal));
          if (
            prop?.status !== 'adopted' ||
            prop.change.kind !== 'liftFreeze' ||
            prop.change.freeze !== rec.tx
          )
            refuse('NOT_FREEZER', `proposal ${p.proposal} is no adopted lifting of this freeze`);
        } else if (rec.org !== ctx.signer.org) {
          refuse('NOT_FREEZER', `only ${rec.org}, which placed the freeze, may lift it`);
        }
        unfreeze(ctx, p.target);
      },
    }),
  },
};
