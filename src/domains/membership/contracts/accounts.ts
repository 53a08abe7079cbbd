/**
 * Applicant accounts. An applicant's key pair is made on their own device; registering it is a
 * transaction signed by that new key (so the key's holder proves they hold it), and from then on
 * the applicant signs their own applications. An account holds no personal data.
 */
import { z } from 'zod';
import { keys as membershipKeys } from './membership.js';
import {
  action,
  refuse,
  type ActionContext,
  type Contract,
  type KeyStatus,
  type StateView,
} from '../../../runtime/contract.js';

export interface AccountRecord {
  key: string;
  status: 'active' | 'closed';
  since: number;
  /** The language the applicant reads: for notices and explanations. */
  lang: 'zh-Hant' | 'zh-Hans' | 'en';
}

export const accountKeys = {
  account: (key: string) => `accounts/k/${key}`,
};

export function resolveAccount(state: StateView, key: string): KeyStatus {
  const a = state.get<AccountRecord>(accountKeys.account(key));
  if (a === undefined) return { kind: 'unknown' };
  if (a.status !== 'active') return { kind: 'revoked', member: 'applicant' };
  return { kind: 'active', signer: { key, member: 'applicant', org: '', roles: ['applicant'] } };
}

const Lang = z.enum(['zh-Hant', 'zh-Hans', 'en']);

const RegisterSchema = z.strictObject({ lang: Lang });

function register(ctx: ActionContext, p: z.infer<typeof RegisterSchema>, v2: boolean): void {
  if (ctx.state.get(membershipKeys.key(ctx.signer.key)) !== undefined)
    refuse('KEY_IN_USE', 'that key belongs to a member');
  // From protocol 2, an organisation's node key is not an applicant's either.
  if (v2 && ctx.state.get(membershipKeys.nodeKey(ctx.signer.key)) !== undefined)
    refuse('KEY_IN_USE', "that key is an organisation's node key");
  ctx.state.put(accountKeys.account(ctx.signer.key), {
    key: ctx.signer.key,
    status: 'active',
    since: ctx.time,
    lang: p.lang,
  } satisfies AccountRecord);
}

export const accounts: Contract = {
  name: 'accounts',
  actions: {
    // Signed by the new key itself: its own proof of possession.
    register: action({
      schema: RegisterSchema,
      roles: [],
      selfSigned: true,
      apply: (ctx, p) => register(ctx, p, false),
    }),
    close: action({
      schema: z.strictObject({}),
      roles: ['applicant'],
      apply(ctx) {
        const a = ctx.state.get<AccountRecord>(accountKeys.account(ctx.signer.key));
        if (!a) refuse('NOT_FOUND', 'no such account');
        ctx.state.put(accountKeys.account(ctx.signer.key), { ...a, status: 'closed' });
      },
    }),
  },
};

/** Protocol 2: a node key cannot register as an applicant. */
export const accountsV2: Contract = {
  ...accounts,
  actions: {
    ...accounts.actions,
    register: action({
      schema: RegisterSchema,
      roles: [],
      selfSigned: true,
      apply: (ctx, p) => register(ctx, p, true),
    }),
  },
};
