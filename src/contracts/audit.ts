/**
 * Regulators freeze and unfreeze a case, a program or an organisation. While frozen, nothing moves:
 * no transition of the case, no case or money movement of the program, nothing signed by the
 * organisation's members and no case at its hospital. The freeze and its reason are public.
 */
import { z } from 'zod';
import { FREEZE_KEY, NoteSchema, OrgRefSchema, SlugSchema, TxRefSchema } from './aid-common.js';
import { drainWaitlist, getCase } from './case-record.js';
import { getProgram } from './programs.js';
import { orgOf } from './aid-common.js';
import { action, refuse, type ActionContext, type Contract } from './runtime.js';

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

export const audit: Contract = {
  name: 'audit',
  writes: ['cases/', 'funds/'],
  actions: {
    freeze: action({
      schema: z.strictObject({ target: Target, reason: NoteSchema }),
      roles: ['regulator'],
      apply(ctx, p) {
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
      },
    }),
    unfreeze: action({
      schema: z.strictObject({ target: Target, reason: NoteSchema }),
      roles: ['regulator'],
      apply(ctx, p) {
        if (ctx.state.get(keyOf(p.target)) === undefined)
          refuse('INVALID_STATE', `${p.target.kind} ${p.target.id} is not frozen`);
        ctx.state.del(keyOf(p.target));
        // A waitlisted case that was holding the line may now be funded, and those behind it.
        const program =
          p.target.kind === 'case'
            ? getCase(ctx.state, p.target.id).program
            : p.target.kind === 'program'
              ? p.target.id
              : undefined;
        if (program !== undefined && ctx.state.get(FREEZE_KEY.program(program)) === undefined)
          drainWaitlist(ctx, program, (id) => ctx.state.get(FREEZE_KEY.case(id)) !== undefined);
      },
    }),
  },
};
